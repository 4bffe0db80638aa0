import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createIntentClassifier, loadIntentDataset } from '../../src/understanding/classifier.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import type { Intent } from '../../src/understanding/types.ts';

const dir = fileURLToPath(new URL('../../data/intents', import.meta.url));
const { train, heldOut } = loadIntentDataset(dir);
const classifier = createIntentClassifier(train);

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

// Measured 90.1% overall (en 91.4%, ja 88.9%) on 738 held-out examples, 89.4-90.5% across five
// shuffle seeds; the bounds are the measurement minus ~4 points.
test('held-out accuracy stays above the measured bound, overall and per language', () => {
  const acc = { all: [0, 0], en: [0, 0], ja: [0, 0] } as Record<string, [number, number]>;
  for (const ex of heldOut) {
    const ok = classifier.classify(ex.text).intent === ex.intent ? 1 : 0;
    for (const key of ['all', detectLanguage(ex.text)]) {
      acc[key][0] += ok;
      acc[key][1] += 1;
    }
  }
  const rate = (k: string) => acc[k][0] / acc[k][1];
  assert.ok(rate('all') >= 0.86, `overall ${rate('all')}`);
  assert.ok(rate('en') >= 0.87, `en ${rate('en')}`);
  assert.ok(rate('ja') >= 0.85, `ja ${rate('ja')}`);
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

test('training is deterministic and takes well under a second', () => {
  const again = createIntentClassifier(train);
  assert.ok(again.trainingMs < 1000, `training took ${again.trainingMs} ms`);
  for (const ex of heldOut.slice(0, 50)) {
    assert.deepEqual(again.probabilities(ex.text), classifier.probabilities(ex.text));
  }
});

test('classification takes well under a millisecond', () => {
  const texts = heldOut.map((e) => e.text);
  for (let i = 0; i < 1000; i++) classifier.classify(texts[i % texts.length]);
  const n = 5000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) classifier.classify(texts[i % texts.length]);
  const meanUs = ((performance.now() - t0) * 1000) / n;
  assert.ok(meanUs < 200, `mean ${meanUs} µs per call`);
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
