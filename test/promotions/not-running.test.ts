import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { notRunningNamed } from '../../src/promotions/promotion-match.ts';
import type { Promotion } from '../../src/promotions/types.ts';

// The store's own promotions, on a day when some have ended and some have not started.
const ALL: Promotion[] = JSON.parse(readFileSync(fileURLToPath(new URL('../../data/store/promotions.json', import.meta.url)), 'utf8'));
const NOW = Date.parse('2026-12-07T12:00:00+09:00');
const running = ALL.filter((p) => Date.parse(p.startsAt) <= NOW && NOW < Date.parse(p.endsAt));
const others = ALL.filter((p) => !running.includes(p));
const named = (q: string) => notRunningNamed(q, running, others).map((p) => p.id);

describe('promotions not running: the one a customer names, ended or coming', () => {
  const cases: [string, string][] = [
    ['is the halloween horror sale still on?', 'promo-halloween-horror-2026'],
    ['ハロウィンのホラーセールってまだやってますか？', 'promo-halloween-horror-2026'],
    ['ハロウィンのセールは？', 'promo-halloween-horror-2026'],
    ['do you have a new year sale?', 'promo-new-year-2027'],
    ['お正月のセールはありますか？', 'promo-new-year-2027'],
    ['年始のセールってやる？', 'promo-new-year-2027'],
    ['will there be free shipping during golden week?', 'promo-golden-week-2027'],
    ['ゴールデンウィークの送料無料キャンペーンはいつから？', 'promo-golden-week-2027'],
    ['GW free shipping?', 'promo-golden-week-2027'],
    ['can I still get triple points on everything like last summer?', 'promo-summer-points-2025'],
    ['去年の夏の全品ポイント3倍はもう終わりましたか？', 'promo-summer-points-2025'],
  ];
  for (const [q, id] of cases) it(`"${q}" → ${id}`, () => assert.deepEqual(named(q), [id]));

  it('a running promotion named, or promotions in general, name none that is not running', () => {
    for (const q of ['until when is the winter free shipping?', 'any free shipping campaigns?', 'any deals right now?', 'フリーレンのポイント5倍はいつまで？', 'is there a coupon for new members?', 'any points campaigns?', '送料無料キャンペーンはある？']) {
      assert.deepEqual(named(q), [], q);
    }
  });
});
