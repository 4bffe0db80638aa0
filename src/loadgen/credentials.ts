import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signCustomerToken } from '../admission/auth.ts';
import type { Account } from './traffic.ts';

/** Where member tokens come from: an explicit secret, or the service's `<DATA_DIR>/jwt-secret`. */
export function readJwtSecret(opts: { jwtSecret?: string; dataDir?: string }): Uint8Array | undefined {
  if (opts.jwtSecret) return new TextEncoder().encode(opts.jwtSecret);
  if (opts.dataDir) return new TextEncoder().encode(readFileSync(join(opts.dataDir, 'jwt-secret'), 'utf8').trim());
  return undefined;
}

/** Signs (once per account, then cached) the JWT a signed-in virtual customer presents. */
export function createTokenSource(secret: Uint8Array): (account: Account) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (account) => {
    let token = cache.get(account.id);
    if (!token) {
      // Longer than any run: a token expiring mid-run would show up as `unauthorized` errors.
      token = signCustomerToken(secret, { sub: account.id, tier: account.tier, age_verified: account.ageVerified }, '12h');
      cache.set(account.id, token);
    }
    return token;
  };
}
