import { jwtVerify, SignJWT } from 'jose';
import { ChatError } from '../errors.ts';
import type { Customer } from '../chat/pipeline.ts';

/** The claims MangaAssist reads from a customer's JWT. */
export interface CustomerClaims {
  /** Customer id. */
  sub: string;
  tier: 'member' | 'prime';
  name?: string;
  /** The customer confirmed at sign-in that they are an adult (age-restricted titles). */
  age_verified?: boolean;
}

/** Port: turns a presented token into a customer; no token means a guest. */
export interface Authenticator {
  authenticate(token: string | undefined): Promise<Customer>;
}

const GUEST: Customer = { kind: 'guest' };

/**
 * HS256 JWT verification with `jose` (signature, expiry, algorithm pinned so a token cannot
 * choose `none` or an asymmetric algorithm confusion).
 */
export function createJwtAuthenticator(secret: Uint8Array): Authenticator {
  return {
    async authenticate(token) {
      if (!token) return GUEST;
      try {
        const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
        const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
        const tier = payload.tier === 'prime' ? 'prime' : payload.tier === 'member' ? 'member' : undefined;
        if (!sub || !tier) throw new Error('token lacks sub or tier');
        return {
          kind: tier,
          customerId: sub,
          name: typeof payload.name === 'string' ? payload.name : undefined,
          ageConfirmed: payload.age_verified === true,
        };
      } catch (error) {
        throw new ChatError('unauthorized', undefined, { cause: error });
      }
    },
  };
}

/** Signs a customer token (demo sign-in and tests). */
export async function signCustomerToken(secret: Uint8Array, claims: CustomerClaims, expiresIn = '2h'): Promise<string> {
  const { sub, ...rest } = claims;
  return new SignJWT({ ...rest }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime(expiresIn).sign(secret);
}
