/** Groundedness and fallback behaviour of the local engine, per intent and language. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Grounding } from '../../src/llm/types.ts';
import { INTENTS } from '../../src/understanding/types.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { chunkMarkdown } from '../../src/retrieval/documents.ts';
import type { IndexedDoc, ScoredDoc } from '../../src/retrieval/types.ts';
import {
  FRIEREN, FRIEREN_PRODUCTS, HONEY, LINKS, MONSTER, NEVER_GROUNDED, NOW, ONE_PIECE, ONE_PIECE_PRODUCTS, ORDERS, PASSAGES,
  PROMOTIONS, YOTSUBA, entry, grounding, richGrounding,
} from './fixtures.ts';

const engine = createLocalEngine({ now: () => NOW });

async function answer(g: Grounding): Promise<string> {
  let text = '';
  for await (const c of engine.stream(g, {})) if (c.type === 'token') text += c.text;
  return text;
}

const ALL_SERIES = [ONE_PIECE, FRIEREN, HONEY, MONSTER, YOTSUBA];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** Asserts every price, volume, order id, date and series title in `text` comes from `g`. */
function assertGrounded(text: string, g: Grounding): void {
  const products = g.series.flatMap((e) => e.products);
  const prices = new Set<number>([...products.map((p) => p.priceJpy), ...g.orders.flatMap((o) => [o.totalJpy, ...o.lines.map((l) => l.unitPriceJpy)])]);
  for (const m of text.matchAll(/¥([\d,]+)|([\d,]+)円/g)) {
    const n = Number((m[1] ?? m[2]).replace(/,/g, ''));
    assert.ok(prices.has(n), `price ${m[0]} is in the grounding`);
  }
  const orderLineText = g.orders.flatMap((o) => o.lines.map((l) => l.title)).join(' ');
  const volumes = new Set<number>([
    ...products.map((p) => p.volume),
    ...g.series.flatMap((e) => (e.series.volumeCount === undefined ? [] : [e.series.volumeCount])),
    ...(g.requestedVolume === undefined ? [] : [g.requestedVolume]),
    ...[...orderLineText.matchAll(/Vol\. (\d+)/g)].map((m) => Number(m[1])),
  ]);
  for (const m of text.matchAll(/Vol\. (\d+)|(\d+)巻|(\d+) volumes?/g)) {
    const n = Number(m[1] ?? m[2] ?? m[3]);
    assert.ok(volumes.has(n), `volume ${m[0]} is in the grounding`);
  }
  const orderIds = new Set([...g.orders.map((o) => o.id), ...(g.unknownOrderId ? [g.unknownOrderId] : [])]);
  for (const m of text.matchAll(/MA-\d{8}-\d{4}/g)) assert.ok(orderIds.has(m[0]), `order ${m[0]} is in the grounding`);

  const groundText = JSON.stringify(g);
  const dates: string[] = [];
  for (const m of text.matchAll(/(\d{4})年(\d{1,2})月(\d{1,2})日/g)) dates.push(`${m[1]}-${pad(+m[2])}-${pad(+m[3])}`);
  for (const m of text.matchAll(/\b([A-Z][a-z]{2}) (\d{1,2}), (\d{4})\b/g)) dates.push(`${m[3]}-${pad(MONTHS.indexOf(m[1]) + 1)}-${pad(+m[2])}`);
  for (const d of dates) assert.ok(groundText.includes(`"${d}`), `date ${d} is in the grounding`);

  // A title may appear only if its series is grounded, or a grounded order/promotion/passage names it.
  const grounded = new Set(g.series.map((e) => e.series.id));
  const otherText = JSON.stringify([g.orders, g.promotions, g.passages]);
  const foreign = ALL_SERIES.filter((s) => !grounded.has(s.id)).flatMap((s) => [s.title, s.titleJa, s.titleEn].filter((t): t is string => !!t));
  for (const t of [...foreign, ...NEVER_GROUNDED]) {
    if (text.includes(t)) assert.ok(otherText.includes(t), `title "${t}" is not in the grounding`);
  }
}

describe('local engine: every intent × language is grounded', () => {
  for (const language of ['en', 'ja'] as const) {
    for (const intent of INTENTS) {
      it(`${intent}/${language}`, async () => {
        const g = richGrounding(intent, language);
        assertGrounded(await answer(g), g);
      });
    }
  }

  it('the groundedness check itself catches an invented price, volume and title', () => {
    const g = richGrounding('price_availability', 'en');
    assert.throws(() => assertGrounded('It costs ¥9,999.', g));
    assert.throws(() => assertGrounded('Vol. 250 is out.', g));
    assert.throws(() => assertGrounded('You may also like Naruto.', g));
    assert.throws(() => assertGrounded('Order MA-20260101-0001 shipped.', g));
    assert.throws(() => assertGrounded('It releases Jan 1, 2031.', g));
  });
});

describe('local engine: products and prices', () => {
  const priceFor = (language: 'en' | 'ja', requestedVolume?: number) =>
    grounding('price_availability', language, { series: [entry(ONE_PIECE, ONE_PIECE_PRODUCTS)], requestedVolume });

  it('gives the requested volume in stock with thousands separators', async () => {
    const en = await answer(priceFor('en', 110));
    assert.match(en, /Vol\. 110 \(paperback\): ¥1,320, in stock/);
    const ja = await answer(priceFor('ja', 110));
    assert.match(ja, /110巻（単行本）：1,320円、在庫がございます/);
    assert.match(ja, /『ワンピース』/);
  });

  it('says out of stock', async () => {
    assert.match(await answer(priceFor('en', 109)), /out of stock/);
    assert.match(await answer(priceFor('ja', 109)), /在庫切れ/);
  });

  it('says preorder with the release date when the volume is not out yet', async () => {
    const en = await answer(priceFor('en', 111));
    assert.match(en, /preorder/);
    assert.match(en, /Mar 4, 2027/);
    assert.doesNotMatch(en, /in stock|out of stock/);
    const ja = await answer(priceFor('ja', 111));
    assert.match(ja, /予約受付中/);
    assert.match(ja, /2027年3月4日発売予定/);
  });

  it('lists every format of the volume', async () => {
    const en = await answer(priceFor('en', 108));
    assert.match(en, /paperback\): ¥528/);
    assert.match(en, /digital\): ¥495/);
  });

  it('says when the requested volume does not exist and gives the latest released volume', async () => {
    const en = await answer(priceFor('en', 120));
    assert.match(en, /Vol\. 120 of One Piece isn't available/);
    assert.match(en, /latest volume we have is Vol\. 110/);
    assert.match(en, /¥1,320/);
    const ja = await answer(priceFor('ja', 120));
    assert.match(ja, /120巻は当店ではお取り扱いがございません/);
    assert.match(ja, /最新刊は110巻/);
  });

  it('without a volume, gives the latest one and the upcoming preorder', async () => {
    const en = await answer(priceFor('en'));
    assert.match(en, /latest volume of One Piece is Vol\. 110/);
    assert.match(en, /Vol\. 111 is up for preorder and releases Mar 4, 2027/);
  });

  it('admits it has no price when a series has no volumes on sale', async () => {
    const g = grounding('price_availability', 'en', { series: [entry(MONSTER)], requestedVolume: 2 });
    const text = await answer(g);
    assert.match(text, /can't give you a price/);
    assert.doesNotMatch(text, /¥/);
  });

  it('uses titleJa in Japanese and the title when there is none', async () => {
    const ja = await answer(grounding('product_search', 'ja', { series: [entry(FRIEREN, FRIEREN_PRODUCTS), entry(MONSTER)] }));
    assert.match(ja, /『葬送のフリーレン』/);
    assert.match(ja, /『Monster』/);
    assert.match(ja, /全18巻で完結/);
  });

  it('gives a line of synopsis in the customer language for product questions', async () => {
    const g = richGrounding('product_question', 'en');
    assert.match(await answer(g), /Monkey D\. Luffy sets out to find the legendary treasure One Piece\./);
    assert.match(await answer(richGrounding('product_question', 'ja')), /あらすじ：海賊王を目指す/);
  });

  it('mentions rating and the promotion made for the series (before a store-wide one) when present, and nothing when absent', async () => {
    const rich = await answer(richGrounding('product_question', 'en'));
    assert.match(rich, /4\.7\/5 \(128 reviews\)/);
    assert.match(rich, /Double Points on One Piece/);
    assert.doesNotMatch(rich, /WINTER10/);
    const storeWide = await answer({ ...richGrounding('product_question', 'en'), promotions: PROMOTIONS.filter((p) => p.seriesIds.length === 0) });
    assert.match(storeWide, /WINTER10/);
    const bare = await answer(grounding('product_question', 'en', { series: [entry(ONE_PIECE, ONE_PIECE_PRODUCTS)] }));
    assert.doesNotMatch(bare, /reviews|code/);
  });

  for (const intent of ['product_search', 'product_question', 'price_availability'] as const) {
    for (const language of ['en', 'ja'] as const) {
      it(`${intent}/${language}: no match suggests what to try and links the search page`, async () => {
        const text = await answer(grounding(intent, language, { text: 'wan peace' }));
        assert.ok(text.includes(LINKS.search));
        assert.match(text, language === 'en' ? /couldn't find.*spelling.*Japanese or English title.*genre/s : /見つかりませんでした.*表記.*日本語または英語.*ジャンル/s);
      });
      it(`${intent}/${language}: catalog outage apologises and links the search page`, async () => {
        const text = await answer(grounding(intent, language, { degraded: ['catalog'] }));
        assert.ok(text.includes(LINKS.search));
        assert.match(text, language === 'en' ? /can't reach our catalog/ : /商品情報を取得できない/);
      });
    }
  }
});

describe('local engine: recommendations', () => {
  it('lists the series with localised reasons', async () => {
    const en = await answer(richGrounding('recommendation', 'en'));
    assert.equal(en.match(/^\d\. /gm)?.length, 4);
    assert.match(en, /Fantasy/);
    assert.match(en, /same author/);
    assert.match(en, /most popular/);
    const ja = await answer(richGrounding('recommendation', 'ja'));
    assert.equal(ja.match(/^・/gm)?.length, 4);
    assert.match(ja, /ファンタジーがお好きな方/);
    assert.match(ja, /恋愛/);
    assert.match(ja, /同じUrasawa Naoki先生の作品/);
  });

  it('shows at most five', async () => {
    const many = [ONE_PIECE, FRIEREN, HONEY, MONSTER, YOTSUBA, { ...MONSTER, id: 'monster-2', title: 'Monster Kanzenban' }];
    const text = await answer(grounding('recommendation', 'en', { series: many.map((s) => entry(s, [], ['genre:Drama'])) }));
    assert.equal(text.match(/^\d\. /gm)?.length, 5);
    assert.doesNotMatch(text, /Monster Kanzenban/);
  });

  it('says "popular right now" when the recommender failed and popular titles were substituted', async () => {
    const series = [entry(ONE_PIECE, [], ['popular']), entry(FRIEREN, [], ['trending']), entry(YOTSUBA, [], ['popular'])];
    assert.match(await answer(grounding('recommendation', 'en', { series, degraded: ['recommendations'] })), /popular right now/);
    assert.match(await answer(grounding('recommendation', 'ja', { series, degraded: ['recommendations'] })), /いま当店で人気の作品/);
  });

  it('falls back to the catalog search page when nothing could be recommended', async () => {
    const text = await answer(grounding('recommendation', 'en', { degraded: ['recommendations', 'catalog'] }));
    assert.ok(text.includes(LINKS.search));
  });
});

describe('local engine: orders', () => {
  it('asks a guest to sign in and reveals no order even if one slipped into the grounding', async () => {
    for (const language of ['en', 'ja'] as const) {
      const text = await answer(grounding('order_status', language, { needsSignIn: true, orders: ORDERS }));
      assert.ok(text.includes(LINKS.orderTracking));
      assert.match(text, language === 'en' ? /sign in/ : /ログイン/);
      assert.doesNotMatch(text, /MA-/);
    }
  });

  it('says an unknown order number is not among their orders and reveals nothing else', async () => {
    for (const language of ['en', 'ja'] as const) {
      const text = await answer(grounding('order_status', language, { unknownOrderId: 'MA-20250101-9999', orders: ORDERS }));
      assert.ok(text.includes('MA-20250101-9999'));
      assert.doesNotMatch(text, /MA-2026|Yamato|4455/);
    }
  });

  it('gives status, carrier, tracking number and estimated delivery of the most recent order', async () => {
    const en = await answer(richGrounding('order_status', 'en'));
    assert.match(en, /MA-20261101-0042.*is shipped/);
    assert.match(en, /Yamato Transport, tracking number 4455-6677-8899/);
    assert.match(en, /Estimated delivery: Nov 25, 2026/);
    const ja = await answer(richGrounding('order_status', 'ja'));
    assert.match(ja, /「発送済み」/);
    assert.match(ja, /お届け予定日は2026年11月25日/);
    assert.match(ja, /MA-20261015-0007（配達完了）/);
  });

  it('talks about the order the customer named', async () => {
    const text = await answer(grounding('order_status', 'en', { text: 'what about ma-20261015-0007?', orders: ORDERS }));
    assert.match(text, /MA-20261015-0007.*is delivered/);
    assert.match(text, /delivered on Oct 18, 2026/);
    assert.doesNotMatch(text, /MA-20261101-0042/);
  });

  it('says so when there are no orders, and when the order system is down', async () => {
    assert.match(await answer(grounding('order_status', 'en')), /don't see any orders/);
    const down = await answer(grounding('order_status', 'ja', { degraded: ['orders'] }));
    assert.match(down, /注文情報を取得できない/);
    assert.ok(down.includes(LINKS.orderTracking));
  });
});

describe('local engine: faq, promotions, conversation', () => {
  it('answers from the passage in the customer language, citing its topic', async () => {
    const en = await answer(richGrounding('faq', 'en'));
    assert.match(en, /Returns and refunds/);
    assert.match(en, /Opened manga can only be returned if damaged\./);
    const ja = await answer(richGrounding('faq', 'ja'));
    assert.match(ja, /「返品・返金について」/);
    assert.match(ja, /開封済みの商品は、破損がある場合のみ返品を承ります。/);
  });

  it('says so when the only passage is in the other language', async () => {
    const text = await answer(grounding('faq', 'ja', { text: '返品できますか', passages: PASSAGES.slice(0, 1) }));
    assert.match(text, /英語版のみ/);
    assert.match(text, /「Returns and refunds」/);
  });

  it('admits it has no information, and says so differently when retrieval is down', async () => {
    const none = await answer(grounding('faq', 'en'));
    assert.match(none, /don't have information/);
    assert.ok(none.includes(LINKS.support));
    const down = await answer(grounding('faq', 'en', { degraded: ['retrieval'] }));
    assert.match(down, /can't look up our help articles/);
    assert.ok(down.includes(LINKS.support));
  });

  it('lists promotions in the customer language with end date and code, or says there are none', async () => {
    const ja = await answer(richGrounding('promotion', 'ja'));
    assert.match(ja, /冬のマンガセール（2026年12月25日まで、クーポンコード：WINTER10）/);
    const en = await answer(grounding('promotion', 'en', { promotions: PROMOTIONS.slice(0, 1) }));
    assert.match(en, /Winter Manga Sale: 10% off all shounen titles\. Ends Dec 25, 2026\. Code: WINTER10\./);
    assert.match(await answer(grounding('promotion', 'en')), /aren't any promotions/);
    assert.match(await answer(grounding('promotion', 'ja')), /キャンペーンはございません/);
  });

  it('escalation apologises and gives the support link; out of scope declines and says what it can do', async () => {
    const esc = await answer(richGrounding('escalation', 'en'));
    assert.match(esc, /sorry/i);
    assert.ok(esc.includes(LINKS.support));
    const oos = await answer(richGrounding('out_of_scope', 'ja'));
    assert.match(oos, /お答えいたしかねます/);
    assert.match(oos, /ご注文状況/);
  });

  it('chitchat answers thanks and greetings differently', async () => {
    assert.match(await answer(grounding('chitchat', 'en', { text: 'thanks a lot' })), /welcome/);
    assert.match(await answer(grounding('chitchat', 'en', { text: 'hello' })), /Hi there/);
  });
});

describe('local engine: cost', () => {
  it('composes and streams a typical answer in well under a millisecond of CPU', async () => {
    const groundings = (['en', 'ja'] as const).flatMap((l) => INTENTS.map((i) => richGrounding(i, l)));
    // Warm up until the optimising JIT has compiled the hot paths, as in a long-running server.
    // (node:test tracks async context, which makes each awaited token dearer than in the server.)
    for (let r = 0; r < 50; r++) for (const g of groundings) await answer(g);
    const rounds = 100;
    const before = process.cpuUsage();
    for (let r = 0; r < rounds; r++) for (const g of groundings) await answer(g);
    const used = process.cpuUsage(before);
    const perAnswerMs = (used.user + used.system) / 1000 / (rounds * groundings.length);
    console.log(`local engine: ${perAnswerMs.toFixed(4)} ms CPU per answer (mean over ${rounds * groundings.length})`);
    assert.ok(perAnswerMs < 0.5, `${perAnswerMs} ms per answer`);
  });
});

describe('local engine: policy answers lead with the fact asked', () => {
  const SHIPPING_EN = chunkMarkdown('# Shipping\n\nWe ship from Chiba.\n\n## Domestic shipping fees\n\n- Orders of **¥2,000 or more** ship **free**.\n- Orders under ¥2,000 cost a flat **¥350**.\n- **Prime members** get free shipping on every domestic order.\n\n## Carriers\n\n- Yamato Transport carries most orders.\n', 'en', 'shipping');
  const SHIPPING_JA = chunkMarkdown('# 配送について\n\n## 国内の送料\n\n- ご注文金額が **2,000円以上で送料無料** です。\n- 2,000円未満のご注文は全国一律 **350円** です。\n', 'ja', 'shipping');
  const RETURNS_EN = chunkMarkdown('# Returns and Refunds\n\n## Return shipping costs\n\n- Defective, damaged or wrong items: **we pay** return shipping and can send a replacement if it is in stock.\n- Unopened items returned because you changed your mind: **¥350** is deducted.\n\n## How to return\n\n1. Open /orders and choose "Return an item".\n2. Pick the items and the reason.\n', 'en', 'returns');
  const scored = (docs: IndexedDoc[], scores: number[]): ScoredDoc[] => docs.map((doc, i) => ({ doc, score: scores[i] ?? 0 }));

  it('gives the fee and the threshold first, then the section it comes from and the support link', async () => {
    const text = await answer(grounding('faq', 'en', { text: 'how much is shipping?', passages: scored([SHIPPING_EN[1], SHIPPING_EN[2]], [5, 1]) }));
    const [first, ...rest] = text.split('\n');
    assert.match(first, /^Orders of ¥2,000 or more ship free\. Orders under ¥2,000 cost a flat ¥350\.$/);
    assert.match(rest.at(-1)!, /From our Shipping guide, "Domestic shipping fees"\./);
    assert.ok(rest.at(-1)!.includes(LINKS.support));
    assert.doesNotMatch(text, /Yamato/, 'a section of the page that does not answer stays out');
  });

  it('answers in Japanese from the Japanese section, citing page and section', async () => {
    const text = await answer(grounding('faq', 'ja', { text: '送料はいくらですか？', passages: scored([SHIPPING_JA[0]], [5]) }));
    assert.match(text, /^ご注文金額が 2,000円以上で送料無料 です。2,000円未満のご注文は全国一律 350円 です。/);
    assert.match(text, /「配送について」の「国内の送料」より/);
  });

  it('says when a campaign running now changes the answer (free shipping until Christmas)', async () => {
    const winter = { ...PROMOTIONS[0], id: 'p-ship', kind: 'free_shipping', title: 'Winter free shipping', description: 'Free domestic shipping on every order until Christmas.' };
    const text = await answer(grounding('faq', 'en', { text: 'how much is shipping?', passages: scored([SHIPPING_EN[1]], [5]), promotions: [winter] }));
    assert.match(text, /^Orders of ¥2,000 or more ship free\./);
    assert.match(text, /Right now: Winter free shipping — Free domestic shipping on every order until Christmas \(until Dec 25, 2026\)\./);
  });

  it('a payment method the page does not list: says so and lists the ones it does', async () => {
    const PAY = chunkMarkdown('# Payment Methods\n\n## Credit and debit cards\n\nVisa and JCB.\n\n## PayPay\n\nPay from the app.\n\n## Not accepted\n\nWe do not accept checks or cryptocurrency.\n', 'en', 'payment-methods');
    const text = await answer(grounding('faq', 'en', { text: 'is Apple Pay accepted?', passages: scored([PAY[2], PAY[0], PAY[1]], [3, 1, 1]) }));
    assert.match(text, /^Apple Pay isn't one of our payment methods\. You can pay by: Credit and debit cards and PayPay\./);
  });

  it('a question that asks two things gets the second from the section that answers it', async () => {
    const DELIVERY = chunkMarkdown('# Delivery Times\n\n## Standard domestic delivery\n\n| Destination | Typical delivery |\n|---|---|\n| Kanto | next day |\n| Hokkaido | 2 to 3 days |\n', 'en', 'delivery-times');
    const text = await answer(grounding('faq', 'en', { text: 'how much is shipping and how long does it take to get to Hokkaido?', passages: scored([SHIPPING_EN[1], DELIVERY[0]], [5, 3]) }));
    assert.match(text, /^Orders of ¥2,000 or more ship free\. Orders under ¥2,000 cost a flat ¥350\./);
    assert.match(text, /Hokkaido: 2 to 3 days\./);
  });

  it('adds what to do next from the next section of the page when it answers nearly as well', async () => {
    const text = await answer(grounding('faq', 'en', { text: 'my book arrived damaged, what should I do?', passages: scored(RETURNS_EN, [5, 4]) }));
    assert.match(text.split('\n')[0], /^Defective, damaged or wrong items: we pay return shipping and can send a replacement/);
    assert.match(text, /Open \/orders and choose "Return an item"/);
  });
});
