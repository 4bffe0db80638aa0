import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Promotion, PromotionService } from '../../src/promotions/types.ts';

/** Builds a promotion service holding exactly `promotions`. */
export type PromotionsFactory = (promotions: Promotion[]) => PromotionService | Promise<PromotionService>;

/** A promotion running from `startsAt` to `endsAt` for `seriesIds` (empty = store-wide). */
export function promotion(id: string, seriesIds: string[], startsAt: string, endsAt: string): Promotion {
  return {
    id,
    title: `Promotion ${id}`,
    titleJa: `キャンペーン ${id}`,
    description: `Details of ${id}`,
    descriptionJa: `${id} の詳細`,
    kind: 'percent_off',
    value: 10,
    seriesIds,
    startsAt,
    endsAt,
  };
}

export const PROMOTIONS: Promotion[] = [
  promotion('store-points', [], '2026-11-01T00:00:00+09:00', '2026-11-30T00:00:00+09:00'),
  promotion('one-piece-sale', ['one-piece'], '2026-11-10T00:00:00+09:00', '2026-11-20T00:00:00+09:00'),
  promotion('shonen-bundle', ['naruto', 'one-piece'], '2026-11-01T00:00:00+09:00', '2026-12-31T00:00:00+09:00'),
  promotion('frieren-launch', ['frieren'], '2026-11-15T00:00:00+09:00', '2026-11-16T00:00:00+09:00'),
  promotion('summer-sale', [], '2026-07-01T00:00:00+09:00', '2026-08-01T00:00:00+09:00'),
  promotion('new-year', [], '2027-01-01T00:00:00+09:00', '2027-01-08T00:00:00+09:00'),
];

const ids = (ps: Promotion[]) => ps.map((p) => p.id);

/** The one behaviour suite every PromotionService adapter must pass. */
export function promotionsContract(name: string, factory: PromotionsFactory): void {
  describe(`PromotionService contract: ${name}`, () => {
    it('returns every promotion running at now, soonest ending first', async () => {
      const promos = await factory(PROMOTIONS);
      const now = new Date('2026-11-15T12:00:00+09:00');
      assert.deepEqual(ids(await promos.active({ now })), ['frieren-launch', 'one-piece-sale', 'store-points', 'shonen-bundle']);
    });

    it('returns promotions with every field intact', async () => {
      const promos = await factory(PROMOTIONS);
      const [first] = await promos.active({ now: new Date('2026-07-15T00:00:00Z') });
      assert.deepEqual(first, PROMOTIONS[4]);
    });

    it('treats the window as starting at startsAt and ending just before endsAt', async () => {
      const promos = await factory(PROMOTIONS);
      assert.ok(ids(await promos.active({ now: new Date('2026-11-15T00:00:00+09:00') })).includes('frieren-launch'));
      assert.ok(!ids(await promos.active({ now: new Date('2026-11-14T23:59:59.999+09:00') })).includes('frieren-launch'));
      assert.ok(!ids(await promos.active({ now: new Date('2026-11-16T00:00:00+09:00') })).includes('frieren-launch'));
    });

    it('keeps store-wide promotions and only the matching series ones when seriesIds are given', async () => {
      const promos = await factory(PROMOTIONS);
      const now = new Date('2026-11-15T12:00:00+09:00');
      assert.deepEqual(ids(await promos.active({ now, seriesIds: ['naruto'] })), ['store-points', 'shonen-bundle']);
      assert.deepEqual(ids(await promos.active({ now, seriesIds: ['frieren', 'berserk'] })), ['frieren-launch', 'store-points']);
      assert.deepEqual(ids(await promos.active({ now, seriesIds: [] })), ['store-points']);
    });

    it('returns [] when nothing runs', async () => {
      const promos = await factory(PROMOTIONS);
      assert.deepEqual(await promos.active({ now: new Date('2026-09-01T00:00:00Z') }), []);
      assert.deepEqual(await (await factory([])).active({ now: new Date('2026-11-15T00:00:00Z') }), []);
    });

    it('rejects a call whose signal is already aborted', async () => {
      const promos = await factory(PROMOTIONS);
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(promos.active({ signal: ac.signal }), /deadline/);
    });
  });
}
