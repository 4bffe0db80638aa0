import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver, leftoverOf } from '../../src/understanding/references.ts';
import { comparisonParts } from '../../src/understanding/comparison.ts';
import type { Intent, TurnContext } from '../../src/understanding/types.ts';

// The dialogue state: what the conversation is on (series, volume(s), format, the series
// compared, the order) fills what a message leaves out, whatever everyday words come with it;
// a title named in the message wins over it.

const resolver = createReferenceResolver();
const resolve = (text: string, history: TurnContext[], intent?: Intent) => resolver.resolve(text, /[\u3040-\u30ff\u3400-\u9fff]/.test(text) ? 'ja' : 'en', history, intent);

const frieren13: TurnContext[] = [
  { role: 'user', text: 'How much is Frieren volume 13?' },
  { role: 'assistant', text: "Here's Vol. 13 of Frieren: Beyond Journey's End: ¥583, out of stock.", seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren', volume: 13 } },
];
const jjk1: TurnContext[] = [
  { role: 'user', text: '呪術廻戦の1巻いくら？' },
  { role: 'assistant', text: '『呪術廻戦』1巻の価格と在庫状況をご案内いたします。', seriesIds: ['jujutsu-kaisen'], about: { focus: 'jujutsu-kaisen', volume: 1 } },
];
const blueLock: TurnContext[] = [
  { role: 'user', text: 'Tell me about Blue Lock' },
  { role: 'assistant', text: 'Blue Lock by Muneyuki Kaneshiro and Yuusuke Nomura is ongoing.', seriesIds: ['blue-lock'], about: { focus: 'blue-lock' } },
];
const frierenSeries: TurnContext[] = [
  { role: 'user', text: 'when does Frieren come out next?' },
  { role: 'assistant', text: "The latest volume of Frieren: Beyond Journey's End is Vol. 14.", seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren' } },
];

test('everyday words around a follow-up keep it on the series and volume in play (both languages)', () => {
  const cases: [string, TurnContext[], Intent, Record<string, unknown>][] = [
    ['hmm out of stock. can I get the digital one right away?', frieren13, 'price_availability', { seriesId: 'sousou-no-frieren', volume: 13, format: 'digital' }],
    ['電子版なら今すぐ買えますか？', frieren13, 'price_availability', { seriesId: 'sousou-no-frieren', volume: 13, format: 'digital' }],
    ['完結してるんですか？', frieren13, 'product_question', { seriesId: 'sousou-no-frieren' }],
    ['is the story finished or still going?', frieren13, 'product_question', { seriesId: 'sousou-no-frieren' }],
    ['what about the regular edition vol 7?', frieren13, 'price_availability', { seriesId: 'sousou-no-frieren', volume: 7, format: 'tankobon' }],
    ['紙のほうは？', frieren13, 'product_question', { seriesId: 'sousou-no-frieren', volume: 13, format: 'tankobon', intent: 'price_availability' }],
    ['ok what about 13, can I get that one now?', blueLock, 'product_question', { seriesId: 'blue-lock', volume: 13, intent: 'price_availability' }],
    ['sorry typo, 21 not 12', frieren13, 'chitchat', { seriesId: 'sousou-no-frieren', volume: 21, intent: 'price_availability' }],
    ['あ、ごめん14巻の間違いだった', frieren13, 'product_question', { seriesId: 'sousou-no-frieren', volume: 14, intent: 'price_availability' }],
    ['who is the mangaka btw?', frieren13, 'product_question', { seriesId: 'sousou-no-frieren' }],
    ['ok and is the digital version cheaper than that?', frieren13, 'price_availability', { seriesId: 'sousou-no-frieren', volume: 13, format: 'digital' }],
    ['じゃあデジタルで今すぐ読めますか', frieren13, 'product_question', { seriesId: 'sousou-no-frieren', volume: 13, format: 'digital', intent: 'price_availability' }],
  ];
  for (const [text, history, intent, want] of cases) {
    const r = resolve(text, history, intent);
    for (const [k, v] of Object.entries(want)) assert.deepEqual((r as Record<string, unknown>)[k], v, `${text}: ${k} = ${JSON.stringify((r as Record<string, unknown>)[k])}, want ${JSON.stringify(v)} (${JSON.stringify(r)})`);
    assert.equal(r.titleFree, true, text);
  }
});

test('volumes asked as well join the one in play', () => {
  assert.deepEqual(resolve("I'd want 2 and 3 as well, prices?", [...jjk1.slice(0, 0), ...frieren13], 'price_availability').volumes, [2, 3, 13]);
  assert.deepEqual(resolve('2巻も一緒に買いたいんですけど、値段いくらですか？', jjk1, 'price_availability').volumes, [1, 2]);
  assert.deepEqual(resolve('vol 4 too please', jjk1, 'price_availability').volumes, [1, 4]);
  assert.deepEqual(resolve('3巻もください', jjk1, 'price_availability').volumes, [1, 3]);
  // Without "as well", the new volume replaces the one in play.
  assert.equal(resolve('what about 2?', jjk1, 'price_availability').volumes, undefined);
  assert.equal(resolve('what about 2?', jjk1, 'price_availability').volume, 2);
});

test('a preorder asked about a series with no volume in play is about the next volume', () => {
  const r = resolve('can I preorder that frieren volume?', frierenSeries, 'price_availability');
  assert.equal(r.seriesId, 'sousou-no-frieren');
  assert.equal(r.volumeRef, 'next');
  assert.equal(resolve('予約できますか？', frierenSeries, 'price_availability').volumeRef, 'next');
  // With a volume in play, that volume.
  assert.equal(resolve('can I preorder it?', frieren13, 'price_availability').volume, 13);
});

test('a title named in the follow-up wins over the series in play', () => {
  for (const text of ['also One Piece vol 46, is that one in stock?', 'is Quantum Samurai Bakery volume 2 in stock?', 'and what about Berserk vol 3?', 'ベルセルクの3巻は？', 'Quantum Samurai Bakeryの2巻ある？']) {
    const r = resolve(text, frieren13, 'price_availability');
    assert.notEqual(r.seriesId, 'sousou-no-frieren', `${text}: ${JSON.stringify(r)}`);
    assert.notEqual(r.titleFree, true, text);
  }
});

test('what a message adds beside follow-up words: nothing, everyday words, or a possible title', () => {
  assert.equal(leftoverOf('is it in stock?').kind, 'none');
  assert.equal(leftoverOf('hmm ok, can I get it right away then?').kind, 'common');
  assert.equal(leftoverOf('2巻も一緒に買いたいんですけど').kind, 'common');
  assert.equal(leftoverOf('追跡番号は？').kind, 'common');
  assert.deepEqual(leftoverOf('is Quantum Samurai Bakery volume 2 in stock?').words, ['quantum', 'samurai', 'bakery']);
  assert.equal(leftoverOf('ベルセルクの3巻は？').kind, 'title');
});

const compared: TurnContext[] = [
  { role: 'user', text: 'Naruto or Bleach, which is shorter?' },
  { role: 'assistant', text: 'Bleach is the longer read: 74 volumes to 72.', seriesIds: ['naruto', 'bleach'], about: { compared: ['naruto', 'bleach'] } },
];

test('after a comparison, "the shorter one" picks one of the series compared by a fact', () => {
  const cases: [string, Intent, { by: string; most: boolean }, number | undefined][] = [
    ['ok the shorter one then. how much is vol 1?', 'price_availability', { by: 'volumes', most: false }, 1],
    ['the longer one please', 'chitchat', { by: 'volumes', most: true }, undefined],
    ['じゃあ短い方の1巻はいくら？', 'price_availability', { by: 'volumes', most: false }, 1],
    ['長いほうの最初の巻は在庫ある？', 'price_availability', { by: 'volumes', most: true }, 1],
    ['I will go with the better rated one, is vol 1 in stock?', 'price_availability', { by: 'rating', most: true }, 1],
    ['the cheaper one, how much?', 'price_availability', { by: 'price', most: false }, undefined],
    ['安いほうを買います', 'product_question', { by: 'price', most: false }, undefined],
    ['the finished one then', 'chitchat', { by: 'finished', most: true }, undefined],
    ['人気のほうの1巻ください', 'product_question', { by: 'popularity', most: true }, 1],
    ['the more popular one?', 'product_question', { by: 'popularity', most: true }, undefined],
  ];
  for (const [text, intent, pick, volume] of cases) {
    const r = resolve(text, compared, intent);
    assert.deepEqual(r.pick, pick, `${text}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.seriesIds, ['naruto', 'bleach'], text);
    assert.equal(r.volume, volume, text);
    assert.ok(r.intent === undefined || r.intent === 'price_availability' || r.intent === 'product_question', text);
  }
  // "Which one is longer?" asks the comparison again: no pick.
  assert.equal(resolve('which one is longer?', compared, 'product_question').pick, undefined);
  assert.equal(resolve('どっちが短い？', compared, 'product_question').pick, undefined);
});

const order: TurnContext[] = [
  { role: 'user', text: 'when will my Vinland Saga order arrive?' },
  { role: 'assistant', text: 'Order MA-20261120-0002 is out for delivery.', about: { orderId: 'MA-20261120-0002' } },
];

test('the order in play answers order questions that name none', () => {
  for (const text of ['whats the tracking number?', '追跡番号は？', 'and when does it arrive?', 'いつ届きますか', 'can I still cancel that order?', 'has it shipped yet?']) {
    const r = resolve(text, order, 'order_status');
    assert.equal(r.orderId, 'MA-20261120-0002', `${text}: ${JSON.stringify(r)}`);
  }
  // Read as something else by a classifier that sees the message alone, an order word settles it.
  assert.deepEqual(resolve('tracking number pls', order, 'chitchat'), { orderId: 'MA-20261120-0002', via: 'order', intent: 'order_status' });
  // A title named with an order word is an order question about that title, not the order in play.
  const named = resolve('薬屋のひとりごとの15巻も同じ注文ですか？', order, 'price_availability');
  assert.equal(named.intent, 'order_status');
  assert.equal(named.orderId, undefined);
  // A question with no order word is not about the order.
  assert.equal(resolve('is it in stock?', order, 'price_availability').orderId, undefined);
  // Long ago: no order in play.
  const later: TurnContext[] = [...order, ...Array.from({ length: 4 }, (_, i) => [{ role: 'user' as const, text: `q${i}` }, { role: 'assistant' as const, text: `a${i}` }]).flat()];
  assert.equal(resolve('tracking number?', later, 'order_status').orderId, undefined);
});

test('comparisons are found with words of the sentence around the titles', () => {
  const cases: [string, string[] | undefined][] = [
    ['Death Note vs Bakuman - same author right?', ['death note', 'bakuman']],
    ["what's better, Death Note or Monster?", ['death note', 'monster']],
    ['Frieren or Dungeon Meshi which is longer', ['frieren', 'dungeon meshi']],
    ['進撃の巨人と鬼滅の刃、どっちが短い？', ['進撃の巨人', '鬼滅の刃']],
    ['is the story finished or still going?', undefined],
    ['is it digital or paper?', undefined],
    ['paperback or ebook, which is cheaper?', undefined],
  ];
  for (const [text, want] of cases) assert.deepEqual(comparisonParts(text)?.map((p) => p.text), want, text);
  // The names sit after "either"/"between"; the pipeline drops leftover words at a part's outer edge.
  assert.deepEqual(comparisonParts("thinking about getting either Haikyuu or Kuroko's Basketball for my nephew, which one's longer?")?.[0].text, 'haikyuu');
});

test('small talk after an answer stays small talk, whatever weak follow-up words it has', () => {
  const onePiece: TurnContext[] = [
    { role: 'user', text: 'how much is one piece vol 100?' },
    { role: 'assistant', text: "Here's Vol. 100 of One Piece: ¥506, in stock.", seriesIds: ['one-piece'], about: { focus: 'one-piece', volume: 100 } },
  ];
  for (const text of ["thanks, that's all!", 'great, thank you so much', 'ok cool, that is all for now', 'ありがとうございました', "it's been 10 days, where is my order"]) {
    assert.equal(resolve(text, onePiece, 'chitchat').seriesId, undefined, text);
  }
});

test('a title written in kana is a title of its own, not everyday words', () => {
  for (const text of ['ちはやふるの1巻は？', 'よつばとの新刊いつ？', 'おやすみプンプンの2巻']) assert.equal(leftoverOf(text).kind, 'title', text);
  assert.deepEqual(comparisonParts('ちびまる子ちゃんとクレヨンしんちゃん、どっちが長い？')?.map((p) => p.text), ['ちびまる子ちゃん', 'クレヨンしんちゃん']);
  // Inflections after a kanji are no title: 買いたい, 出てる, 描いて.
  for (const text of ['2巻も一緒に買いたいんですけど、値段いくらですか？', 'それって全部で何巻まで出てるんですか', '作者さんは他にどんな作品を描いていますか']) assert.notEqual(leftoverOf(text).kind, 'title', text);
});

test('a request for other series is no question about the series in play, whatever words come with it', () => {
  const gantz: TurnContext[] = [
    { role: 'user', text: 'is Gantz finished?' },
    { role: 'assistant', text: 'Gantz by Hiroya Oku is complete in 37 volumes.', seriesIds: ['gantz'], about: { focus: 'gantz' } },
  ];
  for (const text of ['I want something shorter, under 15 volumes', 'ok but shorter, under 15 volumes', 'too long. something under 15 volumes?', 'what about something shorter than Gantz?', 'something similar but under 15 volumes', '10巻以内で何か似たのある？']) {
    const r = resolve(text, gantz, 'recommendation');
    assert.notEqual(r.titleFree, true, `${text}: ${JSON.stringify(r)}`);
    assert.ok(r.intent === undefined || r.intent === 'recommendation', `${text}: ${JSON.stringify(r)}`);
  }
});
