// Intent classifier benchmark: trains on the train split, then evaluates on the held-out split
// (20 % of data/intents, same style as the training data) and on the unseen set
// (data/intents/unseen: written apart from the training data, never trained on, with the hard
// boundaries: bare and kana titles, plot descriptions, comparisons, constrained
// recommendations, every store policy, orders naming a title, abuse, out-of-scope).
//
// Run: node bench/intent-eval.ts [--errors] [--catalog shipped|imported|none] [--fit-calibration]
// The classifier knows the catalog's names like the service does: the shipped catalog
// (data/catalog), or the shipped one after importing ../shared/data/mal_top_manga.csv (15,000
// series), merged by the import's own code.
// Prints Markdown: accuracy overall / per language / per intent / per unseen tag, confusion
// matrices, calibration, latency p50/p99 per message, training time (cold and warm).

import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { createIntentClassifier, loadIntentDataset, type TrainedIntentClassifier } from '../src/understanding/classifier.ts';
import { readIntentExamples, type LabelledExample } from '../src/understanding/dataset.ts';
import { detectLanguage } from '../src/understanding/language.ts';
import { INTENTS } from '../src/understanding/types.ts';
import type { Intent } from '../src/understanding/types.ts';
import type { Series } from '../src/catalog/types.ts';
import { parseJsonlCatalog } from '../src/catalog/jsonl.ts';
import { parseMalCsv } from '../src/catalog/mal-csv.ts';
import { planMerge } from '../src/catalog/merge.ts';

const { values: args } = parseArgs({
  options: {
    errors: { type: 'boolean', default: false },
    'fit-calibration': { type: 'boolean', default: false },
    catalog: { type: 'string', default: 'shipped' },
  },
});

/** The series a service would have: shipped, shipped plus the MyAnimeList import, or none. */
function catalogSeries(which: string): Series[] | undefined {
  if (which === 'none') return undefined;
  const shipped = parseJsonlCatalog(readFileSync(fileURLToPath(new URL('../data/catalog/series.jsonl', import.meta.url)), 'utf8')).series;
  if (which === 'shipped') return shipped;
  if (which !== 'imported') throw new Error(`--catalog must be shipped, imported or none, not ${which}`);
  const csv = fileURLToPath(new URL('../../shared/data/mal_top_manga.csv', import.meta.url));
  const plan = planMerge(shipped, parseMalCsv(readFileSync(csv, 'utf8')));
  const byId = new Map(shipped.map((s) => [s.id, s]));
  for (const s of plan.write) byId.set(s.id, s);
  return [...byId.values()];
}
const series = catalogSeries(args.catalog!);

const dataDir = fileURLToPath(new URL('../data/intents', import.meta.url));
const unseenDir = fileURLToPath(new URL('../data/intents/unseen', import.meta.url));
const { train, heldOut } = loadIntentDataset(dataDir);
const unseen = readIntentExamples(unseenDir);

// Training time: the first run is the cold start a new process pays (JIT not warm yet); the
// median of the next runs is what a warm process pays.
// Both wall time and this process's CPU time: on a shared machine the wall time also counts the
// time other processes had the core, the CPU time does not.
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const trainTimes: number[] = [];
const trainCpu: number[] = [];
let cpu0 = cpuMs();
let classifier: TrainedIntentClassifier = createIntentClassifier(train, { series });
const coldTrainingMs = classifier.trainingMs;
const coldTrainingCpuMs = cpuMs() - cpu0;
for (let i = 0; i < 5; i++) {
  cpu0 = cpuMs();
  classifier = createIntentClassifier(train, { series });
  trainCpu.push(cpuMs() - cpu0);
  trainTimes.push(classifier.trainingMs);
}
trainTimes.sort((a, b) => a - b);
trainCpu.sort((a, b) => a - b);

const idx = new Map<Intent, number>(INTENTS.map((intent, i) => [intent, i]));
const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

interface Evaluation {
  name: string;
  n: number;
  correct: number;
  perLang: Record<'en' | 'ja', { ok: number; n: number }>;
  perTag: Map<string, { ok: number; n: number }>;
  confusion: number[][];
  errors: string[];
  meanConfidence: number;
  ece: number;
}

function evaluate(name: string, examples: LabelledExample[]): Evaluation {
  const confusion = INTENTS.map(() => INTENTS.map(() => 0));
  const perLang = { en: { ok: 0, n: 0 }, ja: { ok: 0, n: 0 } };
  const perTag = new Map<string, { ok: number; n: number }>();
  const errors: string[] = [];
  // Calibration: expected calibration error over 10 confidence bins (0 = perfectly calibrated).
  const bins = Array.from({ length: 10 }, () => ({ n: 0, conf: 0, ok: 0 }));
  let correct = 0;
  for (const ex of examples) {
    const got = classifier.classify(ex.text);
    const ok = got.intent === ex.intent;
    const bin = bins[Math.min(9, Math.floor(got.confidence * 10))];
    bin.n++;
    bin.conf += got.confidence;
    if (ok) {
      bin.ok++;
      correct++;
    }
    confusion[idx.get(ex.intent)!][idx.get(got.intent)!]++;
    const lang = perLang[detectLanguage(ex.text)];
    lang.n++;
    if (ok) lang.ok++;
    if (ex.tag) {
      const tag = ex.tag.split(':')[0];
      const t = perTag.get(tag) ?? { ok: 0, n: 0 };
      t.n++;
      if (ok) t.ok++;
      perTag.set(tag, t);
    }
    if (!ok) errors.push(`| ${ex.text.replaceAll('|', '\\|')} | ${ex.intent} | ${got.intent} | ${got.confidence.toFixed(2)} |`);
  }
  const n = examples.length;
  const ece = bins.reduce((s, b) => s + (b.n === 0 ? 0 : (b.n / n) * Math.abs(b.ok / b.n - b.conf / b.n)), 0);
  const meanConfidence = bins.reduce((s, b) => s + b.conf, 0) / n;
  return { name, n, correct, perLang, perTag, confusion, errors, meanConfidence, ece };
}

function printEvaluation(e: Evaluation): void {
  console.log(`\n## ${e.name}\n`);
  console.log(`| | accuracy | n |\n|---|---|---|`);
  console.log(`| overall | ${pct(e.correct, e.n)} | ${e.n} |`);
  console.log(`| en | ${pct(e.perLang.en.ok, e.perLang.en.n)} | ${e.perLang.en.n} |`);
  console.log(`| ja | ${pct(e.perLang.ja.ok, e.perLang.ja.n)} | ${e.perLang.ja.n} |\n`);
  console.log(`| intent | precision | recall | support |\n|---|---|---|---|`);
  INTENTS.forEach((intent, i) => {
    const tp = e.confusion[i][i];
    const predicted = e.confusion.reduce((s, row) => s + row[i], 0);
    const support = e.confusion[i].reduce((s, v) => s + v, 0);
    console.log(`| ${intent} | ${pct(tp, predicted)} | ${pct(tp, support)} | ${support} |`);
  });
  if (e.perTag.size > 0) {
    console.log(`\n| kind of utterance | accuracy | n |\n|---|---|---|`);
    for (const [tag, t] of [...e.perTag].sort((a, b) => b[1].n - a[1].n)) console.log(`| ${tag} | ${pct(t.ok, t.n)} | ${t.n} |`);
  }
  console.log(`\nConfusion matrix (rows = true intent, columns = predicted):\n`);
  const short = INTENTS.map((s) => s.replace('product_', 'p_').replace('_availability', '_avail'));
  console.log(`| true \\ pred | ${short.join(' | ')} |`);
  console.log(`|---|${INTENTS.map(() => '---').join('|')}|`);
  INTENTS.forEach((intent, i) => console.log(`| ${intent} | ${e.confusion[i].join(' | ')} |`));
  console.log(`\nCalibration: mean confidence ${e.meanConfidence.toFixed(3)} vs accuracy ${(e.correct / e.n).toFixed(3)}, ECE ${e.ece.toFixed(3)}.`);
  if (args.errors) {
    console.log(`\n| misclassified (${e.name}) | true | predicted | confidence |\n|---|---|---|---|`);
    for (const line of e.errors) console.log(line);
  }
}

const commit = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src/understanding', 'data/intents', 'bench/intent-eval.ts'], { encoding: 'utf8' }).trim();
    return `commit ${head}${dirty ? ' plus uncommitted understanding changes' : ''}`;
  } catch {
    return 'commit unknown';
  }
})();
console.log(`# Intent classifier benchmark\n`);
console.log(`${new Date().toISOString()}, Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${commit}.`);
console.log(`Train ${train.length} examples; held out ${heldOut.length}; unseen ${unseen.length}. Catalog names: ${args.catalog} (${series?.length ?? 0} series).`);

const held = evaluate('Held-out split (20 % of data/intents)', heldOut);
const fresh = evaluate('Unseen set (data/intents/unseen, never trained on)', unseen);
printEvaluation(held);
printEvaluation(fresh);

// Latency: every message of both sets round-robin after a warm-up, one timing per call.
const CALLS = 20000;
const texts = [...heldOut, ...unseen].map((e) => e.text);
for (let i = 0; i < 2000; i++) classifier.classify(texts[i % texts.length]);
const lat = new Float64Array(CALLS);
const latencyCpu0 = cpuMs();
for (let i = 0; i < CALLS; i++) {
  const t0 = process.hrtime.bigint();
  classifier.classify(texts[i % texts.length]);
  lat[i] = Number(process.hrtime.bigint() - t0) / 1000;
}
const cpuPerCallUs = ((cpuMs() - latencyCpu0) * 1000) / CALLS;
lat.sort();
const q = (p: number) => lat[Math.min(CALLS - 1, Math.floor(p * CALLS))].toFixed(1);

console.log(`\n## Speed\n`);
console.log(`| | value |\n|---|---|`);
console.log(`| held-out accuracy | ${pct(held.correct, held.n)} |`);
console.log(`| unseen accuracy | ${pct(fresh.correct, fresh.n)} (en ${pct(fresh.perLang.en.ok, fresh.perLang.en.n)}, ja ${pct(fresh.perLang.ja.ok, fresh.perLang.ja.n)}) |`);
console.log(`| classify() p50 / p99 (wall) | ${q(0.5)} µs / ${q(0.99)} µs (${CALLS} calls) |`);
console.log(`| classify() CPU per message (mean) | ${cpuPerCallUs.toFixed(1)} µs |`);
console.log(`| training, cold (first in process) | ${coldTrainingMs.toFixed(0)} ms wall, ${coldTrainingCpuMs.toFixed(0)} ms CPU |`);
console.log(`| training, warm (median of 5) | ${trainTimes[2].toFixed(0)} ms wall, ${trainCpu[2].toFixed(0)} ms CPU (slowest ${trainTimes[4].toFixed(0)} ms wall) |`);
console.log(`| load average while measuring | ${loadavg().map((l) => l.toFixed(1)).join(' / ')} |`);

// Refits the classifier's logitScale: 5-fold cross-validation on the train split only (the
// held-out split and the unseen set stay untouched), picking the inverse temperature with the
// lowest log-loss.
if (args['fit-calibration']) {
  const folds: Array<[Float64Array, number]> = [];
  for (let fold = 0; fold < 5; fold++) {
    const part = createIntentClassifier(train.filter((_, i) => i % 5 !== fold), { logitScale: 1, series });
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
