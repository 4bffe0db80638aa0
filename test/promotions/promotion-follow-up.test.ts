/** Questions about the promotions the last answer named: read as promotion questions, answered about those promotions. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadEmbeddedPromotions } from '../../src/promotions/embedded-promotions.ts';
import { asksAboutACode, asksOfAVolume, asksOfPromotionsInPlay, promotionDetailAsked } from '../../src/promotions/promotion-follow-up.ts';
import { namesSomethingElse, promotionsAskedFor, promotionTitleQuery } from '../../src/promotions/promotion-match.ts';
import { writesOutName } from '../../src/chat/grounding/promotions.ts';
import { composeAnswer } from '../../src/llm/compose/index.ts';
import { promotionsAnswered } from '../../src/llm/compose/promotion.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { StoredMessage } from '../../src/memory/types.ts';
import type { Promotion } from '../../src/promotions/types.ts';

const FILE = fileURLToPath(new URL('../../data/store/promotions.json', import.meta.url));
const DECEMBER = new Date('2026-12-07T12:00:00+09:00');

async function running(): Promise<Promotion[]> {
  const service = await loadEmbeddedPromotions(FILE, { clock: () => DECEMBER });
  return service.active();
}

/** A conversation whose last answer (of `intent`) was about these promotions. */
function after(intent: string, promotions: string[] = []): StoredMessage[] {
  return [
    { role: 'user', text: '…', messageId: 'm1', intent, at: 0 },
    { role: 'assistant', text: '…', messageId: 'm1', intent, at: 1, ...(promotions.length > 0 ? { about: { promotions } } : {}) },
  ];
}

function grounding(text: string, language: 'en' | 'ja', promotions: Promotion[], over: Partial<Grounding> = {}): Grounding {
  return {
    intent: 'promotion', language, text, history: [], customer: { kind: 'guest' }, series: [], passages: [], orders: [], promotions, reviews: [], degraded: [],
    links: { search: 'https://shop.example/search', orderTracking: 'https://shop.example/orders', support: 'https://shop.example/support' }, ...over,
  };
}

describe('what a follow-up asks of promotions', () => {
  it('their end date, their code, a format, whom they are for — in both languages', () => {
    for (const say of ['until when?', 'until when is it valid?', 'when does it end', 'how long is the sale on?', 'does the code expire?', 'いつまで？', 'それっていつまで使えますか', '期限はありますか']) assert.equal(promotionDetailAsked(say), 'until', say);
    for (const say of ['do I need a code?', 'which ones need a coupon?', 'クーポンコードは必要？', 'コードいる？']) assert.equal(promotionDetailAsked(say), 'code', say);
    for (const say of ['does the Slam Dunk one work on digital?', 'is it valid for ebooks too?', '電子書籍でも使える？', '紙の本だけ？', 'is it only for the kanzenban?', '完全版だけが対象？']) assert.equal(promotionDetailAsked(say), 'format', say);
    for (const say of ['what about for Prime?', 'anything for members?', 'プライム会員向けのは？']) assert.equal(promotionDetailAsked(say), 'who', say);
    for (const say of ['thanks!', 'how much is volume 3?', 'おすすめは？']) assert.equal(promotionDetailAsked(say), undefined, say);
  });

  it('after a promotion answer, asked of it however the classifier read it alone', () => {
    assert.ok(asksOfPromotionsInPlay('which ones need a code?', after('promotion'), 'recommendation'));
    assert.ok(asksOfPromotionsInPlay('does the Slam Dunk one work on digital?', after('promotion'), 'faq'));
    assert.ok(asksOfPromotionsInPlay('電子書籍でも使える？', after('promotion'), 'price_availability'));
    assert.ok(asksOfPromotionsInPlay('is it for digital too?', after('promotion', ['promo-sports-manga-points']), 'price_availability'));
    assert.ok(asksOfPromotionsInPlay('what about for Prime?', after('promotion'), 'faq'));
    assert.ok(asksOfPromotionsInPlay("what's on right now then", after('promotion'), 'chitchat'));
    assert.ok(asksOfPromotionsInPlay('until when is it valid?', after('promotion', ['promo-welcome-2026']), 'faq'));
  });

  it('after a policy answer that named a running promotion: its end date or code only', () => {
    assert.ok(asksOfPromotionsInPlay('until when', after('faq', ['promo-winter-free-shipping-2026']), 'faq'));
    assert.ok(asksOfPromotionsInPlay('いつまで？', after('faq', ['promo-winter-free-shipping-2026']), 'faq'));
    assert.ok(!asksOfPromotionsInPlay('what about for Prime?', after('faq', ['promo-winter-free-shipping-2026']), 'faq'));
    // The points page named the Prime double points beside its rates: an expiry asked of nothing
    // named is the points rule's (points expire 12 months after), not the campaign's end date.
    assert.ok(!asksOfPromotionsInPlay('有効期限はありますか', after('faq', ['promo-prime-double-points']), 'faq'));
    assert.ok(!asksOfPromotionsInPlay('do they expire?', after('faq', ['promo-prime-double-points']), 'faq'));
    assert.ok(asksOfPromotionsInPlay('does the coupon expire?', after('faq', ['promo-welcome-2026']), 'faq'), 'a promotion named still is one');
    assert.ok(asksOfPromotionsInPlay('有効期限はありますか', after('promotion', ['promo-welcome-2026']), 'faq'), 'right after a promotion answer, its validity');
    assert.ok(!asksOfPromotionsInPlay('until when', after('faq'), 'faq'), 'no promotion named: a policy question');
    assert.ok(!asksOfPromotionsInPlay('ok, so if I sign up, how long is the email confirmation link valid?', after('faq', ['promo-prime-double-points']), 'faq'), 'a subject of its own');
    assert.ok(!asksOfPromotionsInPlay('how long is the story?', after('promotion', ['promo-frieren-points-x5']), 'product_question'));
    assert.ok(!asksOfPromotionsInPlay('how long does shipping take to Hokkaido?', after('promotion', ['promo-winter-free-shipping-2026']), 'faq'));
    assert.ok(asksOfPromotionsInPlay('ワンピースのまとめ買いのやつ、いつまで？', after('promotion'), 'recommendation'), 'named by its kind');
  });

  it('never a volume, its price or stock, a wish for other books, or how membership works', () => {
    assert.ok(asksOfAVolume('転スラの29巻の値段は？'));
    assert.ok(!asksOfPromotionsInPlay('is vol 29 still in stock until when?', after('promotion'), 'price_availability'));
    assert.ok(!asksOfPromotionsInPlay('anything similar to Slam Dunk for Prime members?', after('promotion'), 'recommendation'));
    assert.ok(!asksOfPromotionsInPlay('how do I become a Prime member?', after('promotion'), 'faq'));
    assert.ok(!asksOfPromotionsInPlay('can I pay with PayPay for digital?', after('promotion'), 'faq'));
    assert.ok(!asksOfPromotionsInPlay('until when?', after('product_question'), 'product_question'), 'no promotion in play');
  });
});

describe('answers about the promotions in play', () => {
  it('"until when?" after one promotion: its end date first, the rest still named', async () => {
    const promotions = await running();
    const en = composeAnswer(grounding('until when', 'en', promotions, { history: after('faq', ['promo-winter-free-shipping-2026']) }), DECEMBER);
    assert.match(en.split('\n')[0], /"Winter free shipping: no minimum" runs until Dec 25, 2026\./);
    assert.match(en, /Also running: .*Welcome offer/);
    const ja = composeAnswer(grounding('いつまで？', 'ja', promotions, { history: after('promotion', ['promo-one-piece-catch-up']) }), DECEMBER);
    assert.match(ja.split('\n')[0], /「『ONE PIECE』まとめ買い 10冊で10%オフ」は2027年7月21日までです。/);
  });

  it('"do I need a code?": the code from the data, or that none is needed', async () => {
    const promotions = await running();
    const bundle = composeAnswer(grounding('do I need a code?', 'en', promotions, { history: after('promotion', ['promo-one-piece-catch-up']) }), DECEMBER);
    assert.match(bundle.split('\n')[0], /"One Piece catch-up bundle: 10% off 10 volumes" needs no coupon code\./);
    const all = promotions.map((p) => p.id);
    const which = composeAnswer(grounding('which ones need a code?', 'en', promotions, { history: after('promotion', all) }), DECEMBER);
    assert.match(which.split('\n')[0], /Welcome offer: 10% off your first order" takes the coupon code WELCOME10/);
  });

  it('a series asked with a format: what each of its promotions covers, before them', async () => {
    const promotions = await running();
    const text = composeAnswer(grounding('does the Slam Dunk one work on digital?', 'en', promotions, { promotionFor: { seriesId: 'slam-dunk', title: 'Slam Dunk' } }), DECEMBER);
    const lines = text.split('\n');
    assert.match(lines.slice(0, 2).join('\n'), /"Jump classics kanzenban fair: 15% off" is for print books only, so it can't be used on digital editions/);
    assert.match(lines.slice(0, 2).join('\n'), /"Sports manga: 3x points" don't limit it to print or digital/);
  });

  it('"what\'s on right now then" names nothing else: the list, without "I don\'t see a promotion for that"', async () => {
    const promotions = await running();
    assert.ok(!namesSomethingElse("what's on right now then", promotions));
    assert.ok(!namesSomethingElse('ok so what else is running', promotions));
    assert.ok(namesSomethingElse('is there a student discount then?', promotions));
  });

  it('the answer keeps which promotions it was about, for the next question', async () => {
    const promotions = await running();
    assert.deepEqual(promotionsAnswered(grounding('any deals on Slam Dunk?', 'en', promotions, { promotionFor: { seriesId: 'slam-dunk', title: 'Slam Dunk' } })).sort(), ['promo-jump-kanzenban-fair', 'promo-sports-manga-points']);
    assert.deepEqual(promotionsAnswered(grounding('a coupon for new members?', 'en', promotions)), ['promo-welcome-2026']);
    assert.equal(promotionsAnswered(grounding('any deals?', 'en', promotions)).length, 8);
  });
});

describe('a series named in a promotion question', () => {
  it('by its name or the head before its subtitle, but not by a head made of promotion words', () => {
    assert.ok(writesOutName('any deals on Frieren?', { title: 'Sousou no Frieren', titleEn: "Frieren: Beyond Journey's End", titleJa: '葬送のフリーレン' }));
    assert.ok(writesOutName('フリーレン安くなってる？', { title: 'Sousou no Frieren', titleJa: '葬送のフリーレン' }));
    assert.ok(writesOutName('any sale on code breaker?', { title: 'Code: Breaker' }));
    assert.ok(!writesOutName('do I need a code for that?', { title: 'Code: Breaker' }), '"Code" is a promotion word');
    // The kanji head before の, as Japanese customers shorten a title (鬼滅 of 鬼滅の刃); never one kanji or kana.
    assert.ok(writesOutName('鬼滅を全巻買ったら割引ある？', { title: 'Kimetsu no Yaiba', titleEn: 'Demon Slayer', titleJa: '鬼滅の刃' }));
    assert.ok(writesOutName('進撃のセールある？', { title: 'Shingeki no Kyojin', titleJa: '進撃の巨人' }));
    assert.ok(!writesOutName('鋼のセールある？', { title: 'Hagane no Renkinjutsushi', titleJa: '鋼の錬金術師' }), 'one kanji is no name');
    assert.ok(!writesOutName('となりのセールある？', { title: 'Tonari no Kaibutsu-kun', titleJa: 'となりの怪物くん' }), 'a kana head is no name');
    assert.ok(!writesOutName('any points for that?', { title: 'Points: The Series' }));
    // An imported title has no Japanese name: written out in katakana, English words as katakana spells them.
    assert.ok(writesOutName('ライアーゲームってセール対象？', { title: 'Liar Game' }));
    assert.ok(writesOutName('ソウルイーターって割引ある？', { title: 'Soul Eater' }));
    assert.ok(writesOutName('ホーリーランドのクーポンある？', { title: 'Holyland' }));
    assert.ok(writesOutName('ノラガミ安くなってる？', { title: 'Noragami', titleEn: 'Noragami: Stray God' }));
    assert.ok(!writesOutName('ライアーゲームってセール対象？', { title: 'Soul Eater' }), 'another title');
    assert.ok(!writesOutName('ゲームのセールある？', { title: 'Liar Game' }), 'one word of it');
    assert.ok(!writesOutName('キャンペーンある？', { title: 'Campaign' }), 'a promotion word');
  });
});

describe('who a promotion is for, and a code named', () => {
  it('a coupon code typed in a question is a promotion question; a volume is not a code', () => {
    assert.ok(asksAboutACode("can I use WELCOME10? I've ordered before", 'faq'));
    assert.ok(asksAboutACode('SPOOKY20はまだ使えますか？', 'chitchat'));
    assert.ok(!asksAboutACode('is vol10 still in stock, can I use points?', 'price_availability'));
    assert.ok(asksAboutACode("can I use WELCOME10? I've ordered before", 'order_status'));
    assert.ok(!asksAboutACode('I used WELCOME10, where is my order?', 'order_status'), 'an order question keeps its reading');
  });

  it('picked out by its code, and by the multiplier named', async () => {
    const promotions = await running();
    assert.deepEqual(promotionsAskedFor("can I use WELCOME10? I've ordered before", promotions).map((p) => p.id), ['promo-welcome-2026']);
    assert.deepEqual(promotionsAskedFor('do I get the double points?', promotions).map((p) => p.id), ['promo-prime-double-points']);
    assert.deepEqual(promotionsAskedFor('ポイント3倍のキャンペーンは？', promotions).map((p) => p.id), ['promo-sports-manga-points']);
  });

  it('a Prime-only promotion said against the customer\'s membership, in both languages', async () => {
    const promotions = await running();
    const ask = (text: string, language: 'en' | 'ja', kind: 'guest' | 'member' | 'prime') => composeAnswer(grounding(text, language, promotions, { customer: { kind } }), DECEMBER).split('\n')[0];
    assert.match(ask('do I get the double points?', 'en', 'member'), /"Prime: double points all year" is for Prime members only, so it doesn't apply to your account/);
    assert.match(ask('do I get the double points?', 'en', 'prime'), /As a Prime member, you get "Prime: double points all year"/);
    assert.match(ask('do I get the double points?', 'en', 'guest'), /is for Prime members only\.$/);
    assert.match(ask('ポイント2倍キャンペーンって私も対象？', 'ja', 'member'), /「プライム会員ポイント2倍」はプライム会員の方のみが対象のため、一般会員のお客さまは対象外です。/);
  });
});

describe('the title in a Japanese promotion or points question', () => {
  it('without the words around it: 全巻/全部, もらえますか, 安くなってますか', () => {
    assert.equal(promotionTitleQuery('フリーレン全巻買ったら何ポイントもらえますか？'), 'フリーレン');
    assert.equal(promotionTitleQuery('フリーレンを全部買ったら何ポイント？'), 'フリーレン');
    assert.equal(promotionTitleQuery('ナルトは安くなってますか'), 'ナルト');
    assert.equal(promotionTitleQuery('スラムダンクのキャンペーンある？'), 'スラムダンク');
  });
});

