import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSessionAccess, hashToken } from '../../src/sessions/session-access.ts';
import { createInProcessOwnership } from '../../src/sessions/in-process-ownership.ts';
import type { SessionOwnership } from '../../src/sessions/types.ts';
import { ChatError } from '../../src/errors.ts';
import type { Customer } from '../../src/chat/pipeline.ts';

const guest: Customer = { kind: 'guest' };
const alice: Customer = { kind: 'member', customerId: 'cust-alice' };
const bob: Customer = { kind: 'prime', customerId: 'cust-bob' };
const secret = new TextEncoder().encode('s'.repeat(32));

function setup(ownership: SessionOwnership = createInProcessOwnership({ ttlMs: 60_000 })) {
  let n = 0;
  return { ownership, access: createSessionAccess({ ownership, secret, newId: () => `s-${++n}` }) };
}

describe('session access', () => {
  it('a new guest conversation gets a random resume token, and only its hash is stored, at its first message', async () => {
    const { ownership, access } = setup();
    const s = await access.open({ customer: guest });
    assert.equal(s.sessionId, 's-1');
    assert.equal(s.resumed, false);
    assert.match(s.resumeToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await ownership.ownerOf('s-1'), undefined, 'nothing written for a chat that has not said anything');
    await s.claim();
    await s.claim();
    const stored = await ownership.ownerOf('s-1');
    assert.deepEqual(stored, { kind: 'guest', tokenHash: hashToken(s.resumeToken) });
    assert.ok(!JSON.stringify(stored).includes(s.resumeToken), 'the token itself is not stored');
  });

  it('the guest holding the token resumes; the id alone, a wrong token or a malformed one gets a new session', async () => {
    const { access } = setup();
    const s = await access.open({ customer: guest });
    await s.claim();
    const again = await access.open({ customer: guest, sessionId: s.sessionId, resumeToken: s.resumeToken });
    assert.deepEqual([again.sessionId, again.resumed, again.resumeToken], [s.sessionId, true, s.resumeToken]);
    for (const resumeToken of [undefined, 'A'.repeat(43), `${s.resumeToken}x`, 'short', '../../etc/passwd'.repeat(3)]) {
      const other = await access.open({ customer: guest, sessionId: s.sessionId, resumeToken });
      assert.notEqual(other.sessionId, s.sessionId, `token ${resumeToken}`);
      assert.equal(other.resumed, false);
    }
  });

  it("an id nobody claimed is never adopted: the client gets a server-chosen one", async () => {
    const { access } = setup();
    const s = await access.open({ customer: guest, sessionId: 'my-own-choice', resumeToken: 'A'.repeat(43) });
    assert.notEqual(s.sessionId, 'my-own-choice');
    assert.equal(s.resumed, false);
  });

  it("a customer's conversation is theirs by customer id: another customer or a guest gets a new one, even with its token", async () => {
    const { access } = setup();
    const s = await access.open({ customer: alice });
    await s.claim();
    const back = await access.open({ customer: alice, sessionId: s.sessionId });
    assert.deepEqual([back.sessionId, back.resumed, back.resumeToken], [s.sessionId, true, s.resumeToken], 'the same derived token each time');
    assert.equal((await access.open({ customer: bob, sessionId: s.sessionId, resumeToken: s.resumeToken })).resumed, false);
    assert.equal((await access.open({ customer: guest, sessionId: s.sessionId, resumeToken: s.resumeToken })).resumed, false);
  });

  it('a guest who signs in carries the guest conversation over by presenting it; the guest token then stops working', async () => {
    const { ownership, access } = setup();
    const s = await access.open({ customer: guest });
    await s.claim();
    const signedIn = await access.open({ customer: alice, sessionId: s.sessionId, resumeToken: s.resumeToken });
    assert.deepEqual([signedIn.sessionId, signedIn.resumed, signedIn.carriedOver], [s.sessionId, true, true]);
    assert.notEqual(signedIn.resumeToken, s.resumeToken);
    assert.deepEqual(await ownership.ownerOf(s.sessionId), { kind: 'customer', customerId: 'cust-alice' });
    assert.equal((await access.open({ customer: guest, sessionId: s.sessionId, resumeToken: s.resumeToken })).resumed, false, 'the old guest token');
    assert.equal((await access.open({ customer: bob, sessionId: s.sessionId, resumeToken: s.resumeToken })).resumed, false, 'another customer with the old token');
    const later = await access.open({ customer: alice, sessionId: s.sessionId });
    assert.deepEqual([later.resumed, later.carriedOver], [true, false]);
  });

  it('a store that cannot answer is `unavailable`, and a failed claim is tried again at the next message', async () => {
    const inner = createInProcessOwnership({ ttlMs: 60_000 });
    let failing = true;
    const flaky: SessionOwnership = {
      ...inner,
      ownerOf: async (...a) => (failing ? Promise.reject(new Error('disk gone')) : inner.ownerOf(...a)),
      claim: async (...a) => (failing ? Promise.reject(new Error('disk gone')) : inner.claim(...a)),
    };
    const { access } = setup(flaky);
    await assert.rejects(access.open({ customer: guest, sessionId: 'x' }), (e) => e instanceof ChatError && e.code === 'unavailable');
    const s = await access.open({ customer: guest });
    await assert.rejects(s.claim(), (e) => e instanceof ChatError && e.code === 'unavailable');
    failing = false;
    await s.claim();
    assert.equal((await access.open({ customer: guest, sessionId: s.sessionId, resumeToken: s.resumeToken })).resumed, true);
  });
  it('a claim whose write landed after its caller gave up is ours: the next message goes on (no internal error for the rest of the chat)', async () => {
    for (const customer of [guest, alice]) {
      const inner = createInProcessOwnership({ ttlMs: 60_000 });
      let claims = 0;
      // The first claim is written, then its caller hears a failure (a deadline that lapsed while
      // the write was in flight: seen on DynamoDB under load in bench:fleet).
      const ownership: SessionOwnership = {
        ...inner,
        async claim(id, owner, opts) {
          claims++;
          const ok = await inner.claim(id, owner, opts);
          if (claims === 1) throw new Error('deadline lapsed, but the write landed');
          return ok;
        },
      };
      const { access } = setup(ownership);
      const s = await access.open({ customer });
      await assert.rejects(s.claim(), (e: unknown) => e instanceof ChatError && e.code === 'unavailable');
      await s.claim();
      await s.claim();
      assert.equal(claims, 2, 'claimed again once, then known to be ours');
    }
  });

  it("a fresh id someone else owns is refused as internal, and the refusal is not remembered: each message asks again", async () => {
    const ownership = createInProcessOwnership({ ttlMs: 60_000 });
    await ownership.claim('s-1', { kind: 'customer', customerId: 'cust-bob' });
    let claims = 0;
    const counting: SessionOwnership = { ...ownership, claim: (...a) => (claims++, ownership.claim(...a)) };
    const { access } = setup(counting);
    const s = await access.open({ customer: guest });
    for (let i = 0; i < 2; i++) await assert.rejects(s.claim(), (e: unknown) => e instanceof ChatError && e.code === 'internal');
    assert.equal(claims, 2);
  });
});
