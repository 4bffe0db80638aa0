import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Review, ReviewService } from '../../src/reviews/types.ts';

/** Builds a review service holding exactly `reviews`. */
export type ReviewsFactory = (reviews: Review[]) => ReviewService | Promise<ReviewService>;

/** A review of `seriesId` written on `day` of November 2026. */
export function review(id: string, seriesId: string, rating: number, language: 'ja' | 'en', day: number): Review {
  return {
    id,
    seriesId,
    rating,
    title: language === 'ja' ? `レビュー ${id}` : `Review ${id}`,
    body: language === 'ja' ? 'とても面白かったです。' : 'Loved it.',
    language,
    createdAt: `2026-11-${String(day).padStart(2, '0')}T12:00:00+09:00`,
  };
}

export const REVIEWS: Review[] = [
  review('r1', 'one-piece', 5, 'ja', 1),
  review('r2', 'one-piece', 4, 'en', 2),
  review('r3', 'one-piece', 4, 'ja', 3),
  review('r4', 'one-piece', 5, 'en', 4),
  review('r5', 'one-piece', 3, 'ja', 5),
  review('r6', 'frieren', 5, 'en', 6),
];

const ids = (rs: Review[]) => rs.map((r) => r.id);

/** The one behaviour suite every ReviewService adapter must pass. */
export function reviewsContract(name: string, factory: ReviewsFactory): void {
  describe(`ReviewService contract: ${name}`, () => {
    it('summarises a series: average to one decimal, count, three newest highlights', async () => {
      const reviews = await factory(REVIEWS);
      const s = await reviews.summary('one-piece');
      assert.equal(s?.seriesId, 'one-piece');
      assert.equal(s?.averageRating, 4.2);
      assert.equal(s?.count, 5);
      assert.deepEqual(ids(s!.highlights), ['r5', 'r4', 'r3']);
      assert.deepEqual(s!.highlights[0], REVIEWS[4], 'highlights keep every field');
    });

    it('puts the customer’s language first, newest first within each language', async () => {
      const reviews = await factory(REVIEWS);
      assert.deepEqual(ids((await reviews.summary('one-piece', { language: 'en' }))!.highlights), ['r4', 'r2', 'r5']);
      assert.deepEqual(ids((await reviews.summary('one-piece', { language: 'ja' }))!.highlights), ['r5', 'r3', 'r1']);
    });

    it('rounds the average half up to one decimal', async () => {
      const reviews = await factory([review('a', 's', 4, 'ja', 1), review('b', 's', 5, 'ja', 2), review('c', 's', 4, 'ja', 3), review('d', 's', 4, 'ja', 4)]);
      assert.equal((await reviews.summary('s'))?.averageRating, 4.3); // 4.25
      const thirds = await factory([review('a', 't', 5, 'en', 1), review('b', 't', 4, 'en', 2), review('c', 't', 4, 'en', 3)]);
      assert.equal((await thirds.summary('t'))?.averageRating, 4.3); // 4.333…
    });

    it('quotes fewer than three when fewer exist', async () => {
      const reviews = await factory(REVIEWS);
      const s = await reviews.summary('frieren', { language: 'ja' });
      assert.equal(s?.count, 1);
      assert.equal(s?.averageRating, 5);
      assert.deepEqual(ids(s!.highlights), ['r6']);
    });

    it('answers undefined for a series without reviews', async () => {
      const reviews = await factory(REVIEWS);
      assert.equal(await reviews.summary('berserk'), undefined);
      assert.equal(await (await factory([])).summary('one-piece'), undefined);
    });

    it('rejects a call whose signal is already aborted', async () => {
      const reviews = await factory(REVIEWS);
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(reviews.summary('one-piece', { signal: ac.signal }), /deadline/);
    });
  });
}
