import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedReviews, loadEmbeddedReviews } from '../../src/reviews/embedded-reviews.ts';
import { REVIEWS, review } from './reviews.contract.ts';

describe('embedded reviews', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'reviews-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('quotes as many highlights as configured', async () => {
    const reviews = createEmbeddedReviews(REVIEWS, { highlights: 1 });
    assert.deepEqual((await reviews.summary('one-piece', { language: 'en' }))!.highlights.map((r) => r.id), ['r4']);
  });

  it('does not let a caller edit what the next caller sees', async () => {
    const reviews = createEmbeddedReviews(REVIEWS);
    const first = await reviews.summary('one-piece');
    first!.highlights[0].body = 'changed';
    first!.highlights.length = 0;
    const again = await reviews.summary('one-piece');
    assert.equal(again!.highlights.length, 3);
    assert.equal(again!.highlights[0].body, 'とても面白かったです。');
  });

  it('refuses a rating outside 1..5', () => {
    assert.throws(() => createEmbeddedReviews([review('x', 's', 6, 'en', 1)]), /rating/);
  });

  it('loads the JSON file given by path and refuses an invalid one', async () => {
    const good = join(dir, 'reviews.json');
    writeFileSync(good, JSON.stringify(REVIEWS));
    assert.equal((await (await loadEmbeddedReviews(good)).summary('one-piece'))?.count, 5);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ...REVIEWS[0], language: 'fr' }]));
    await assert.rejects(loadEmbeddedReviews(bad), (e: Error) => e.message.includes('bad.json') && e.message.includes('language'));
  });
});
