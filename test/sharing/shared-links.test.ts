/**
 * The shared links on in-process parts, the store behind a counting proxy: who may share and
 * revoke, what a read costs the store when a thousand people open one link at once, and what a
 * store that cannot answer looks like to them.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteShares } from '../../src/sharing/sqlite-shares.ts';
import { createSharedLinks, type SharedLinks } from '../../src/sharing/shared-links.ts';
import type { ShareStore } from '../../src/sharing/types.ts';
import { guardrailRules } from '../../src/sharing/rules.ts';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import { createInProcessOwnership } from '../../src/sessions/in-process-ownership.ts';
import { hashToken } from '../../src/sessions/session-access.ts';
import { createInProcessMemory } from '../../src/memory/in-process-memory.ts';
import { createInProcessStore } from '../../src/cache/in-process-store.ts';
import { createInProcessBus } from '../../src/cache/in-process-bus.ts';
import { createTieredCache } from '../../src/cache/tiered-cache.ts';
import { isChatError } from '../../src/errors.ts';
import type { StoredMessage } from '../../src/memory/types.ts';

const GUEST_TOKEN = 'g'.repeat(43);
const guest = { kind: 'guest' as const };
const alice = { kind: 'member' as const, customerId: 'cust-alice', name: 'Alice Liddell' };
const bob = { kind: 'member' as const, customerId: 'cust-bob' };

/** A store whose reads are counted, and can be held (so concurrent opens really overlap) or made to fail. */
function counting(store: ShareStore) {
  let release: () => void = () => {};
  let held: Promise<void> | undefined;
  let failures: Error[] = [];
  const counted = {
    reads: 0,
    hold() {
      held = new Promise((resolve) => (release = resolve));
    },
    release() {
      held = undefined;
      release();
    },
    failNext(error: Error, times = 1) {
      failures = Array.from({ length: times }, () => error);
    },
    store: {
      ...store,
      async get(id: string, opts?: { signal?: AbortSignal }) {
        counted.reads++;
        if (held) await held;
        const failure = failures.shift();
        if (failure) throw failure;
        return store.get(id, opts);
      },
    } as ShareStore,
  };
  return counted;
}

async function world() {
  const store = counting(createSqliteShares(openDatabase(':memory:')));
  const ownership = createInProcessOwnership({ ttlMs: 86_400_000 });
  const memory = createInProcessMemory({ idleTtlMs: 30 * 60_000 });
  const tiered = createTieredCache({ l1: createInProcessStore({ maxEntries: 1000, maxBytes: 1 << 24, maxEntryBytes: 1 << 16 }), bus: createInProcessBus(), l2ReadTimeoutMs: 25, l2WriteTimeoutMs: 100 });
  const guardrails = createGuardrails({ catalog: [] });
  const links: SharedLinks = createSharedLinks({
    store: store.store,
    ownership,
    memory,
    rules: guardrailRules(guardrails, { getSeriesMany: async () => [] }),
    tiered,
    ttlMs: 7 * 86_400_000,
    cacheTtlMs: 600_000,
    loadTimeoutMs: 2000,
    ownNames: async (c) => [c.name ?? ''],
  });
  let n = 0;
  const conversation = async (owner: 'guest' | typeof alice, turns: [string, string, string?][] = [['Do you have Frieren?', 'Yes, volume 14 is out.']]) => {
    const sessionId = `s-${++n}`;
    await ownership.claim(sessionId, owner === 'guest' ? { kind: 'guest', tokenHash: hashToken(GUEST_TOKEN) } : { kind: 'customer', customerId: owner.customerId });
    let at = Date.now() - 60_000;
    const messages: StoredMessage[] = turns.flatMap(([q, a, intent], i) => [
      { role: 'user' as const, text: q, messageId: `m-${i}`, intent: intent ?? 'product_search', language: 'en' as const, at: (at += 100) },
      { role: 'assistant' as const, text: a, messageId: `m-${i}`, intent: intent ?? 'product_search', language: 'en' as const, at: (at += 100) },
    ]);
    if (messages.length > 0) await memory.append(sessionId, messages);
    return sessionId;
  };
  return { store, links, conversation, tiered };
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; retryAfterMs?: number }> {
  try {
    await p;
  } catch (error) {
    assert.ok(isChatError(error), String(error));
    return { code: error.code, retryAfterMs: error.retryAfterMs };
  }
  assert.fail('expected a refusal');
}

describe('shared links', () => {
  it('only the owner shares: a guest by the resume token, a customer by their sign-in', async () => {
    const { links, conversation } = await world();
    const guestChat = await conversation('guest');
    const aliceChat = await conversation(alice);
    assert.equal((await refusal(links.share(guestChat, { customer: guest }))).code, 'not_found', 'the id alone');
    assert.equal((await refusal(links.share(guestChat, { customer: guest, resumeToken: 'x'.repeat(43) }))).code, 'not_found', 'a wrong token');
    assert.equal((await refusal(links.share(aliceChat, { customer: bob }))).code, 'not_found', 'another customer');
    assert.equal((await refusal(links.share(aliceChat, { customer: guest, resumeToken: GUEST_TOKEN }))).code, 'not_found', "a guest token on a customer's chat");
    assert.equal((await refusal(links.share('s-never', { customer: alice }))).code, 'not_found', 'nobody owns it');
    const a = await links.share(guestChat, { customer: guest, resumeToken: GUEST_TOKEN });
    const b = await links.share(aliceChat, { customer: alice });
    assert.match(a.shareId, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(a.shareId, b.shareId);
    assert.deepEqual((await links.read(a.shareId))?.messages.map((m) => m.role), ['user', 'assistant']);
  });

  it('the rate limit is spent only once ownership is proven', async () => {
    const { links, conversation } = await world();
    const chat = await conversation(alice);
    let admitted = 0;
    const admit = async () => void admitted++;
    await refusal(links.share(chat, { customer: bob }, { admit }));
    assert.equal(admitted, 0);
    await links.share(chat, { customer: alice }, { admit });
    assert.equal(admitted, 1);
  });

  it('refuses to share an empty conversation, or one with nothing a stranger may read', async () => {
    const { links, conversation } = await world();
    assert.equal((await refusal(links.share(await conversation(alice, []), { customer: alice }))).code, 'conflict');
    const ordersOnly = await conversation(alice, [['Where is my order?', 'Order MA-20261005-0003 is on its way.', 'order_status']]);
    assert.equal((await refusal(links.share(ordersOnly, { customer: alice }))).code, 'conflict');
  });

  it('1,000 concurrent opens of one link make one store read; waves after it make none', async () => {
    const { links, conversation, store } = await world();
    const { shareId } = await links.share(await conversation('guest'), { customer: guest, resumeToken: GUEST_TOKEN });
    store.hold();
    const opens = Array.from({ length: 1000 }, () => links.read(shareId));
    store.release();
    const views = await Promise.all(opens);
    assert.ok(views.every((v) => v?.shareId === shareId));
    assert.equal(store.reads, 1);
    for (let wave = 0; wave < 5; wave++) await Promise.all(Array.from({ length: 200 }, () => links.read(shareId)));
    assert.equal(store.reads, 1);
  });

  it('malformed ids never reach the store', async () => {
    const { links, store } = await world();
    for (const id of ['', 'short', '../../etc/passwd', 'A'.repeat(23), 'AAAAAAAAAAAAAAAAAAAAA=']) assert.equal(await links.read(id), undefined);
    assert.equal(store.reads, 0);
  });

  it('revocation: only the owner, the link stops at once, and its opens after that are remembered as missing', async () => {
    const { links, conversation, store } = await world();
    const { shareId } = await links.share(await conversation(alice), { customer: alice });
    assert.ok(await links.read(shareId));
    assert.equal(await links.revoke(shareId, { customer: bob }), false);
    assert.equal(await links.revoke(shareId, { customer: guest, resumeToken: GUEST_TOKEN }), false);
    assert.ok(await links.read(shareId), 'still served');
    assert.equal(await links.revoke(shareId, { customer: alice }), true);
    const before = store.reads;
    const after = await Promise.all(Array.from({ length: 500 }, () => links.read(shareId)));
    assert.ok(after.every((v) => v === undefined));
    assert.equal(store.reads - before, 1, 'one read finds it gone; the rest are told from the cache');
    assert.equal(await links.revoke(shareId, { customer: alice }), false, 'already gone');
  });

  it('a read in flight when the link is revoked is not cached', async () => {
    const { links, conversation, store } = await world();
    const { shareId } = await links.share(await conversation('guest'), { customer: guest, resumeToken: GUEST_TOKEN });
    store.hold();
    const inFlight = links.read(shareId);
    while (store.reads === 0) await new Promise((r) => setImmediate(r));
    assert.equal(await links.revoke(shareId, { customer: guest, resumeToken: GUEST_TOKEN }), true);
    store.release();
    await inFlight; // read before the delete: may have seen it
    assert.equal(await links.read(shareId), undefined);
  });

  it('a store that cannot answer: every opener waiting on the read gets one `unavailable` with a spread Retry-After; the next open tries again', async () => {
    const { links, conversation, store } = await world();
    const { shareId } = await links.share(await conversation('guest'), { customer: guest, resumeToken: GUEST_TOKEN });
    const throttled = Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' });
    store.failNext(throttled);
    store.hold();
    const opens = Array.from({ length: 300 }, () => refusal(links.read(shareId)));
    store.release();
    const refused = await Promise.all(opens);
    assert.equal(store.reads, 1, 'one failing read for all of them, no retry storm');
    for (const r of refused) {
      assert.equal(r.code, 'unavailable');
      assert.ok(r.retryAfterMs! >= 1000 && r.retryAfterMs! <= 3000, String(r.retryAfterMs));
    }
    assert.ok(new Set(refused.map((r) => r.retryAfterMs)).size > 1, 'spread, not all at once');
    assert.equal((await links.read(shareId))?.shareId, shareId);
    assert.equal(store.reads, 2);
  });
});
