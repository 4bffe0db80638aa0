import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';
import { createJwtAuthenticator, signCustomerToken } from '../../src/admission/auth.ts';
import type { Authenticator } from '../../src/admission/auth.ts';
import { ChatError } from '../../src/errors.ts';

const ISSUER = 'https://id.example.test';
const AUDIENCE = 'manga-assist';
const SECRET = new TextEncoder().encode('test-secret-of-at-least-32-bytes!!');

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Signs a token the way an identity provider would; every part can be overridden to break it. */
async function idpToken(
  key: SigningKey,
  opts: { claims?: Record<string, unknown>; sub?: string | null; issuer?: string; audience?: string; exp?: number | string; kid?: string } = {},
): Promise<string> {
  const jwt = new SignJWT({ tier: 'prime', name: 'Hanako Yamada', age_verified: true, ...opts.claims })
    .setProtectedHeader({ alg: key.alg, kid: opts.kid ?? key.kid })
    .setIssuedAt()
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setExpirationTime(opts.exp ?? '10m');
  if (opts.sub !== null) jwt.setSubject(opts.sub ?? 'cust-7');
  return jwt.sign(key.privateKey);
}

/** A JWKS endpoint whose served keys (and health) the test controls. */
class JwksServer {
  keys: JWK[] = [];
  status = 200;
  hang = false;
  fetches = 0;
  readonly server: Server;
  url = '';
  constructor() {
    this.server = createServer((req, res) => {
      this.fetches++;
      if (this.hang) return; // never answers: the client's timeout must fire
      res.writeHead(this.status, { 'content-type': 'application/json' });
      res.end(this.status === 200 ? JSON.stringify({ keys: this.keys } satisfies JSONWebKeySet) : '{"error":"down"}');
    });
  }
  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function refusedWith(auth: Authenticator, token: string, code: 'unauthorized' | 'unavailable'): Promise<void> {
  await assert.rejects(auth.authenticate(token), (e: unknown) => {
    assert.ok(e instanceof ChatError, `ChatError expected, got ${String(e)}`);
    assert.equal(e.code, code);
    return true;
  });
}

/** The unsigned token RFC 7519 allows and no one must accept. */
function unsignedToken(claims: Record<string, unknown>): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
}

describe('RS256 tokens verified against a remote JWKS', () => {
  let jwks: JwksServer;
  let key1: SigningKey;
  let auth: Authenticator;

  before(async () => {
    key1 = await signingKey('key-1');
    jwks = await new JwksServer().start();
    jwks.keys = [key1.publicJwk];
    auth = createJwtAuthenticator({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE, jwksCooldownMs: 0 });
  });
  after(() => jwks.stop());

  test('a valid token becomes the customer it names', async () => {
    const customer = await auth.authenticate(await idpToken(key1));
    assert.deepEqual(customer, { kind: 'prime', customerId: 'cust-7', name: 'Hanako Yamada', ageConfirmed: true });
    const member = await auth.authenticate(await idpToken(key1, { claims: { tier: 'member', name: undefined, age_verified: false }, sub: 'cust-8' }));
    assert.deepEqual(member, { kind: 'member', customerId: 'cust-8', name: undefined, ageConfirmed: false });
  });

  test('no token is a guest', async () => {
    assert.deepEqual(await auth.authenticate(undefined), { kind: 'guest' });
  });

  test('refuses a token signed by a key the JWKS does not hold, even under a known kid', async () => {
    const stranger = await signingKey('key-1');
    await refusedWith(auth, await idpToken(stranger), 'unauthorized');
  });

  test('refuses a tampered payload', async () => {
    const [header, , signature] = (await idpToken(key1, { claims: { tier: 'member' } })).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'cust-7', tier: 'prime', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url');
    await refusedWith(auth, `${header}.${forged}.${signature}`, 'unauthorized');
  });

  test('refuses an expired token', async () => {
    await refusedWith(auth, await idpToken(key1, { exp: Math.floor(Date.now() / 1000) - 60 }), 'unauthorized');
  });

  test('refuses a token without tier or sub', async () => {
    await refusedWith(auth, await idpToken(key1, { claims: { tier: undefined } }), 'unauthorized');
    await refusedWith(auth, await idpToken(key1, { claims: { tier: 'gold' } }), 'unauthorized');
    await refusedWith(auth, await idpToken(key1, { sub: null }), 'unauthorized');
  });

  test('refuses a token from another issuer or for another audience', async () => {
    await refusedWith(auth, await idpToken(key1, { issuer: 'https://evil.example.test' }), 'unauthorized');
    await refusedWith(auth, await idpToken(key1, { audience: 'some-other-app' }), 'unauthorized');
  });

  test('refuses alg none and garbage', async () => {
    await refusedWith(auth, unsignedToken({ sub: 'cust-7', tier: 'prime', iss: ISSUER, aud: AUDIENCE }), 'unauthorized');
    await refusedWith(auth, 'not-a-jwt', 'unauthorized');
  });

  test('refuses an HS256 token when only a JWKS is configured', async () => {
    await refusedWith(auth, await signCustomerToken(SECRET, { sub: 'cust-7', tier: 'prime' }), 'unauthorized');
  });

  test('refuses an HS256 token whose HMAC secret is the JWKS public key (alg confusion)', async () => {
    // The classic attack: sign HS256 with the public key's bytes, hoping the verifier feeds the
    // same key to HMAC. Also sent to an authenticator that does hold an HS256 secret.
    const publicKeyBytes = new TextEncoder().encode(JSON.stringify(key1.publicJwk));
    const confused = await new SignJWT({ tier: 'prime' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setSubject('cust-7')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('10m')
      .sign(publicKeyBytes);
    await refusedWith(auth, confused, 'unauthorized');
    const both = createJwtAuthenticator({ jwksUrl: jwks.url, hs256Secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
    await refusedWith(both, confused, 'unauthorized');
  });

  test('key rotation: a token signed with a newly published kid is accepted after a refetch', async () => {
    await auth.authenticate(await idpToken(key1)); // keys cached
    const key2 = await signingKey('key-2');
    const before = jwks.fetches;
    jwks.keys = [key1.publicJwk, key2.publicJwk];
    assert.equal((await auth.authenticate(await idpToken(key2))).customerId, 'cust-7');
    assert.equal(jwks.fetches, before + 1, 'the unknown kid triggered exactly one refetch');
    // The provider then retires key-1: its tokens stop working once the set is refetched.
    jwks.keys = [key2.publicJwk];
    await refusedWith(auth, await idpToken(key1, { kid: 'key-3-unknown' }), 'unauthorized');
    await refusedWith(auth, await idpToken(key1), 'unauthorized');
  });

  test('an unknown kid within the cooldown is refused without hammering the JWKS endpoint', async () => {
    const cooled = createJwtAuthenticator({ jwksUrl: jwks.url, issuer: ISSUER, audience: AUDIENCE, jwksCooldownMs: 60_000 });
    const key = await signingKey('key-cooled');
    jwks.keys = [key.publicJwk];
    await cooled.authenticate(await idpToken(key));
    const before = jwks.fetches;
    const unknown = await signingKey('key-never-published');
    for (let i = 0; i < 5; i++) await refusedWith(cooled, await idpToken(unknown), 'unauthorized');
    assert.equal(jwks.fetches, before, 'no refetch inside the cooldown');
  });
});

describe('JWKS endpoint failures are our outage (unavailable), not a bad token', () => {
  test('endpoint down on first use → unavailable', async () => {
    const jwks = await new JwksServer().start();
    const url = jwks.url;
    await jwks.stop();
    const auth = createJwtAuthenticator({ jwksUrl: url });
    const key = await signingKey('k');
    await assert.rejects(auth.authenticate(await idpToken(key)), (e: unknown) => {
      assert.ok(e instanceof ChatError);
      assert.equal(e.code, 'unavailable');
      assert.equal(e.status, 503);
      assert.match(e.message, /Sign-in cannot be checked right now/);
      return true;
    });
  });

  test('endpoint answering 500 → unavailable', async () => {
    const jwks = await new JwksServer().start();
    try {
      jwks.status = 500;
      await refusedWith(createJwtAuthenticator({ jwksUrl: jwks.url }), await idpToken(await signingKey('k')), 'unavailable');
    } finally {
      await jwks.stop();
    }
  });

  test('endpoint that never answers → unavailable after the timeout', async () => {
    const jwks = await new JwksServer().start();
    try {
      jwks.hang = true;
      const started = Date.now();
      await refusedWith(createJwtAuthenticator({ jwksUrl: jwks.url, jwksTimeoutMs: 200 }), await idpToken(await signingKey('k')), 'unavailable');
      assert.ok(Date.now() - started < 3000, 'gave up at the timeout');
    } finally {
      await jwks.stop();
    }
  });

  test('cached keys keep known tokens working while the endpoint is down; a new kid then gets unavailable', async () => {
    const jwks = await new JwksServer().start();
    const key = await signingKey('k1');
    jwks.keys = [key.publicJwk];
    const auth = createJwtAuthenticator({ jwksUrl: jwks.url, jwksCooldownMs: 0 });
    await auth.authenticate(await idpToken(key));
    await jwks.stop();
    assert.equal((await auth.authenticate(await idpToken(key))).kind, 'prime');
    await refusedWith(auth, await idpToken(await signingKey('k2')), 'unavailable');
    // A token that is bad on its face is still unauthorized: no fetch needed to know that.
    await refusedWith(auth, 'not-a-jwt', 'unauthorized');
  });
});

describe('inline JWKS, ES256 and HS256', () => {
  test('an inline JWKS verifies RS256 and ES256 tokens', async () => {
    const rsa = await signingKey('rsa', 'RS256');
    const ec = await signingKey('ec', 'ES256');
    const auth = createJwtAuthenticator({ jwks: { keys: [rsa.publicJwk, ec.publicJwk] }, issuer: ISSUER });
    assert.equal((await auth.authenticate(await idpToken(rsa))).customerId, 'cust-7');
    assert.equal((await auth.authenticate(await idpToken(ec))).customerId, 'cust-7');
    await refusedWith(auth, await idpToken(await signingKey('rsa')), 'unauthorized');
  });

  test('the old secret-only call still verifies HS256 and refuses RS256', async () => {
    const auth = createJwtAuthenticator(SECRET);
    const customer = await auth.authenticate(await signCustomerToken(SECRET, { sub: 'cust-1002', tier: 'prime', name: 'John Smith', age_verified: true }));
    assert.deepEqual(customer, { kind: 'prime', customerId: 'cust-1002', name: 'John Smith', ageConfirmed: true });
    await refusedWith(auth, await signCustomerToken(new TextEncoder().encode('another-secret-of-32-bytes-length!'), { sub: 'x', tier: 'member' }), 'unauthorized');
    await refusedWith(auth, await idpToken(await signingKey('k')), 'unauthorized');
    await refusedWith(auth, unsignedToken({ sub: 'cust-7', tier: 'prime' }), 'unauthorized');
  });

  test('HS256 and JWKS side by side, each with its own issuer/audience checks', async () => {
    const rsa = await signingKey('rsa');
    const auth = createJwtAuthenticator({ hs256Secret: SECRET, jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, audience: AUDIENCE });
    assert.equal((await auth.authenticate(await idpToken(rsa))).kind, 'prime');
    // signCustomerToken sets no iss/aud, so with issuer configured it is refused...
    await refusedWith(auth, await signCustomerToken(SECRET, { sub: 'c', tier: 'member' }), 'unauthorized');
    // ...and an HS256 token with the right claims is accepted.
    const hs = await new SignJWT({ tier: 'member' }).setProtectedHeader({ alg: 'HS256' }).setSubject('c').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(SECRET);
    assert.equal((await auth.authenticate(hs)).kind, 'member');
  });

  test('clock tolerance accepts a just-expired token only within the allowance', async () => {
    const rsa = await signingKey('rsa');
    const expired = await idpToken(rsa, { exp: Math.floor(Date.now() / 1000) - 30 });
    await refusedWith(createJwtAuthenticator({ jwks: { keys: [rsa.publicJwk] } }), expired, 'unauthorized');
    assert.equal((await createJwtAuthenticator({ jwks: { keys: [rsa.publicJwk] }, clockToleranceSec: 120 }).authenticate(expired)).kind, 'prime');
  });

  test('misconfiguration fails at construction', () => {
    assert.throws(() => createJwtAuthenticator({}), TypeError);
    assert.throws(() => createJwtAuthenticator({ jwksUrl: 'http://127.0.0.1:1/jwks', jwks: { keys: [] } }), TypeError);
    assert.throws(() => createJwtAuthenticator({ jwksUrl: 'file:///etc/jwks.json' }), TypeError);
  });
});

describe('token lifetime: exp required, lifetime capped, no iat in the future', () => {
  const now = () => Math.floor(Date.now() / 1000);
  /** An HS256 token with exactly the given time claims (none set unless given). */
  const hsToken = (times: { iat?: number; exp?: number; nbf?: number }, claims: Record<string, unknown> = {}) => {
    const jwt = new SignJWT({ tier: 'member', ...claims, ...times }).setProtectedHeader({ alg: 'HS256' }).setSubject('cust-1');
    return jwt.sign(SECRET);
  };
  const auth = createJwtAuthenticator({ hs256Secret: SECRET, maxLifetimeSec: 86_400, clockToleranceSec: 30 });

  test('a token without exp is refused, with or without iat', async () => {
    await refusedWith(auth, await hsToken({}), 'unauthorized');
    await refusedWith(auth, await hsToken({ iat: now() }), 'unauthorized');
  });

  test('a lifetime (exp - iat) over the maximum is refused; at the maximum it is accepted', async () => {
    await refusedWith(auth, await hsToken({ iat: now(), exp: now() + 10 * 365 * 86_400 }), 'unauthorized');
    await refusedWith(auth, await hsToken({ iat: now() - 60, exp: now() + 86_400 }), 'unauthorized');
    const t = now(); // one reading: two could straddle a second and make the lifetime 86,401 s
    assert.equal((await auth.authenticate(await hsToken({ iat: t, exp: t + 86_400 }))).customerId, 'cust-1');
    // Issued long ago with a long life: its remaining time is short, but its lifetime is not.
    await refusedWith(auth, await hsToken({ iat: now() - 3 * 86_400, exp: now() + 60 }), 'unauthorized');
  });

  test('without iat, the time left (exp - now) is held to the maximum', async () => {
    assert.equal((await auth.authenticate(await hsToken({ exp: now() + 3600 }))).kind, 'member');
    await refusedWith(auth, await hsToken({ exp: now() + 2 * 86_400 }), 'unauthorized');
  });

  test('an iat in the future is refused beyond the clock tolerance, accepted within it', async () => {
    await refusedWith(auth, await hsToken({ iat: now() + 120, exp: now() + 3600 }), 'unauthorized');
    assert.equal((await auth.authenticate(await hsToken({ iat: now() + 10, exp: now() + 3600 }))).kind, 'member');
  });

  test('the same rules hold for JWKS tokens', async () => {
    const rsa = await signingKey('rsa-life');
    const jwksAuth = createJwtAuthenticator({ jwks: { keys: [rsa.publicJwk] }, issuer: ISSUER, audience: AUDIENCE, maxLifetimeSec: 3600 });
    assert.equal((await jwksAuth.authenticate(await idpToken(rsa, { exp: '50m' }))).kind, 'prime');
    await refusedWith(jwksAuth, await idpToken(rsa, { exp: '2h' }), 'unauthorized');
    const noExp = await new SignJWT({ tier: 'prime' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-life' }).setSubject('c').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().sign(rsa.privateKey);
    await refusedWith(jwksAuth, noExp, 'unauthorized');
    const future = await new SignJWT({ tier: 'prime' }).setProtectedHeader({ alg: 'RS256', kid: 'rsa-life' }).setSubject('c').setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt(now() + 600).setExpirationTime(now() + 1200).sign(rsa.privateKey);
    await refusedWith(jwksAuth, future, 'unauthorized');
  });

  test('the demo signer (2 h) passes the default maximum, with issuer and audience when asked', async () => {
    const strict = createJwtAuthenticator({ hs256Secret: SECRET, issuer: ISSUER, audience: AUDIENCE });
    const scoped = await signCustomerToken(SECRET, { sub: 'cust-9', tier: 'prime' }, '2h', { issuer: ISSUER, audience: AUDIENCE });
    assert.equal((await strict.authenticate(scoped)).customerId, 'cust-9');
    await refusedWith(strict, await signCustomerToken(SECRET, { sub: 'cust-9', tier: 'prime' }, '2h', { issuer: ISSUER }), 'unauthorized');
    await refusedWith(strict, await signCustomerToken(SECRET, { sub: 'cust-9', tier: 'prime' }, '2h', { audience: AUDIENCE }), 'unauthorized');
    await refusedWith(createJwtAuthenticator({ hs256Secret: SECRET }), await signCustomerToken(SECRET, { sub: 'cust-9', tier: 'prime' }, '25h'), 'unauthorized');
  });
});
