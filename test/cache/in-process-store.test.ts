import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInProcessStore, entryBytes, type InProcessStoreOptions } from '../../src/cache/in-process-store.ts';
import { cacheStoreContract, CONTRACT_MAX_ENTRY_BYTES, entryAt, manualClock } from './cache-store-contract.ts';

cacheStoreContract('in-process', async (now) => {
  const store = createInProcessStore({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024, maxEntryBytes: CONTRACT_MAX_ENTRY_BYTES, now });
  return { store, cleanup: () => store.close() };
});

describe('in-process store', () => {
  const setup = (opts: Partial<InProcessStoreOptions> = {}) => {
    const clock = manualClock();
    let evictions = 0;
    const store = createInProcessStore({
      maxEntries: 100,
      maxBytes: 1024 * 1024,
      maxEntryBytes: 1024,
      now: clock.now,
      onEvict: () => evictions++,
      ...opts,
    });
    const entry = (value: unknown, tags: string[] = []) => entryAt(clock.now(), value, tags);
    return { store, clock, entry, evictions: () => evictions };
  };
  const present = (store: ReturnType<typeof setup>['store'], keys: string[]) => keys.filter((k) => store.peek(k) !== undefined);

  it('evicts the least recently used entry beyond maxEntries, and tells onEvict', async () => {
    const { store, entry, evictions } = setup({ maxEntries: 3 });
    store.put('a', entry('a'));
    store.put('b', entry('b'));
    store.put('c', entry('c'));
    await store.get('a'); // a is now more recent than b
    store.put('d', entry('d'));
    assert.deepEqual(present(store, ['a', 'b', 'c', 'd']), ['a', 'c', 'd']);
    assert.equal(evictions(), 1);
    store.peek('c'); // peek counts as a use too
    store.put('e', entry('e'));
    assert.deepEqual(present(store, ['a', 'c', 'd', 'e']), ['c', 'd', 'e']);
    assert.equal(evictions(), 2);
  });

  it('evicts by estimated bytes beyond maxBytes', () => {
    const clock = manualClock();
    const sized = entryAt(clock.now(), 'x'.repeat(98)); // 100 bytes of JSON
    const bytes = entryBytes('k1', sized);
    const { store, evictions } = setup({ maxBytes: 2 * bytes, now: clock.now });
    store.put('k1', sized);
    store.put('k2', sized);
    assert.deepEqual(store.stats(), { entries: 2, bytes: 2 * bytes });
    store.put('k3', sized);
    assert.deepEqual(present(store, ['k1', 'k2', 'k3']), ['k2', 'k3']);
    assert.equal(evictions(), 1);
    assert.equal(store.stats().bytes, 2 * bytes);
  });

  it('refuses an entry whose estimate alone exceeds maxBytes, without flushing the others', () => {
    const { store, entry, evictions } = setup({ maxBytes: 600, maxEntryBytes: 10_000 });
    store.put('small', entry('s'));
    assert.equal(store.put('big', entry('x'.repeat(400))), false);
    assert.deepEqual(present(store, ['small', 'big']), ['small']);
    assert.equal(evictions(), 0);
  });

  it('does not call onEvict for expiry, removal or invalidation', async () => {
    const { store, clock, entry, evictions } = setup();
    store.put('expires', entry('e'));
    store.put('removed', entry('r'));
    store.put('tagged', entry('t', ['t']));
    store.remove(['removed']);
    assert.equal(store.dropTags(['t']), 1);
    clock.advance(120_000);
    assert.equal(await store.get('expires'), undefined);
    assert.equal(evictions(), 0);
    assert.equal(store.stats().entries, 0, 'the expired entry was dropped when read');
  });

  it('peek parses once and shares one frozen value', () => {
    const { store, entry } = setup();
    store.put('k', entry({ title: 'ワンピース', volumes: [1, 2] }));
    const first = store.peek('k')!;
    const second = store.peek('k')!;
    assert.deepEqual(first.value, { title: 'ワンピース', volumes: [1, 2] });
    assert.equal(first.value, second.value, 'the same object, not parsed again');
    assert.ok(Object.isFrozen(first.value));
    assert.ok(Object.isFrozen((first.value as { volumes: number[] }).volumes), 'deeply');
    assert.throws(() => { (first.value as { title: string }).title = 'changed'; }, TypeError);
  });

  it('put keeps an already-parsed value, frozen, instead of parsing', () => {
    const { store, entry } = setup();
    const parsed = { n: 1 };
    store.put('k', entry({ n: 1 }), parsed);
    assert.equal(store.peek('k')!.value, parsed);
    assert.ok(Object.isFrozen(parsed));
  });

  it('peek is undefined for an absent or expired entry', () => {
    const { store, clock, entry } = setup();
    assert.equal(store.peek('nope'), undefined);
    store.put('k', entry('v'));
    clock.advance(120_000);
    assert.equal(store.peek('k'), undefined);
  });

  it('stats counts entries and estimated bytes; dropTags counts what went; clear empties', () => {
    const { store, entry } = setup();
    const a = entry('a', ['t1']);
    const b = entry('b', ['t1', 't2']);
    store.put('a', a);
    store.put('b', b);
    assert.deepEqual(store.stats(), { entries: 2, bytes: entryBytes('a', a) + entryBytes('b', b) });
    assert.equal(store.dropTags(['t1', 't2']), 2, 'b counted once');
    assert.deepEqual(store.stats(), { entries: 0, bytes: 0 });
    store.put('a', a);
    store.clear();
    assert.deepEqual(store.stats(), { entries: 0, bytes: 0 });
    assert.equal(store.dropTags(['t1']), 0, 'the tag index was emptied with the entries');
  });

  it('an overwrite moves the key off its old tags', async () => {
    const { store, entry } = setup();
    store.put('k', entry('old', ['old-tag']));
    store.put('k', entry('new', ['new-tag']));
    assert.equal(store.dropTags(['old-tag']), 0);
    assert.equal((await store.get('k'))?.value, '"new"');
  });
});
