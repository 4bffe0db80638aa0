// Intent classifier benchmark: trains on the train split, evaluates on the held-out split.
// Run: ./node_modules/.bin/node bench/intent-eval.ts [data-dir] [--errors]
// Prints Markdown (accuracy, per-intent precision/recall, confusion matrix, latency, training time).

import { fileURLToPath } from 'node:url';
import { createIntentClassifier, loadIntentDataset } from '../src/understanding/classifier.ts';
import { detectLanguage } from '../src/understanding/language.ts';
import { INTENTS } from '../src/understanding/types.ts';
import type { Intent } from '../src/understanding/types.ts';

const dir = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? fileURLToPath(new URL('../data/intents', import.meta.url));
const { train, heldOut } = loadIntentDataset(dir);

// Training time: median of several runs, since the first includes JIT warm-up.
const trainTimes: number[] = [];
let classifier = createIntentClassifier(train);
trainTimes.push(classifier.trainingMs);
for (let i = 0; i < 4; i++) {
  classifier = createIntentClassifier(train);
  trainTimes.push(classifier.trainingMs);
}
trainTimes.sort((a, b) => a - b);

const idx = new Map<Intent, number>(INTENTS.map((intent, i) => [intent, i]));
const confusion = INTENTS.map(() => INTENTS.map(() => 0));
const perLang = { en: { ok: 0, n: 0 }, ja: { ok: 0, n: 0 } };
const errors: string[] = [];
// Calibration: expected calibration error over 10 confidence bins (0 = perfectly calibrated).
const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, ok: 0 }));
for (const ex of heldOut) {
  const got = classifier.classify(ex.text);
  const bin = bins[Math.min(9, Math.floor(got.confidence * 10))];
  bin.n++;
  bin.conf += got.confidence;
  if (got.intent === ex.intent) bin.ok++;
  confusion[idx.get(ex.intent)!][idx.get(got.intent)!]++;
  const lang = perLang[detectLanguage(ex.text)];
  lang.n++;
  if (got.intent === ex.intent) lang.ok++;
  else errors.push(`| ${ex.text.replaceAll('|', '\\|')} | ${ex.intent} | ${got.intent} | ${got.confidence.toFixed(2)} |`);
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const total = perLang.en.n + perLang.ja.n;
const correct = perLang.en.ok + perLang.ja.ok;
console.log(`## Intent classifier (held-out split)\n`);
console.log(`Train ${train.length} examples, held out ${heldOut.length}.\n`);
console.log(`| | accuracy | n |\n|---|---|---|`);
console.log(`| overall | ${pct(correct, total)} | ${total} |`);
console.log(`| en | ${pct(perLang.en.ok, perLang.en.n)} | ${perLang.en.n} |`);
console.log(`| ja | ${pct(perLang.ja.ok, perLang.ja.n)} | ${perLang.ja.n} |\n`);

console.log(`| intent | precision | recall | support |\n|---|---|---|---|`);
INTENTS.forEach((intent, i) => {
  const tp = confusion[i][i];
  const predicted = confusion.reduce((s, row) => s + row[i], 0);
  const support = confusion[i].reduce((s, v) => s + v, 0);
  console.log(`| ${intent} | ${pct(tp, predicted)} | ${pct(tp, support)} | ${support} |`);
});

console.log(`\nConfusion matrix (rows = true intent, columns = predicted):\n`);
const short = INTENTS.map((s) => s.replace('product_', 'p_').replace('_availability', '_avail'));
console.log(`| true \\ pred | ${short.join(' | ')} |`);
console.log(`|---|${INTENTS.map(() => '---').join('|')}|`);
INTENTS.forEach((intent, i) => console.log(`| ${intent} | ${confusion[i].join(' | ')} |`));

// Latency: classify held-out texts round-robin after a warm-up, one timing per call.
const CALLS = 20000;
const texts = heldOut.map((e) => e.text);
for (let i = 0; i < 2000; i++) classifier.classify(texts[i % texts.length]);
const lat = new Float64Array(CALLS);
for (let i = 0; i < CALLS; i++) {
  const t0 = process.hrtime.bigint();
  classifier.classify(texts[i % texts.length]);
  lat[i] = Number(process.hrtime.bigint() - t0) / 1000;
}
lat.sort();
const q = (p: number) => lat[Math.min(CALLS - 1, Math.floor(p * CALLS))].toFixed(1);
const ece = bins.reduce((s, b) => s + (b.n === 0 ? 0 : (b.n / heldOut.length) * Math.abs(b.ok / b.n - b.conf / b.n)), 0);
const meanConf = bins.reduce((s, b) => s + b.conf, 0) / heldOut.length;
console.log(`\nCalibration: mean confidence ${meanConf.toFixed(3)} vs accuracy ${(correct / total).toFixed(3)}, ECE ${ece.toFixed(3)}.`);
console.log(`\nLatency over ${CALLS} classify() calls: p50 ${q(0.5)} µs, p99 ${q(0.99)} µs.`);
console.log(
  `Training on ${train.length} examples: median ${trainTimes[2].toFixed(0)} ms over 5 runs, slowest ${trainTimes[4].toFixed(0)} ms.`,
);

if (process.argv.includes('--errors')) {
  console.log(`\n| held-out text | true | predicted | confidence |\n|---|---|---|---|`);
  for (const line of errors) console.log(line);
}

// Refits the classifier's logitScale: 5-fold cross-validation on the train split only (the
// held-out split stays untouched), picking the inverse temperature with the lowest log-loss.
if (process.argv.includes('--fit-calibration')) {
  const folds: Array<[Float64Array, number]> = [];
  for (let fold = 0; fold < 5; fold++) {
    const part = createIntentClassifier(train.filter((_, i) => i % 5 !== fold), { logitScale: 1 });
    for (const ex of train.filter((_, i) => i % 5 === fold)) {
      folds.push([part.probabilities(ex.text).map(Math.log), idx.get(ex.intent)!]);
    }
  }
  let best = { scale: 1, nll: Infinity };
  for (let scale = 0.5; scale <= 4.001; scale += 0.1) {
    let nll = 0;
    for (const [logp, y] of folds) {
      let sum = 0;
      for (const v of logp) sum += Math.exp(v * scale);
      nll -= logp[y] * scale - Math.log(sum);
    }
    nll /= folds.length;
    if (nll < best.nll) best = { scale: Math.round(scale * 10) / 10, nll };
  }
  console.log(`\nCross-validated logitScale: ${best.scale} (log-loss ${best.nll.toFixed(4)}).`);
}
