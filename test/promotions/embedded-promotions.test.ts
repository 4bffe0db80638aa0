import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedPromotions, loadEmbeddedPromotions } from '../../src/promotions/embedded-promotions.ts';
import { PROMOTIONS, promotion } from './promotions.contract.ts';

describe('embedded promotions', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'promotions-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the injected clock when a call gives no now', async () => {
    let now = new Date('2026-07-15T00:00:00Z');
    const promos = createEmbeddedPromotions(PROMOTIONS, { clock: () => now });
    assert.deepEqual((await promos.active()).map((p) => p.id), ['summer-sale']);
    now = new Date('2027-01-02T00:00:00Z');
    assert.deepEqual((await promos.active()).map((p) => p.id), ['new-year']);
  });

  it('does not let a caller edit what the next caller sees', async () => {
    const promos = createEmbeddedPromotions(PROMOTIONS);
    const now = new Date('2026-11-12T00:00:00+09:00');
    const [first] = await promos.active({ now, seriesIds: ['one-piece'] });
    first.seriesIds.length = 0;
    first.title = 'changed';
    const [again] = await promos.active({ now, seriesIds: ['one-piece'] });
    assert.equal(again.id, 'one-piece-sale');
    assert.equal(again.title, 'Promotion one-piece-sale');
    assert.deepEqual(again.seriesIds, ['one-piece']);
  });

  it('refuses a promotion that ends before it starts', () => {
    assert.throws(() => createEmbeddedPromotions([promotion('bad', [], '2026-11-02T00:00:00Z', '2026-11-01T00:00:00Z')]), /bad/);
  });

  it('loads the JSON file given by path and refuses an invalid one', async () => {
    const good = join(dir, 'promotions.json');
    writeFileSync(good, JSON.stringify(PROMOTIONS));
    const promos = await loadEmbeddedPromotions(good);
    assert.equal((await promos.active({ now: new Date('2026-11-15T12:00:00+09:00') })).length, 4);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ...PROMOTIONS[0], endsAt: 'soon' }]));
    await assert.rejects(loadEmbeddedPromotions(bad), (e: Error) => e.message.includes('bad.json') && e.message.includes('endsAt'));
  });
});
