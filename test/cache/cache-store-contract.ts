import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { CacheEntry, CacheStore } from '../../src/cache/types.ts';

/**
 * Builds a fresh, empty store that reads time only from `now` and was created with
 * `maxEntryBytes: CONTRACT_MAX_ENTRY_BYTES` (and room for a few hundred small entries otherwise);
 * `cleanup` releases what it holds.
 */
export type CacheStoreFactory = (now: () => number) => Promise<{ store: CacheStore; cleanup(): Promise<void> }>;

export const CONTRACT_MAX_ENTRY_BYTES = 1024;

/** A controllable clock in epoch ms. */
export function manualClock(start = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

/** An entry written at `now`, fresh for a minute and servable stale for another. */
export function entryAt(now: number, value: unknown, tags: string[] = [], overrides: Partial<CacheEntry> = {}): CacheEntry {
  return { value: JSON.stringify(value), freshUntil: now + 60_000, staleUntil: now + 120_000, storedAt: now, computeMs: 12.5, tags, ...overrides };
}

/** The behaviour every CacheStore adapter must show. */
export function cacheStoreContract(name: string, make: CacheStoreFactory): void {
  describe(`CacheStore contract: ${name}`, () => {
    let cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups) await c();
      cleanups = [];
    });
    const setup = async () => {
      const clock = manualClock();
      const { store, cleanup } = await make(clock.now);
      cleanups.push(cleanup);
      const entry = (value: unknown, tags: string[] = [], overrides: Partial<CacheEntry> = {}) => entryAt(clock.now(), value, tags, overrides);
      return { store, clock, entry };
    };

    it('returns what was set, every field intact', async () => {
      const { store, entry } = await setup();
      const e = entry({ title: 'One Piece', volumes: [1, 2, 3] }, ['series:one-piece', 'price'], { computeMs: 0.75 });
      assert.equal(await store.set('k', e), true);
      assert.deepEqual(await store.get('k'), e);
      assert.equal(await store.get('absent'), undefined);
    });

    it('keeps a "no such thing" (null) value apart from a miss', async () => {
      const { store, entry } = await setup();
      await store.set('nothing', entry(null));
      assert.equal((await store.get('nothing'))?.value, 'null');
    });

    it('getMany answers in the order asked, with gaps and repeats', async () => {
      const { store, entry } = await setup();
      const a = entry('a');
      const c = entry('c', ['t']);
      await store.set('a', a);
      await store.set('c', c);
      assert.deepEqual(await store.getMany(['c', 'missing', 'a', 'c']), [c, undefined, a, c]);
      assert.deepEqual(await store.getMany([]), []);
    });

    it('serves an entry past freshUntil until staleUntil, then it is gone', async () => {
      const { store, clock, entry } = await setup();
      await store.set('k', entry('v', [], { freshUntil: clock.now() + 1_000, staleUntil: clock.now() + 5_000 }));
      clock.advance(1_000);
      assert.equal((await store.get('k'))?.value, '"v"', 'stale but servable');
      clock.advance(3_999);
      assert.ok(await store.get('k'));
      clock.advance(1);
      assert.equal(await store.get('k'), undefined, 'at staleUntil');
      assert.deepEqual(await store.getMany(['k']), [undefined]);
    });

    it('does not store an entry already past staleUntil', async () => {
      const { store, clock, entry } = await setup();
      assert.equal(await store.set('k', entry('v', [], { freshUntil: clock.now() - 10, staleUntil: clock.now() })), false);
      assert.equal(await store.get('k'), undefined);
    });

    it('an overwrite replaces the value and the tags', async () => {
      const { store, entry } = await setup();
      await store.set('k', entry('old', ['old-tag', 'shared']));
      await store.set('j', entry('old', ['old-tag', 'shared']));
      const fresh = entry('new', ['new-tag', 'shared']);
      assert.equal(await store.set('k', fresh), true);
      assert.equal(await store.set('j', fresh), true);
      assert.deepEqual(await store.getMany(['k', 'j']), [fresh, fresh]);
      // Whether the old tag still removes the key is the adapter's choice (it only over-invalidates).
      await store.invalidateTags(['new-tag']);
      assert.equal(await store.get('k'), undefined, 'the new tag removes it');
      await store.invalidateTags(['shared']);
      assert.equal(await store.get('j'), undefined, 'a tag of both the old and the new entry removes it');
    });

    it('delete removes the keys named, and only them', async () => {
      const { store, entry } = await setup();
      await store.set('a', entry('a'));
      await store.set('b', entry('b'));
      await store.set('c', entry('c'));
      await store.delete(['a', 'c', 'never-set']);
      assert.deepEqual((await store.getMany(['a', 'b', 'c'])).map((e) => e?.value), [undefined, '"b"', undefined]);
      await store.delete([]);
      assert.ok(await store.get('b'));
    });

    it('invalidateTags removes every entry carrying a tag, and leaves the others', async () => {
      const { store, entry } = await setup();
      await store.set('x', entry('x', ['series:a']));
      await store.set('y', entry('y', ['series:a', 'series:b']));
      await store.set('z', entry('z', ['series:b']));
      await store.set('w', entry('w', ['series:c']));
      await store.set('untagged', entry('u'));
      await store.invalidateTags(['series:a']);
      assert.deepEqual((await store.getMany(['x', 'y', 'z', 'w', 'untagged'])).map((e) => e?.value), [undefined, undefined, '"z"', '"w"', '"u"']);
      await store.invalidateTags(['series:b', 'series:c', 'never-used']);
      assert.deepEqual((await store.getMany(['z', 'w', 'untagged'])).map((e) => e?.value), [undefined, undefined, '"u"']);
      await store.invalidateTags([]);
      assert.ok(await store.get('untagged'));
    });

    it('an entry written again after its tag was invalidated is indexed again', async () => {
      const { store, entry } = await setup();
      await store.set('k', entry(1, ['t']));
      await store.invalidateTags(['t']);
      await store.set('k', entry(2, ['t']));
      assert.equal((await store.get('k'))?.value, '2');
      await store.invalidateTags(['t']);
      assert.equal(await store.get('k'), undefined);
    });

    it('refuses a value over maxEntryBytes (UTF-8 bytes, not characters) and drops the older value of the key', async () => {
      const { store, entry } = await setup();
      await store.set('k', entry('small', ['t']));
      // 400 characters, 1,200 bytes (+2 quotes) in UTF-8.
      const large = entry('あ'.repeat(400), ['t']);
      assert.ok(large.value.length < CONTRACT_MAX_ENTRY_BYTES && Buffer.byteLength(large.value) > CONTRACT_MAX_ENTRY_BYTES);
      assert.equal(await store.set('k', large), false);
      assert.equal(await store.get('k'), undefined, 'the older, smaller value is gone too');
      assert.equal(await store.set('other', large), false);
      assert.equal(await store.get('other'), undefined);
      const fits = entry('x'.repeat(CONTRACT_MAX_ENTRY_BYTES - 2));
      assert.equal(Buffer.byteLength(fits.value), CONTRACT_MAX_ENTRY_BYTES);
      assert.equal(await store.set('k', fits), true, 'exactly maxEntryBytes is stored');
      assert.deepEqual(await store.get('k'), fits);
    });

    it('keeps Japanese keys, values and tags intact', async () => {
      const { store, entry } = await setup();
      const e = entry({ title: '鬼滅の刃', note: '「新装版」全23巻\n改行と"引用符"と\\も' }, ['シリーズ:鬼滅の刃']);
      await store.set('作品:鬼滅の刃', e);
      const got = await store.get('作品:鬼滅の刃');
      assert.deepEqual(got, e);
      assert.deepEqual(JSON.parse(got!.value), { title: '鬼滅の刃', note: '「新装版」全23巻\n改行と"引用符"と\\も' });
      await store.invalidateTags(['シリーズ:鬼滅の刃']);
      assert.equal(await store.get('作品:鬼滅の刃'), undefined);
    });

    it('handles many keys: concurrent sets, one getMany, a tag spanning half of them', async () => {
      const { store, entry } = await setup();
      const n = 300;
      const keys = Array.from({ length: n }, (_, i) => `item:${i}`);
      const stored = await Promise.all(keys.map((k, i) => store.set(k, entry(i, i % 2 === 0 ? ['even', 'all'] : ['all']))));
      assert.ok(stored.every(Boolean));
      assert.deepEqual((await store.getMany(keys)).map((e) => e && Number(e.value)), keys.map((_, i) => i));
      await store.invalidateTags(['even']);
      assert.deepEqual((await store.getMany(keys)).map((e) => e && Number(e.value)), keys.map((_, i) => (i % 2 === 0 ? undefined : i)));
      await store.invalidateTags(['all']);
      assert.ok((await store.getMany(keys)).every((e) => e === undefined));
    });
  });
}
