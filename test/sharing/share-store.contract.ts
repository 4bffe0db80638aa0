import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { ShareRecord, ShareStore, SharedView } from '../../src/sharing/types.ts';

/** Builds a fresh, empty share store for one test, on the given clock. */
export type ShareStoreFactory = (opts: { now: () => number }) => ShareStore;

const DAY = 86_400_000;
const T0 = 1_800_000_000_000;
let ids = 0;

/** A share made at `createdAt` that lasts `ttlMs`, with text in both languages and a card. */
export function record(owner: string, opts: { createdAt?: number; ttlMs?: number; shareId?: string } = {}): ShareRecord {
  const createdAt = opts.createdAt ?? T0;
  const view: SharedView = {
    shareId: opts.shareId ?? `share-id-${process.pid}-${++ids}`.padEnd(22, 'x').slice(0, 22),
    createdAt,
    expiresAt: createdAt + (opts.ttlMs ?? 30 * DAY),
    language: 'ja',
    messages: [
      { role: 'user', text: 'フリーレンの最新刊はありますか？', at: createdAt - 5000, language: 'ja' },
      {
        role: 'assistant',
        text: '『葬送のフリーレン』は14巻まで発売中です。',
        at: createdAt - 4000,
        language: 'ja',
        cards: [{ id: 'sousou-no-frieren-v014', seriesId: 'sousou-no-frieren', title: 'Sousou no Frieren', titleEn: "Frieren: Beyond Journey's End", titleJa: '葬送のフリーレン', authors: ['Kanehito Yamada', 'Tsukasa Abe'], volume: 14 }],
      },
      { role: 'note', leftOut: 'orders', at: createdAt - 3000 },
    ],
  };
  return { view, owner };
}

/** The one behaviour suite every ShareStore adapter must pass. */
export function shareStoreContract(name: string, factory: ShareStoreFactory): void {
  describe(`ShareStore contract: ${name}`, () => {
    let open: ShareStore[] = [];
    const make = () => {
      let t = T0;
      const store = factory({ now: () => t });
      open.push(store);
      return { store, advance: (ms: number) => (t += ms) };
    };
    afterEach(() => {
      for (const s of open) s.close();
      open = [];
    });

    it('knows no share of an id nobody made', async () => {
      const { store } = make();
      assert.equal(await store.get('AAAAAAAAAAAAAAAAAAAAAA'), undefined);
    });

    it('returns a share exactly as it was made, owner and all', async () => {
      const { store } = make();
      const r = record('guest:' + 'a'.repeat(64));
      assert.equal(await store.create(r), true);
      assert.deepEqual(await store.get(r.view.shareId), r);
    });

    it('never overwrites a share: a second create of its id is refused and changes nothing', async () => {
      const { store } = make();
      const first = record('customer:cust-1');
      await store.create(first);
      const second = record('customer:cust-2', { shareId: first.view.shareId });
      assert.equal(await store.create(second), false);
      assert.deepEqual(await store.get(first.view.shareId), first);
    });

    it('lets exactly one of many concurrent creates of one id win', async () => {
      const { store } = make();
      const shareId = record('x').view.shareId;
      const rivals = Array.from({ length: 8 }, (_, i) => record(`customer:cust-${i}`, { shareId }));
      const won = await Promise.all(rivals.map((r) => store.create(r)));
      assert.equal(won.filter(Boolean).length, 1);
      assert.equal((await store.get(shareId))?.owner, rivals[won.indexOf(true)].owner);
    });

    it('stops returning a share at its end, whether or not it was deleted yet', async () => {
      const { store, advance } = make();
      const r = record('customer:cust-1', { ttlMs: DAY });
      await store.create(r);
      advance(DAY - 1);
      assert.ok(await store.get(r.view.shareId));
      advance(1);
      assert.equal(await store.get(r.view.shareId), undefined);
    });

    it('deletes a share only for its owner; a stranger learns nothing', async () => {
      const { store } = make();
      const r = record('guest:' + 'b'.repeat(64));
      await store.create(r);
      assert.equal(await store.delete(r.view.shareId, ['customer:cust-9', 'guest:' + 'c'.repeat(64)]), false);
      assert.equal(await store.delete(r.view.shareId, []), false);
      assert.ok(await store.get(r.view.shareId), 'still there');
      assert.equal(await store.delete(r.view.shareId, ['customer:cust-9', r.owner]), true, 'one of the keys presented is the owner');
      assert.equal(await store.get(r.view.shareId), undefined);
      assert.equal(await store.delete(r.view.shareId, [r.owner]), false, 'gone: nothing to delete');
      assert.equal(await store.delete('AAAAAAAAAAAAAAAAAAAAAA', [r.owner]), false);
    });

    it('expire() deletes the expired shares only and counts them', async () => {
      const { store, advance } = make();
      const short = record('customer:cust-1', { ttlMs: DAY });
      const long = record('customer:cust-1', { ttlMs: 10 * DAY });
      await store.create(short);
      await store.create(long);
      assert.equal(await store.expire(), 0);
      advance(2 * DAY);
      assert.equal(await store.expire(), 1);
      assert.equal(await store.get(short.view.shareId), undefined);
      assert.ok(await store.get(long.view.shareId));
      // An expired share deleted by the sweep is also gone for its owner's revocation.
      assert.equal(await store.delete(short.view.shareId, [short.owner]), false);
    });

    it('honours an aborted signal', async () => {
      const { store } = make();
      await assert.rejects(store.get('AAAAAAAAAAAAAAAAAAAAAA', { signal: AbortSignal.abort() }));
    });
  });
}
