import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrompt } from '../../src/llm/prompt.ts';
import { composeAnswer } from '../../src/llm/compose/index.ts';
import type { Grounding, RecommendationAsk } from '../../src/llm/types.ts';
import type { Series } from '../../src/catalog/types.ts';
import { richGrounding, NOW } from './fixtures.ts';

// What a model is told about comparisons, recommendation requests and "the next volume" is
// what the local engine says: the same grounding, in both.

const naruto: Series = { id: 'naruto', title: 'Naruto', authors: ['Masashi Kishimoto'], genres: ['Action', 'Adventure'], themes: [], demographic: 'Shounen', status: 'finished', volumeCount: 72, score: 8.07, popularityRank: 12 };
const bleach: Series = { id: 'bleach', title: 'Bleach', authors: ['Tite Kubo'], genres: ['Action', 'Supernatural'], themes: [], demographic: 'Shounen', status: 'finished', volumeCount: 74, score: 7.88, popularityRank: 15 };
const berserk: Series = { id: 'berserk', title: 'Berserk', authors: ['Kentarou Miura'], genres: ['Action', 'Fantasy', 'Horror'], themes: ['Gore'], demographic: 'Seinen', status: 'publishing', volumeCount: 42 };
const claymore: Series = { id: 'claymore', title: 'Claymore', authors: ['Norihiro Yagi'], genres: ['Action', 'Fantasy'], themes: ['Gore'], demographic: 'Shounen', status: 'finished', volumeCount: 27 };

const withSeries = (g: Grounding, series: Series[]): Grounding => ({ ...g, series: series.map((s) => ({ series: s, products: [], reasons: [] })) });

describe('comparisons, requests and volumes by place in the prompt and the local answer', () => {
  it('a comparison names every series in order with the facts to compare on, and the local answer says which is longer', () => {
    const g: Grounding = { ...withSeries(richGrounding('product_question', 'en'), [naruto, bleach]), text: 'Naruto or Bleach, which is longer?', comparison: { aspects: ['volumes'] } };
    const system = buildPrompt(g, { now: NOW }).system;
    assert.match(system, /COMPARISON: the customer asks to compare "Naruto", "Bleach" \(in this order\)/);
    assert.match(system, /First answer what they asked about \(volumes\)/);
    assert.match(system, /demographic Shounen; MyAnimeList score 8.07; popularity rank 12/);
    const answer = composeAnswer(g, NOW);
    assert.match(answer, /Naruto[\s\S]*Bleach/);
    assert.match(answer, /Bleach is the longer read: 74 volumes to Naruto's 72/);
  });

  it('which began first: each start year in the prompt, and the local answer says it first, in both languages', () => {
    const [n, b] = [{ ...naruto, startDate: '1999-09-21', titleJa: 'ナルト' }, { ...bleach, startDate: '2001-08-07', titleJa: 'ブリーチ' }];
    const g: Grounding = { ...withSeries(richGrounding('product_question', 'en'), [b, n]), text: 'is Bleach older than Naruto?', comparison: { aspects: ['started'] } };
    const system = buildPrompt(g, { now: NOW }).system;
    assert.match(system, /\[id bleach\] by Tite Kubo; finished, 74 volumes; began 2001;/);
    assert.match(system, /\[id naruto\] by Masashi Kishimoto; finished, 72 volumes; began 1999;/);
    assert.match(system, /First answer what they asked about \(which began first \(year each began\)\)/);
    const answer = composeAnswer(g, NOW);
    assert.match(answer.split('\n')[0], /^Naruto is the older of the two \(it began in 1999\); Bleach is the newer \(it began in 2001\)\./);
    assert.match(answer, /Bleach by Tite Kubo — complete in 74 volumes; began in 2001/);
    const ja = composeAnswer({ ...g, language: 'ja', text: 'ブリーチとナルト、どっちが先に始まった？' }, NOW);
    assert.match(ja.split('\n')[0], /先に始まったのは『ナルト』（1999年開始）で、『ブリーチ』（2001年開始）の方が新しい作品です/);
    assert.match(ja, /『ブリーチ』（Tite Kubo先生）：全74巻・完結、2001年連載開始/);
  });

  it('an 18+ title in a comparison is withheld without a name, and a romaji-only import is called what the customer wrote', () => {
    const g: Grounding = { ...withSeries(richGrounding('product_question', 'en'), [naruto]), text: 'Naruto or Gantz?', comparison: { aspects: [], withheld: 1 } };
    assert.match(buildPrompt(g, { now: NOW }).system, /AGE-RESTRICTED: 1 other title\(s\) the customer named are sold 18\+[^\n]*say so/);
    const answer = composeAnswer(g, NOW);
    assert.match(answer, /^The other title you named is sold only to signed-in customers who have confirmed they are 18 or older[^\n]*Here's what I have on Naruto:/);
    assert.match(answer, /Would you like prices or stock for a particular volume\?/);
    // Told already by the 18+ notice before the answer: not said twice.
    const told = composeAnswer({ ...g, comparison: { aspects: [], withheld: 1, withheldTold: true } }, NOW);
    assert.match(told, /^Here's what I have on Naruto:/);
    const kuro: Series = { id: 'kuroshitsuji', title: 'Kuroshitsuji', titleEn: 'Black Butler', authors: ['Yana Toboso'], genres: ['Action'], themes: [], status: 'publishing', startDate: '2006-09-16' };
    const ja: Grounding = { ...withSeries(richGrounding('product_question', 'ja'), [kuro, naruto]), text: '黒執事とナルトどっちが古い？', comparison: { aspects: ['started'], written: { kuroshitsuji: '黒執事' } } };
    assert.match(composeAnswer(ja, NOW), /・『黒執事』（Kuroshitsuji）（Yana Toboso先生）：連載中、2006年連載開始/);
    assert.match(buildPrompt(ja, { now: NOW }).system, /"Kuroshitsuji" \(they wrote "黒執事": call it that/);
  });

  it('a volume asked of every series compared: its price and stock for each, first, no box set as an edition of it', () => {
    const g = richGrounding('price_availability', 'en');
    const products = [...g.series[0].products, { ...g.series[0].products[0], id: 'box-108', format: 'box_set' as const, priceJpy: 9999 }];
    const other = { ...g.series[0], series: { ...naruto, startDate: '1999-09-21' }, products: products.map((p) => ({ ...p, seriesId: 'naruto' })) };
    const both: Grounding = { ...g, series: [{ ...g.series[0], products }, other], text: 'is vol 108 of both in stock?', requestedVolume: 108, comparison: { aspects: [] } };
    const answer = composeAnswer(both, NOW);
    assert.match(answer.split('\n')[0], /Vol\. 108 \(paperback\): ¥528, in stock/);
    assert.doesNotMatch(answer, /9,999/);
    assert.doesNotMatch(answer, /volume 1 of either/);
    assert.match(buildPrompt(both, { now: NOW }).system, /Give volume 108's price and stock for each of them\./);
  });

  it('a recommendation request is stated, every constraint, and "nothing fits" with the nearest fit when so', () => {
    const ask: RecommendationAsk = { genres: [], themes: [], like: [berserk], shorter: true, maxVolumes: 41, status: 'finished', audience: 'teen', excluded: [], excludedTags: [] };
    const g: Grounding = { ...withSeries(richGrounding('recommendation', 'en'), [claymore]), recommendation: ask };
    const system = buildPrompt(g, { now: NOW }).system;
    assert.match(system, /REQUEST: similar to "Berserk" \(never those series themselves\); finished \(complete\) series only; at most 41 volumes \(shorter than the series liked\); for a teenager/);
    assert.match(composeAnswer(g, NOW), /shorter than Berserk \(41 volumes or fewer; it has 42\)/);

    const none: Grounding = { ...withSeries(richGrounding('recommendation', 'en'), []), recommendation: { ...ask, nothingFits: true, nearest: { without: 'status', series: [claymore] } } };
    const prompt = buildPrompt(none, { now: NOW }).system;
    assert.match(prompt, /NOTHING IN THE CATALOG FITS THIS REQUEST/);
    assert.match(prompt, /NEAREST \(without the status constraint\): "Claymore" \(27 volumes, finished\)/);
    const answer = composeAnswer(none, NOW);
    assert.match(answer, /couldn't find a series in our catalog that fits all of this/);
    assert.match(answer, /Without the finished\/ongoing requirement, I can suggest Claymore/);
  });

  it('"the next volume" of a finished series: the model is told there is none, the local answer says so', () => {
    const g: Grounding = { ...richGrounding('price_availability', 'en'), volumeAsked: { ref: 'next', after: 110, none: true } };
    g.series = g.series.map((s) => ({ ...s, series: { ...s.series, status: 'finished' as const } }));
    assert.match(buildPrompt(g, { now: NOW }).system, /THE CUSTOMER ASKS FOR THE NEXT VOLUME: there is none — the series is finished/);
    assert.match(buildPrompt({ ...g, askWhich: true }, { now: NOW }).system, /THE CUSTOMER DID NOT SAY WHICH SERIES/);
  });
});

describe('a format the store does not sell for the volume asked', () => {
  it('is said before the formats it does sell', () => {
    const g: Grounding = { ...richGrounding('price_availability', 'en'), requestedFormat: 'kanzenban' };
    const answer = composeAnswer(g, NOW);
    assert.match(answer, /We don't sell Vol\. \d+ as a kanzenban edition; here is what we have:/);
  });
});

describe('box sets in the prompt and the local answer', () => {
  const haikyuu: Series = { id: 'haikyuu', title: 'Haikyuu!!', titleJa: 'ハイキュー!!', authors: ['Haruichi Furudate'], genres: ['Sports'], themes: [], status: 'finished', volumeCount: 45 };
  const products = [
    { id: 'haikyuu-v003', seriesId: 'haikyuu', volume: 3, format: 'tankobon' as const, priceJpy: 506, stock: 9, releaseDate: '2012-11-25' },
    { id: 'haikyuu-box-03', seriesId: 'haikyuu', volume: 3, format: 'box_set' as const, priceJpy: 9480, stock: 13, releaseDate: '2025-10-03' },
  ];
  const grounding = (language: 'en' | 'ja', format?: 'box_set'): Grounding => ({
    ...richGrounding('price_availability', language),
    series: [{ series: haikyuu, products, reasons: [] }],
    requestedVolume: 3,
    ...(format ? { requestedFormat: format } : {}),
  });

  it('a box set is named by its own number, never as a volume, and never listed as an edition of the volume of that number', () => {
    assert.match(buildPrompt(grounding('en', 'box_set'), { now: NOW }).system, /box set 3 \(its own numbering, not a volume\): ¥9480/);
    const en = composeAnswer(grounding('en', 'box_set'), NOW);
    assert.match(en, /Box set 3: ¥9,480, in stock/);
    assert.doesNotMatch(en, /Vol\. 3/);
    const ja = composeAnswer(grounding('ja', 'box_set'), NOW);
    assert.match(ja, /BOXセット3：9,480円/);
    assert.doesNotMatch(ja, /3巻/);
    // Volume 3 asked: the paperback only.
    const volume = composeAnswer(grounding('en'), NOW);
    assert.match(volume, /Vol\. 3 \(paperback\): ¥506/);
    assert.doesNotMatch(volume, /9,480|box set/i);
  });
});
