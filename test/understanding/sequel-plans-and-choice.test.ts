// A sequel asked about as planned (「続編の予定は？」「Xって続編ある？」, "is a sequel planned?"), a new
// volume of a title with an abbreviation ("a new Kaiju No. 8 volume coming?"), and a choice said
// with a pronoun (「それにします」「じゃあそれで」) (fixer follow-ups, step 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksSequelPlans, asksSpinOffs } from '../../src/understanding/status-question.ts';
import { extractVolumeRef } from '../../src/understanding/constraints.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { asksToBuy } from '../../src/chat/grounding/purchase.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

test('a sequel asked as planned is a spin-off question, and a plans question', () => {
  for (const t of ['ワンピースの続編の予定は？', '進撃の巨人って続編の予定ある？', '進撃の巨人って続編ある？', '続編の情報ってある？', 'is a sequel planned?', 'will there be a sequel?']) assert.equal(asksSpinOffs(t), true, t);
  for (const t of ['ワンピースの続編の予定は？', '進撃の巨人って続編の予定ある？', 'is a sequel planned?', 'will there be a sequel?']) assert.equal(asksSequelPlans(t), true, t);
  assert.equal(asksSequelPlans('is there a spin-off?'), false);
  // A spin-off named is still asked about by name.
  assert.equal(asksSpinOffs('NARUTOの続編のBORUTOって置いてますか'), false);
  assert.equal(asksSpinOffs('キメツ学園っていうスピンオフあります？'), false);
});

test('a new volume of a title with an abbreviation is the next one', () => {
  assert.equal(extractVolumeRef('is there a new kaiju no. 8 volume coming?'), 'next');
  assert.equal(extractVolumeRef('is there a new berserk volume coming?'), 'next');
});

test('a choice said with a pronoun is a request to buy the volume in play', () => {
  const resolver = createReferenceResolver();
  const h: TurnContext[] = [
    { role: 'user', text: 'フリーレンの3巻いくら？' },
    { role: 'assistant', text: '『葬送のフリーレン』3巻の価格と在庫状況をご案内いたします。', seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren', volume: 3 } },
  ];
  for (const t of ['それにします', 'じゃあそれで', 'それでお願いします', 'これにします！']) {
    const r = resolver.resolve(t, 'ja', h, 'chitchat');
    assert.equal(r.seriesId, 'sousou-no-frieren', t);
    assert.equal(r.volume, 3, t);
    assert.equal(r.intent, 'price_availability', t);
    assert.equal(asksToBuy(t), true, t);
  }
  for (const t of ["I'll take it", "ok I'll go with that one", 'add it to my cart', 'それ予約しときたい。値段は同じ？']) assert.equal(asksToBuy(t), true, t);
  // A conjunction is no choice: 「それで、2巻は？」 asks volume 2.
  assert.equal(resolver.resolve('それで、2巻は？', 'ja', h, 'chitchat').volume, 2);
});
