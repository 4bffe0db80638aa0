import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInProcessSemanticStore } from '../../src/cache/semantic/in-process-semantic-store.ts';
import { basis, manualClock, semanticStoreContract } from './semantic-store-contract.ts';

semanticStoreContract('in-process', async ({ ttlMs, maxPerPartition, now }) => {
  const store = createInProcessSemanticStore({ ttlMs, maxPerPartition, maxEntries: 10_000, now });
  return { store, cleanup: () => store.close() };
});

describe('in-process semantic store', () => {
  const entry = (i: number, question: string, storedAt: number) => ({ vector: basis(i), question, answer: question, storedAt });

  it('when full, takes the oldest entry of the least recently used partition', async () => {
    const clock = manualClock();
    const store = createInProcessSemanticStore({ ttlMs: 60_000, maxPerPartition: 10, maxEntries: 4, now: clock.now });
    await store.add('a', entry(0, 'a0', clock.now()));
    await store.add('a', entry(1, 'a1', clock.now()));
    await store.add('b', entry(0, 'b0', clock.now()));
    await store.add('b', entry(1, 'b1', clock.now()));
    await store.nearest('a', basis(0), 0.9); // a is now the most recently used
    await store.add('c', entry(0, 'c0', clock.now()));
    assert.deepEqual(store.stats(), { partitions: 3, entries: 4 });
    assert.equal(await store.nearest('b', basis(0), 0.9), undefined, "b's oldest went");
    assert.ok(await store.nearest('b', basis(1), 0.9), "b's newest stayed");
    assert.ok(await store.nearest('a', basis(0), 0.9));
    assert.ok(await store.nearest('a', basis(1), 0.9));
    // The lookups above moved b, then a, behind c: c is now the least recently used.
    await store.add('d', entry(0, 'd0', clock.now()));
    assert.equal(await store.nearest('c', basis(0), 0.9), undefined, 'c, untouched since its add, gave up its only entry');
    assert.deepEqual(store.stats(), { partitions: 3, entries: 4 });
  });

  it('sweeps expired entries before evicting live ones', async () => {
    const clock = manualClock();
    const store = createInProcessSemanticStore({ ttlMs: 1_000, maxPerPartition: 10, maxEntries: 3, now: clock.now });
    await store.add('old', entry(0, 'o0', clock.now()));
    await store.add('old', entry(1, 'o1', clock.now()));
    clock.advance(600);
    await store.add('live', entry(0, 'l0', clock.now()));
    clock.advance(400); // 'old' has expired, 'live' has 600 ms left
    await store.add('live', entry(1, 'l1', clock.now()));
    assert.deepEqual(store.stats(), { partitions: 1, entries: 2 }, 'both expired entries went, not just the one needed');
    await store.add('live', entry(2, 'l2', clock.now()));
    assert.deepEqual(store.stats(), { partitions: 1, entries: 3 });
    for (let i = 0; i < 3; i++) assert.ok(await store.nearest('live', basis(i), 0.9), `live entry ${i}`);
  });

  it('never evicts the entry being added, even when one partition holds the whole store', async () => {
    const clock = manualClock();
    const store = createInProcessSemanticStore({ ttlMs: 60_000, maxPerPartition: 10, maxEntries: 2, now: clock.now });
    for (let i = 0; i < 5; i++) await store.add('p', entry(i, `q${i}`, clock.now()));
    assert.deepEqual(store.stats(), { partitions: 1, entries: 2 });
    assert.ok(await store.nearest('p', basis(3), 0.9));
    assert.ok(await store.nearest('p', basis(4), 0.9));
  });

  it('lookups remove a partition whose entries have all expired', async () => {
    const clock = manualClock();
    const store = createInProcessSemanticStore({ ttlMs: 1_000, maxPerPartition: 10, maxEntries: 100, now: clock.now });
    await store.add('p', entry(0, 'q', clock.now()));
    clock.advance(1_000);
    assert.equal(await store.nearest('p', basis(0), 0.5), undefined);
    assert.deepEqual(store.stats(), { partitions: 0, entries: 0 });
  });

  it('counts entries through trimming and drops', async () => {
    const clock = manualClock();
    const store = createInProcessSemanticStore({ ttlMs: 60_000, maxPerPartition: 2, maxEntries: 100, now: clock.now });
    for (let i = 0; i < 5; i++) await store.add('faq:en:returns', entry(i, `q${i}`, clock.now()));
    await store.add('faq:ja:returns', entry(0, 'j', clock.now()));
    await store.add('pq:en:naruto', entry(0, 'n', clock.now()));
    assert.deepEqual(store.stats(), { partitions: 3, entries: 4 });
    await store.dropPartitions(['faq']);
    assert.deepEqual(store.stats(), { partitions: 1, entries: 1 });
    await store.close();
    assert.deepEqual(store.stats(), { partitions: 0, entries: 0 });
  });

  it('rejects nonsense options', () => {
    assert.throws(() => createInProcessSemanticStore({ ttlMs: 0, maxPerPartition: 1, maxEntries: 1 }), RangeError);
    assert.throws(() => createInProcessSemanticStore({ ttlMs: 1, maxPerPartition: 0, maxEntries: 1 }), RangeError);
    assert.throws(() => createInProcessSemanticStore({ ttlMs: 1, maxPerPartition: 1, maxEntries: 0.5 }), RangeError);
  });
});
