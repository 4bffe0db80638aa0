import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_DOWNGRADABLE,
  DEFAULT_ROUTES,
  baseRoute,
  defaultRoutingTable,
  isComparison,
  parseRoutes,
} from '../../../src/llm/routing/routing-table.ts';
import { INTENTS, type Language } from '../../../src/understanding/types.ts';

test('default routes: chit-chat from templates, simple intents small, the rest large', () => {
  assert.deepEqual(DEFAULT_ROUTES, {
    chitchat: 'template',
    order_status: 'small',
    promotion: 'small',
    out_of_scope: 'small',
    escalation: 'small',
    faq: 'large',
    price_availability: 'large',
    product_search: 'large',
    product_question: 'large',
    recommendation: 'large',
  });
  assert.equal(Object.keys(DEFAULT_ROUTES).length, INTENTS.length);
});

test('every intent but recommendation may be downgraded', () => {
  assert.deepEqual([...DEFAULT_DOWNGRADABLE].sort(), INTENTS.filter((i) => i !== 'recommendation').sort());
  assert.equal(DEFAULT_DOWNGRADABLE.has('recommendation'), false);
});

test('defaultRoutingTable gives a copy', () => {
  const t = defaultRoutingTable();
  t.routes.faq = 'small';
  (t.downgradable as Set<string>).delete('faq');
  assert.equal(DEFAULT_ROUTES.faq, 'large');
  assert.equal(DEFAULT_DOWNGRADABLE.has('faq'), true);
});

test('parseRoutes reads intent=route lists', () => {
  assert.deepEqual(parseRoutes('chitchat=template,faq=small'), { chitchat: 'template', faq: 'small' });
  assert.deepEqual(parseRoutes(' recommendation = small , order_status=large, '), { recommendation: 'small', order_status: 'large' });
  assert.deepEqual(parseRoutes(''), {});
});

test('parseRoutes refuses unknown intents and routes with a message naming them', () => {
  assert.throws(() => parseRoutes('faq=small,weather=large'), /unknown intent "weather".*known intents: product_search/);
  assert.throws(() => parseRoutes('faq=medium'), /unknown route "medium" for faq; routes are template, small, large/);
  assert.throws(() => parseRoutes('faq'), /"faq" is not intent=route/);
  assert.throws(() => parseRoutes('faq=small,faq=large'), /"faq" is given twice/);
  assert.throws(() => parseRoutes('FAQ=small'), /unknown intent "FAQ"/);
});

// [text, language, is a comparison]
const LABELLED: [string, Language, boolean][] = [
  ['One Piece vs Naruto, which should I start with?', 'en', true],
  ['Chainsaw Man versus Jujutsu Kaisen for a new reader', 'en', true],
  ['Can you compare the Berserk deluxe edition with the regular one?', 'en', true],
  ['Which is better, Vagabond or Vinland Saga?', 'en', true],
  ['Which one is cheaper: the box set or buying volumes separately?', 'en', true],
  ['What is the difference between the kanzenban and the tankobon?', 'en', true],
  ['Monster or 20th Century Boys, which has the better ending?', 'en', true],
  ['Is Spy x Family better than Kaguya-sama?', 'en', true],
  ['How is the new translation different from the old one?', 'en', true],
  ['Do you have Naruto volume 3 in stock?', 'en', false],
  ['When will my order MA-20261104-0007 arrive?', 'en', false],
  ['Recommend me something like Mushishi', 'en', false],
  ['Which volume does the Chimera Ant arc start in?', 'en', false],
  ['Is there a sale on Dragon Ball or Dragon Ball Z this week?', 'en', false],
  ['I love the canvas art prints, do you sell them?', 'en', false],
  ['Thanks, that was helpful!', 'en', false],
  ['ワンピースとナルト、どっちがおすすめ？', 'ja', true],
  ['鬼滅の刃と呪術廻戦を比較してください', 'ja', true],
  ['完全版と通常版を比べるとどう違いますか', 'ja', true],
  ['ベルセルクの新装版と旧版の違いは何ですか', 'ja', true],
  ['チェンソーマンｖｓ呪術廻戦', 'ja', true],
  ['初心者にはバガボンドとヴィンランド・サガのどちらが読みやすい？', 'ja', true],
  ['スパイファミリーと推しの子ならどっち？', 'ja', true],
  ['ナルトの3巻は在庫ありますか', 'ja', false],
  ['注文した商品が間違いでした', 'ja', false],
  ['勘違いしていました、すみません', 'ja', false],
  ['蟲師みたいな漫画をおすすめしてください', 'ja', false],
  ['ありがとうございました', 'ja', false],
  ['友達と読める漫画を探しています', 'ja', false],
  ['返品と交換はどちらで受け付けていますか', 'ja', false],
  ['上巻と下巻、どちらを先に買えばいい？', 'ja', true],
];

test(`isComparison on ${LABELLED.length} labelled questions (JA/EN)`, () => {
  assert.ok(LABELLED.length >= 20);
  const wrong = LABELLED.filter(([text, lang, want]) => isComparison(text, lang) !== want);
  assert.deepEqual(wrong, []);
});

test('baseRoute: templates stay templates, comparisons go large, otherwise the table', () => {
  const table = defaultRoutingTable();
  assert.deepEqual(baseRoute(table, 'chitchat', 'hello, naruto vs bleach?', 'en'), { route: 'template', reason: 'template' });
  assert.deepEqual(baseRoute(table, 'order_status', 'where is my order?', 'en'), { route: 'small', reason: 'simple' });
  assert.deepEqual(baseRoute(table, 'faq', 'how long does shipping take?', 'en'), { route: 'large', reason: 'complex' });
  assert.deepEqual(baseRoute(table, 'promotion', 'which is better, the summer sale or the points campaign?', 'en'), { route: 'large', reason: 'complex' });
  assert.deepEqual(baseRoute(table, 'out_of_scope', 'ドラゴンボールとワンピースどっちが強い？', 'ja'), { route: 'large', reason: 'complex' });
  table.routes.chitchat = 'small';
  assert.deepEqual(baseRoute(table, 'chitchat', 'cats vs dogs?', 'en'), { route: 'large', reason: 'complex' }, 'any non-template intent');
});
