/** Promotion answers over the store's own promotions, at pinned moments: what runs then, all of it, the ones asked about first. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadEmbeddedPromotions } from '../../src/promotions/embedded-promotions.ts';
import { asksCombining, continuesPromotions, formatAsked, namesSomethingElse, promotionFormats, promotionsAskedFor, promotionsForSeries, promotionTitleQuery } from '../../src/promotions/promotion-match.ts';
import { composeAnswer } from '../../src/llm/compose/index.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { Promotion } from '../../src/promotions/types.ts';

const FILE = fileURLToPath(new URL('../../data/store/promotions.json', import.meta.url));
const AT = {
  december: new Date('2026-12-07T12:00:00+09:00'),
  halloween: new Date('2026-10-15T12:00:00+09:00'),
  newYear: new Date('2027-01-03T12:00:00+09:00'),
};

/** The promotions running at `now`, read through the service with that clock. */
async function running(now: Date): Promise<Promotion[]> {
  const service = await loadEmbeddedPromotions(FILE, { clock: () => now });
  return service.active();
}

function grounding(text: string, language: 'en' | 'ja', promotions: Promotion[], over: Partial<Grounding> = {}): Grounding {
  return {
    intent: 'promotion', language, text, history: [], customer: { kind: 'guest' }, series: [], passages: [], orders: [], promotions, reviews: [], degraded: [],
    links: { search: 'https://shop.example/search', orderTracking: 'https://shop.example/orders', support: 'https://shop.example/support' }, ...over,
  };
}

describe('promotion answers', () => {
  it('names every promotion running now — eight on Dec 7, 2026 — and none that ended or has not started', async () => {
    const promotions = await running(AT.december);
    assert.equal(promotions.length, 8);
    const text = composeAnswer(grounding('any sales or promotions right now?', 'en', promotions), AT.december);
    for (const p of promotions) assert.ok(text.includes(p.title), `${p.title} is named`);
    for (const gone of ['Halloween', 'Summer 2025', 'New Year sale', 'Golden Week']) assert.ok(!text.includes(gone), `${gone} is not`);
  });

  it('follows the calendar: the Halloween sale in October, the New Year sale on January 3', async () => {
    const october = composeAnswer(grounding('any deals?', 'en', await running(AT.halloween)), AT.halloween);
    assert.match(october, /Halloween horror sale: 20% off/);
    assert.match(october, /SPOOKY20/);
    assert.doesNotMatch(october, /Winter free shipping/);
    const january = composeAnswer(grounding('セールはありますか', 'ja', await running(AT.newYear)), AT.newYear);
    assert.match(january, /新春セール 全品5%オフ（2027年1月7日まで）/);
    assert.doesNotMatch(january, /冬の送料無料/);
  });

  it('about a series: the promotions that list it, then the store-wide ones that apply too', async () => {
    const promotions = await running(AT.december);
    const text = composeAnswer(grounding('any deals on Slam Dunk kanzenban?', 'en', promotions, { promotionFor: { seriesId: 'slam-dunk', title: 'Slam Dunk' } }), AT.december);
    const [lead] = text.split('\n');
    assert.match(lead, /For Slam Dunk/);
    assert.match(text, /Jump classics kanzenban fair: 15% off/);
    assert.match(text, /Sports manga: 3x points/);
    assert.match(text, /Store-wide offers that apply to it too: .*Welcome offer/);
    assert.doesNotMatch(text, /Isekai fair/);
    const none = composeAnswer(grounding('ナルトは安くなってますか', 'ja', promotions, { promotionFor: { seriesId: 'naruto', title: 'NARUTO -ナルト-' } }), AT.december);
    assert.match(none, /現在、『NARUTO -ナルト-』を対象としたキャンペーンはございません。/);
    assert.match(none, /全商品対象の「冬の送料無料キャンペーン\(金額条件なし\)」（2026年12月25日まで）/);
  });

  it('the one a question picks out comes first, and the rest are still named', async () => {
    const promotions = await running(AT.december);
    const text = composeAnswer(grounding('do you have a coupon for new members?', 'en', promotions), AT.december);
    assert.match(text.split('\n')[1], /Welcome offer: 10% off your first order.*Code: WELCOME10/);
    assert.match(text, /Also running: .*Winter free shipping/);
    for (const p of promotions) assert.ok(text.includes(p.title), `${p.title} is named`);
  });
});

describe('which promotions a question asks about', () => {
  it('by kind, by their own words (both languages), never by words every promotion shares', async () => {
    const promotions = await running(AT.december);
    const ids = (q: string) => promotionsAskedFor(q, promotions).map((p) => p.id);
    assert.deepEqual(ids('do you have a coupon for new members?'), ['promo-welcome-2026']);
    assert.deepEqual(ids('送料無料のキャンペーンはいつまで？'), ['promo-winter-free-shipping-2026']);
    assert.deepEqual(ids('異世界もので安くなってる作品もある？'), ['promo-isekai-fair-2026']);
    assert.deepEqual(ids('do prime members get extra points?'), ['promo-prime-double-points']);
    assert.deepEqual(ids('any sales or promotions right now?'), []);
    assert.deepEqual(ids('今やってるセールやキャンペーンを教えて'), []);
    assert.ok(!ids('スラムダンクの完全版って安くなってますか？').includes('promo-isekai-fair-2026'), 'スラムダンク is not スライム');
  });

  it('a series gets its own promotions and the store-wide ones', async () => {
    const { specific, storeWide } = promotionsForSeries('one-piece', await running(AT.december));
    assert.deepEqual(specific.map((p) => p.id), ['promo-one-piece-catch-up']);
    assert.ok(storeWide.every((p) => p.seriesIds.length === 0) && storeWide.length === 3);
  });

  it('the title part of a promotion question, or nothing', () => {
    assert.equal(promotionTitleQuery('is there any deal on Slam Dunk?'), 'Slam Dunk');
    assert.equal(promotionTitleQuery('フリーレンのキャンペーンってありますか？'), 'フリーレン');
    assert.equal(promotionTitleQuery('any sales or promotions right now?'), '');
    assert.equal(promotionTitleQuery('any promotions on it?'), '');
  });
});

describe('promotions in context (round 2)', () => {
  const after = (intent: string) => [{ role: 'user' }, { role: 'assistant', intent }];
  it('a short follow-up right after the promotions stays on them, in both languages', () => {
    for (const say of ['anything for Slam Dunk specifically?', 'any on sports manga?', 'what about One Piece?', 'and for Frieren?', 'anything for isekai in particular?', 'ok what about haikyuu', 'ハイキューは？', 'スラムダンクだと？', 'フリーレンには何かありますか？', 'スポーツ漫画も対象ですか']) {
      assert.ok(continuesPromotions(say, after('promotion'), 'recommendation'), say);
    }
  });

  it('...but not a request for recommendations, nor after another kind of answer, nor when it already reads as a policy question', () => {
    assert.ok(!continuesPromotions('anything similar to Slam Dunk?', after('promotion'), 'recommendation'));
    assert.ok(!continuesPromotions('what about One Piece?', after('product_question'), 'product_question'));
    assert.ok(!continuesPromotions('スラムダンクみたいな漫画は？', after('promotion'), 'recommendation'));
    assert.ok(!continuesPromotions('what about shipping?', after('promotion'), 'faq'));
  });

  it('coupon scope from the promotion data: the welcome code is for print books only', async () => {
    const promotions = await running(AT.december);
    const welcome = promotions.find((p) => p.id === 'promo-welcome-2026')!;
    assert.equal(promotionFormats(welcome), 'print');
    assert.equal(promotionFormats(promotions.find((p) => p.id === 'promo-frieren-points-x5')!), 'both');
    assert.equal(formatAsked('does the welcome code work on ebooks?'), 'digital');
    assert.equal(formatAsked('クーポンは電子書籍にも使えますか'), 'digital');
    assert.equal(formatAsked('is the coupon only for print books?'), 'print');
    const en = composeAnswer(grounding('does the welcome coupon work on ebooks?', 'en', promotions), AT.december);
    assert.match(en.split('\n')[0], /is for print books only, so it can't be used on digital editions/);
    const ja = composeAnswer(grounding('初回クーポンは電子書籍にも使えますか？', 'ja', promotions), AT.december);
    assert.match(ja.split('\n')[0], /紙の本のみが対象のため、電子書籍にはご利用いただけません/);
    const yes = composeAnswer(grounding('is the welcome coupon only for print books?', 'en', promotions), AT.december);
    assert.match(yes.split('\n')[0], /^Yes — "Welcome offer: 10% off your first order" is for print books\./);
  });

  it('combining promotions: the data does not say, so no promise, and support can confirm', async () => {
    const promotions = await running(AT.december);
    for (const say of ['can I use the welcome coupon during the kanzenban fair?', 'can I stack the welcome code with the isekai fair?', 'クーポンとフェアの割引は併用できますか', 'ウェルカムクーポンは完全版フェアと一緒に使えますか']) assert.ok(asksCombining(say), say);
    assert.ok(!asksCombining('do you have a coupon for new members?'));
    const en = composeAnswer(grounding('can I use the welcome coupon during the kanzenban fair?', 'en', promotions), AT.december);
    assert.match(en.split('\n')[0], /don't say whether .* can be combined .* support team can confirm/);
    assert.doesNotMatch(en, /\byes\b/i);
    const ja = composeAnswer(grounding('クーポンとフェアの割引は併用できますか', 'ja', promotions), AT.december);
    assert.match(ja.split('\n')[0], /併用できるかどうかは、キャンペーンの内容に記載がないため/);
  });

  it('a question about something no promotion is about says so before the list', async () => {
    const promotions = await running(AT.december);
    assert.ok(namesSomethingElse('is there a student discount?', promotions));
    assert.ok(namesSomethingElse('学割はありますか', promotions));
    assert.ok(!namesSomethingElse('any deals right now?', promotions));
    assert.ok(!namesSomethingElse('今やってるキャンペーンは？', promotions));
    const text = composeAnswer(grounding('is there a student discount?', 'en', promotions), AT.december);
    assert.match(text.split('\n')[0], /I don't see a promotion for that/);
    for (const p of promotions) assert.ok(text.includes(p.title), `${p.title} is still named`);
  });

  it('no sales figures claimed: "best selling this week" is answered with popularity, said so', () => {
    const series = [{ series: { id: 'one-piece', title: 'One Piece', titleEn: 'One Piece', authors: ['Eiichiro Oda'], genres: [], themes: [], status: 'publishing', volumeCount: 112 }, products: [], reasons: ['popular'] }];
    for (const [say, lang, re] of [["what's best selling this week?", 'en', /don't publish sales figures/], ['今週の売れ筋は？', 'ja', /売れ筋ランキングは公開しておりません/], ['what sold the most this month?', 'en', /don't publish sales figures/]] as const) {
      const text = composeAnswer({ ...grounding(say, lang, []), intent: 'recommendation', series: series as never }, AT.december);
      assert.match(text.split('\n')[0], re, say);
    }
    const plain = composeAnswer({ ...grounding("what's popular?", 'en', []), intent: 'recommendation', series: series as never }, AT.december);
    assert.doesNotMatch(plain, /sales figures/);
  });
});
