import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { JSONWebKeySet, JWSAlgorithm, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
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

/** How customer tokens are verified; at least one of `hs256Secret`, `jwksUrl`, `jwks`. */
export interface JwtAuthOptions {
  /** Shared secret for HS256 tokens (demo sign-in, load generator). Without it HS256 tokens are refused. */
  hs256Secret?: Uint8Array;
  /** URL of the identity provider's JSON Web Key Set, for RS256/ES256 tokens. Not with `jwks`. */
  jwksUrl?: string;
  /** An inline JSON Web Key Set (tests, offline), instead of `jwksUrl`. */
  jwks?: JSONWebKeySet;
  /** Required `iss` claim. @default not checked */
  issuer?: string;
  /** Required `aud` claim. @default not checked */
  audience?: string;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. @default 0 */
  clockToleranceSec?: number;
  /**
   * Longest accepted token lifetime, in seconds: `exp - iat`, or `exp - now` for a token without
   * `iat`. A token valid for years is as good as a password that never changes. @default 86400
   */
  maxLifetimeSec?: number;
  /** Timeout of one JWKS fetch, in ms. @default 5000 */
  jwksTimeoutMs?: number;
  /** After a successful JWKS fetch, how long an unknown `kid` is refused without refetching, in ms. @default 30000 */
  jwksCooldownMs?: number;
}

const GUEST: Customer = { kind: 'guest' };

/** Algorithms verified with the shared secret. Never offered to the key set. */
const SECRET_ALGS: JWSAlgorithm[] = ['HS256'];
/** Algorithms verified with the key set's public keys. Never offered to the secret. */
const KEY_SET_ALGS: JWSAlgorithm[] = ['RS256', 'ES256'];

/** Shown when the key set cannot be fetched: our outage, not a bad token. */
const SIGN_IN_UNAVAILABLE = 'Sign-in cannot be checked right now; please try again in a moment.';

/** Marks a key-set failure that is ours (endpoint down, timeout, non-200, malformed set). */
class KeySetUnavailable extends Error {
  constructor(cause: unknown) {
    super('JWKS unavailable', { cause });
    this.name = 'KeySetUnavailable';
  }
}

/**
 * Customer JWT verification with `jose`. The token's `alg` header picks the key, and each key
 * accepts only its own algorithms: HS256 goes to the shared secret, RS256/ES256 to the JWKS, so a
 * public key can never be used as an HMAC secret and `none` is never accepted. A remote JWKS is
 * cached by jose and refetched (at most once per cooldown) when a token names an unknown `kid`,
 * which is how the identity provider rotates keys.
 *
 * Every token needs `exp`, a lifetime (`exp - iat`, or `exp - now` without `iat`) within
 * `maxLifetimeSec`, and no `iat` in the future beyond the clock tolerance.
 *
 * Refusals: a bad, expired or foreign token → `ChatError('unauthorized')` (401). A JWKS endpoint
 * that cannot be reached or answers garbage → `ChatError('unavailable')` (503): that is our
 * outage, and the customer must not be told their sign-in is invalid.
 *
 * The `Uint8Array` form is the older HS256-only call, kept for existing callers.
 */
export function createJwtAuthenticator(options: JwtAuthOptions | Uint8Array): Authenticator {
  const opts: JwtAuthOptions = options instanceof Uint8Array ? { hs256Secret: options } : options;
  const secret = opts.hs256Secret;
  const keySet = keySetFrom(opts);
  if (!secret && !keySet) throw new TypeError('createJwtAuthenticator needs hs256Secret, jwksUrl or jwks');
  const tolerance = opts.clockToleranceSec ?? 0;
  const maxLifetime = opts.maxLifetimeSec ?? DEFAULT_MAX_LIFETIME_SEC;
  // Both keys get the same claim checks: issuer and audience (when configured) and a required
  // `exp`. jose checks `iat` only together with maxTokenAge (which would also require `iat`),
  // so the lifetime and the future-`iat` checks are ours, below.
  const claimChecks: JWTVerifyOptions = {
    issuer: opts.issuer,
    audience: opts.audience,
    clockTolerance: tolerance,
    requiredClaims: ['exp'],
  };

  return {
    async authenticate(token) {
      if (!token) return GUEST;
      try {
        const alg = decodeProtectedHeader(token).alg ?? '';
        // Route by alg ourselves so each key only ever sees its own algorithms (no alg confusion).
        let payload: JWTPayload;
        if (secret && SECRET_ALGS.includes(alg)) {
          ({ payload } = await jwtVerify(token, secret, { ...claimChecks, algorithms: SECRET_ALGS }));
        } else if (keySet && KEY_SET_ALGS.includes(alg)) {
          ({ payload } = await jwtVerify(token, keySet, { ...claimChecks, algorithms: KEY_SET_ALGS }));
        } else {
          throw new Error(`no key configured for alg ${JSON.stringify(alg)}`);
        }
        checkLifetime(payload, maxLifetime, tolerance);
        return customerFrom(payload);
      } catch (error) {
        if (error instanceof KeySetUnavailable) throw new ChatError('unavailable', SIGN_IN_UNAVAILABLE, { cause: error.cause });
        throw new ChatError('unauthorized', undefined, { cause: error });
      }
    },
  };
}

/** Longest token lifetime accepted by default: a day (identity providers issue 1 h to 24 h). */
const DEFAULT_MAX_LIFETIME_SEC = 86_400;

/** Refuses an `iat` in the future and a lifetime past the maximum (jose has checked `exp` is there and not past). */
function checkLifetime(payload: JWTPayload, maxLifetimeSec: number, toleranceSec: number): void {
  const now = Date.now() / 1000;
  const exp = payload.exp as number;
  if (payload.iat !== undefined) {
    // jose has checked that a present `iat` is a number.
    if (payload.iat > now + toleranceSec) throw new Error('token issued in the future');
    if (exp - payload.iat > maxLifetimeSec) throw new Error('token lifetime exceeds the maximum');
  } else if (exp - now > maxLifetimeSec + toleranceSec) {
    throw new Error('token lifetime exceeds the maximum');
  }
}

function keySetFrom(opts: JwtAuthOptions): JWTVerifyGetKey | undefined {
  if (opts.jwksUrl && opts.jwks) throw new TypeError('createJwtAuthenticator takes jwksUrl or jwks, not both');
  if (opts.jwks) return createLocalJWKSet(opts.jwks);
  if (!opts.jwksUrl) return undefined;
  const url = new URL(opts.jwksUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`jwksUrl must be http(s): ${opts.jwksUrl}`);
  const remote = createRemoteJWKSet(url, { timeoutDuration: opts.jwksTimeoutMs ?? 5000, cooldownDuration: opts.jwksCooldownMs ?? 30_000 });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      // These come from matching the token against a key set we did get: the token's fault.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) throw error;
      // Anything else is the fetch (refused, timeout, non-200, not JSON) or a malformed set.
      throw new KeySetUnavailable(error);
    }
  };
}

function customerFrom(payload: JWTPayload): Customer {
  const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
  const tier = payload.tier === 'prime' ? 'prime' : payload.tier === 'member' ? 'member' : undefined;
  if (!sub || !tier) throw new Error('token lacks sub or tier');
  return {
    kind: tier,
    customerId: sub,
    name: typeof payload.name === 'string' ? payload.name : undefined,
    ageConfirmed: payload.age_verified === true,
  };
}

/** Signs a customer token (demo sign-in and tests), with `iss`/`aud` when the service requires them. */
export async function signCustomerToken(secret: Uint8Array, claims: CustomerClaims, expiresIn = '2h', scope: { issuer?: string; audience?: string } = {}): Promise<string> {
  const { sub, ...rest } = claims;
  const jwt = new SignJWT({ ...rest }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime(expiresIn);
  if (scope.issuer) jwt.setIssuer(scope.issuer);
  if (scope.audience) jwt.setAudience(scope.audience);
  return jwt.sign(secret);
}
