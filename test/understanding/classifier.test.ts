import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createIntentClassifier, loadIntentDataset } from '../../src/understanding/classifier.ts';
import { readIntentExamples, type LabelledExample } from '../../src/understanding/dataset.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import type { Intent } from '../../src/understanding/types.ts';
import type { Series } from '../../src/catalog/types.ts';

const dir = fileURLToPath(new URL('../../data/intents', import.meta.url));
const { train, heldOut } = loadIntentDataset(dir);
// Never trained on (data/intents/unseen/README.md).
const unseen = readIntentExamples(fileURLToPath(new URL('../../data/intents/unseen', import.meta.url)));
// The shipped catalog's names, as the service knows them.
const shipped = parseJsonlCatalog(readFileSync(fileURLToPath(new URL('../../data/catalog/series.jsonl', import.meta.url)), 'utf8')).series;
const classifier = createIntentClassifier(train, { series: shipped });

/** Accuracy overall and per language. */
function accuracy(examples: LabelledExample[]): Record<'all' | 'en' | 'ja', number> {
  const acc = { all: [0, 0], en: [0, 0], ja: [0, 0] } as Record<string, [number, number]>;
  for (const ex of examples) {
    const ok = classifier.classify(ex.text).intent === ex.intent ? 1 : 0;
    for (const key of ['all', detectLanguage(ex.text)]) {
      acc[key][0] += ok;
      acc[key][1] += 1;
    }
  }
  return { all: acc.all[0] / acc.all[1], en: acc.en[0] / acc.en[1], ja: acc.ja[0] / acc.ja[1] };
}

// Clear cases written for this test (not copied from the data set), two per intent and language.
const CLEAR: Array<[string, Intent]> = [
  ['do you have Kagurabachi in your store?', 'product_search'],
  ['鬼滅の刃ありますか', 'product_search'],
  ['what is Frieren about?', 'product_question'],
  ['ベルセルクって完結してますか', 'product_question'],
  ['can you recommend a good romance manga', 'recommendation'],
  ['おすすめの恋愛漫画を教えて', 'recommendation'],
  ['is One Piece 108 in stock?', 'price_availability'],
  ['呪術廻戦の最新巻はいくらですか', 'price_availability'],
  ['where is my order MA-20261104-0007', 'order_status'],
  ['注文した荷物がまだ届きません', 'order_status'],
  ['how much is shipping to the US?', 'faq'],
  ['返品はできますか', 'faq'],
  ['do you have any coupon codes right now', 'promotion'],
  ['今セールやってる？', 'promotion'],
  ['thanks, you were very helpful!', 'chitchat'],
  ['こんにちは！', 'chitchat'],
  ['I want to talk to a human agent', 'escalation'],
  ['責任者と話したいです', 'escalation'],
  ["what's the weather in Osaka today", 'out_of_scope'],
  ['Pythonのコードを書いて', 'out_of_scope'],
];

test('classifies clear examples of every intent in both languages', () => {
  const wrong = CLEAR.filter(([text, intent]) => classifier.classify(text).intent !== intent).map(
    ([text, intent]) => `${text} → ${classifier.classify(text).intent} (want ${intent})`,
  );
  assert.deepEqual(wrong, []);
});

test('confidence is a probability in (0, 1] and the most likely class wins', () => {
  for (const [text] of CLEAR) {
    const r = classifier.classify(text);
    assert.ok(r.confidence > 0 && r.confidence <= 1, `${text}: ${r.confidence}`);
    const p = classifier.probabilities(text);
    const sum = p.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `probabilities sum to ${sum}`);
    assert.equal(r.confidence, Math.max(...p));
  }
});

test('clear examples are classified with more confidence than gibberish', () => {
  const clear = classifier.classify('where is my order MA-20261104-0007').confidence;
  const noise = classifier.classify('zxqv').confidence;
  assert.ok(clear > 0.6, `clear ${clear}`);
  assert.ok(noise < clear, `noise ${noise} vs clear ${clear}`);
});

// Held-out: 20 % of the labelled data, same style as the training part. Measured 91.5 %
// overall (en 92.7 %, ja 90.3 %, bench:intents); the bounds are the measurement minus ~2 points.
test('held-out accuracy stays above the measured bound, overall and per language', () => {
  const rate = accuracy(heldOut);
  assert.ok(rate.all >= 0.895, `overall ${rate.all}`);
  assert.ok(rate.en >= 0.905, `en ${rate.en}`);
  assert.ok(rate.ja >= 0.88, `ja ${rate.ja}`);
});

// The floor on the unseen set (written apart, never trained on, hard boundaries included) only
// goes up: raise it when the measurement rises, never lower it to let a change through.
// Measured 95.8 % overall (en 94.8 %, ja 96.7 %; 732 utterances) with the shipped catalog
// (bench:intents); the floor is the measurement minus under a point.
const UNSEEN_FLOOR = { all: 0.95, en: 0.94, ja: 0.955 };
test('unseen accuracy stays above its floor, overall and per language', () => {
  const rate = accuracy(unseen);
  assert.ok(rate.all >= UNSEEN_FLOOR.all, `overall ${rate.all}`);
  assert.ok(rate.en >= UNSEEN_FLOOR.en, `en ${rate.en}`);
  assert.ok(rate.ja >= UNSEEN_FLOOR.ja, `ja ${rate.ja}`);
});

// Measured mean confidence 0.86 against accuracy 0.90 (ECE ~0.03) once calibrated.
test('confidence is calibrated: mean held-out confidence is close to held-out accuracy', () => {
  let conf = 0;
  let ok = 0;
  for (const ex of heldOut) {
    const r = classifier.classify(ex.text);
    conf += r.confidence;
    if (r.intent === ex.intent) ok++;
  }
  const gap = Math.abs(conf / heldOut.length - ok / heldOut.length);
  assert.ok(gap < 0.08, `mean confidence ${conf / heldOut.length} vs accuracy ${ok / heldOut.length}`);
});

test('reports the detected language, or the one it is given', () => {
  assert.equal(classifier.classify('ワンピースの108巻 price?').language, 'ja');
  assert.equal(classifier.classify('is One Piece 108 in stock?').language, 'en');
  assert.equal(classifier.classify('hello', 'ja').language, 'ja');
});

test('training is deterministic', () => {
  const again = createIntentClassifier(train, { series: shipped });
  for (const ex of [...heldOut.slice(0, 50), ...unseen.slice(0, 50)]) {
    assert.deepEqual(again.probabilities(ex.text), classifier.probabilities(ex.text));
  }
});

test('refuses impossible options and an empty training set', () => {
  assert.throws(() => createIntentClassifier(train, { buckets: 1000 }), RangeError);
  assert.throws(() => createIntentClassifier([]), RangeError);
});

test('handles empty and very long messages', () => {
  assert.ok(classifier.classify('').confidence > 0);
  const long = 'do you have Frieren? '.repeat(2000);
  assert.equal(classifier.classify(long).intent, 'product_search');
});

// The boundaries the store's customers cross most, by behaviour: written for this test (not
// taken from the data set or the unseen set), with the shipped catalog's names known.
const BOUNDARIES: Array<[string, Intent, string]> = [
  ['Kagurabachi', 'product_search', 'a bare title is a search, not small talk'],
  ['ダンダダン', 'product_search', 'a bare Japanese title'],
  ['ぼっちざろっく ありますか', 'product_search', 'a katakana title typed in hiragana'],
  ['sakamoto dayz', 'product_search', 'a misspelt title'],
  ['Takehiko Inoue', 'product_search', 'a bare author name'],
  ["manga where a boy eats a demon's finger", 'product_search', 'a plot described'],
  ['Blue Lock or Haikyuu?', 'product_question', 'a comparison'],
  ['ブルーロックとハイキューどっちがいい？', 'product_question', 'a Japanese comparison'],
  ['a finished fantasy manga, 8 volumes max', 'recommendation', 'a constrained recommendation'],
  ['12巻以内で完結してるSF', 'recommendation', 'a constrained recommendation in Japanese'],
  ['something for my 9 year old nephew', 'recommendation', 'a recommendation for a child'],
  ['how much is a Prime membership', 'faq', 'a membership price is a policy, not a product price'],
  ['does Prime come with a free trial', 'faq', 'a trial is a policy, not a promotion'],
  ['how long do refunds take', 'faq', 'refund timing is a policy, not a handoff'],
  ['北海道まで何日かかりますか', 'faq', 'delivery time to a region is a policy, not an order'],
  ['予約の支払いはいつ？', 'faq', 'preorder payment timing'],
  ['is my Kingdom order shipped', 'order_status', 'an order naming a title'],
  ['ワンピースの注文はいつ届きますか', 'order_status', 'an order naming a title, in Japanese'],
  ['you useless stupid machine', 'escalation', 'abuse is labelled like the other complaints'],
  ['お前ほんと使えないな', 'escalation', 'abuse in Japanese'],
  ['what will the stock market do tomorrow', 'out_of_scope', 'a prediction outside the store'],
  ['明日の株価を教えて', 'out_of_scope', 'a prediction outside the store, in Japanese'],
  ['where can I watch Frieren', 'out_of_scope', 'a title inside an out-of-scope question'],
  ['thank you', 'chitchat', 'thanks stay thanks even though a series is called "Thank you"'],
];

test('classifies the hard boundaries by behaviour', () => {
  const wrong = BOUNDARIES.filter(([text, intent]) => classifier.classify(text).intent !== intent).map(
    ([text, intent, why]) => `${text} → ${classifier.classify(text).intent} (want ${intent}: ${why})`,
  );
  assert.deepEqual(wrong, []);
});

function series(id: string, names: Partial<Series>): Series {
  return { id, title: id, authors: [], genres: [], themes: [], status: 'finished', ...names };
}

test('follows catalog changes: a title added after training is searched for, a series named like small talk is not', () => {
  const live = createIntentClassifier(train, { series: shipped });
  live.catalogChanged([series('quantum-samurai-bakery', { title: 'Quantum Samurai Bakery', titleJa: '量子侍ベーカリー' })], []);
  assert.equal(live.classify('Quantum Samurai Bakery').intent, 'product_search');
  assert.equal(live.classify('量子侍ベーカリー').intent, 'product_search');
  assert.equal(live.classify('is quantum samurai bakery finished?').intent, 'product_question');
  live.catalogChanged([series('arigatou', { title: 'Arigatou', titleEn: 'Thank you' }), series('help-me', { title: 'Help Me' })], []);
  assert.equal(live.classify('thank you!').intent, 'chitchat');
  assert.equal(live.classify('thanks, bye').intent, 'chitchat');
});
