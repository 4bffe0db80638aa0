// Picks narrowed in words the follow-up reading did not take as narrowing (fixer fixR, step 8; its own
// conversations r9fixr-*): a kind said as an addition ("plus a bit of comedy", 「ミステリー要素もあると嬉しい」)
// was read as a new request (the status dropped) or as a title; 「やっぱ15巻までならOK」 as volume 15's price.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';
import { asksForPerson } from '../../src/escalation/decision.ts';
import { titleQuery } from '../../src/chat/title-query.ts';
import { withoutPartAsked } from '../../src/chat/grounding/parts.ts';
import { comparisonParts } from '../../src/understanding/comparison.ts';

const resolver = createReferenceResolver();
const wish = { genres: ['Fantasy'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], status: 'finished' as const, maxVolumes: 10 };
const picks: TurnContext[] = [
  { role: 'user', text: 'looking for fantasy manga, finished' },
  { role: 'assistant', text: 'Phoenix, Cardcaptor Sakura, Mushishi', seriesIds: ['hi-no-tori', 'cardcaptor-sakura', 'mushishi'], about: { wish } },
];

test('a kind added, or a length limit corrected, narrows the picks in play', () => {
  for (const [text, lang, intent] of [
    ['plus a bit of comedy would be great', 'en', 'recommendation'],
    ['with some romance too', 'en', 'chitchat'],
    ['ミステリー要素もあると嬉しい', 'ja', 'product_search'],
    ['恋愛も入ってるやつがいいです', 'ja', 'recommendation'],
    ['やっぱ15巻までならOK', 'ja', 'chitchat'],
    ['15巻までならいいよ', 'ja', 'chitchat'],
  ] as const) {
    const r = resolver.resolve(text, lang, picks, intent);
    assert.deepEqual([r.narrows, r.intent ?? intent, r.volume], [wish, 'recommendation', undefined], text);
  }
  // A price asked keeps the volume.
  assert.equal(resolver.resolve('15巻までいくら？', 'ja', picks, 'price_availability').narrows, undefined);
});

test('remembering a title is no request for a person; 置いてます/扱ってます are no words of a title', () => {
  assert.ok(!asksForPerson('名前を書くと人が死ぬノートが出てくる漫画、タイトルが思い出せないのですが分かりますでしょうか'));
  assert.ok(asksForPerson('責任者を出してください'));
  assert.ok(asksForPerson('スタッフの人を呼んでください'));
  assert.equal(titleQuery('ジョジョの第四部って置いてます？'), 'ジョジョの第四部');
  assert.equal(titleQuery('鬼滅の刃って扱ってますか'), '鬼滅の刃');
  assert.equal(titleQuery('チェンソーマン売ってます？'), 'チェンソーマン');
  assert.equal(withoutPartAsked('ジョジョの第四部'), 'ジョジョ');
  assert.equal(withoutPartAsked('jojo part 4'), 'jojo');
});

test("a sentence's first word is a title to compare when the message capitalises its titles", () => {
  assert.deepEqual(comparisonParts("Another vs Soul Eater, which one's longer?")?.map((p) => p.text), ['another', 'soul eater']);
  assert.equal(comparisonParts('Is it finished or still going?'), undefined);
});
