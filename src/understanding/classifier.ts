// The intent classifier: multinomial logistic regression over hashed character/word features
// and concept features, with the catalog's titles and authors read as one token each, trained
// in-process at start-up from the labelled data set.
//
// Hand-written because no maintained JavaScript library does what is needed here: fast
// multiclass training over hashed sparse features for text without word boundaries (Japanese),
// in-process and synchronous, then allocation-free scoring in microseconds. The JS ML libraries
// either tokenise on spaces (natural, wink-naive-bayes), need a native/WASM runtime and a
// pre-trained model (onnxruntime, tfjs), or train dense matrices far too slowly for start-up.
// The model itself is ~100 lines of textbook AdaGrad; the data set is what makes it good.

import { detectLanguageAround } from './language.ts';
import { AUTHOR_SLOT, createFeatureBuffer, extractFeatures, normaliseForFeatures as normaliseText, storeWordsSpelled, TITLE_SLOT, type FeatureBuffer } from './features.ts';
import { createCatalogNames, ordinaryVocabulary, type CatalogNames, type CatalogNamesOptions, type NameKind, type NameSpan, type OrdinaryVocabulary } from './catalog-names.ts';
import { INTENTS } from './types.ts';
import type { Intent, IntentClassifier, IntentResult, Language } from './types.ts';
import type { LabelledExample } from './dataset.ts';
import type { Series } from '../catalog/types.ts';

export { loadIntentDataset } from './dataset.ts';

/** Training options of the intent classifier; every field has a default. */
export interface IntentClassifierOptions {
  /** Number of hash buckets, a power of two. @default 65536 */
  buckets?: number;
  /** Passes over the training data. @default 6 */
  epochs?: number;
  /** AdaGrad base learning rate. @default 0.3 */
  learningRate?: number;
  /** L2 penalty per update on the weights an example touches. @default 1e-3 */
  l2?: number;
  /** Seed of the example shuffling, so training is reproducible. @default 1 */
  seed?: number;
  /**
   * Inverse temperature applied to the logits at classification time. L2 shrinks the logits, so
   * the raw softmax is under-confident; 1.8 minimised the log-loss (and calibration error) in
   * 5-fold cross-validation on the train split (`bench/intent-eval.ts --fit-calibration`). @default 1.8
   */
  logitScale?: number;
  /**
   * The catalog's series: their titles, aliases and authors found in a message become one
   * "title" or "author" token (a bare title is a product question, not small talk). Kept in
   * step with the catalog through `catalogChanged`. @default none (no catalog names)
   */
  series?: readonly Series[];
  /**
   * A model trained before from the same examples, options, catalog names and code (kept in
   * DATA_DIR by persisted-classifier.ts), used instead of training. One of another shape is
   * ignored and the model trained. @default none (trained here)
   */
  trained?: IntentModel;
  /**
   * Makes the catalog-name finder (persisted-classifier.ts opens its stored tables instead of
   * building them). @default createCatalogNames
   */
  catalogNames?: (series: readonly Series[], options: CatalogNamesOptions) => CatalogNames;
  /**
   * Makes the ordinary vocabulary of the examples' texts (persisted-classifier.ts reads it from
   * its file instead). @default ordinaryVocabulary
   */
  ordinaryVocabulary?: (ordinaryTexts: readonly string[], allTexts: readonly string[]) => OrdinaryVocabulary;
}

/** The trained classifier, with its training time for the benchmark and readiness logs. */
export interface TrainedIntentClassifier extends IntentClassifier {
  /** Wall-clock milliseconds the training took. */
  readonly trainingMs: number;
  /** The trained weights, to be kept for the next start. */
  readonly model: IntentModel;
  /** Class probabilities of a message, in the order of `INTENTS` (for evaluation). */
  probabilities(text: string): Float64Array;
  /** Follows a catalog change (import, edit): names of written series are (re)indexed, removed ones dropped. */
  catalogChanged(changed: readonly Series[], removedIds: readonly string[]): void;
  /**
   * The language of the customer's own words, the catalog's titles and authors aside: a Japanese
   * title in an English sentence is English ("進撃の巨人 vol 7 price pls"), and the reverse.
   */
  language(text: string): Language;
  /** The catalog's titles and authors a message names, as they stand in its normalised text. */
  names(text: string): { text: string; kind: NameKind }[];
}

/** Normalised text with store words typed in kana spelled as usual (「ざいこ」 reads as 「在庫」). */
function normaliseForFeatures(text: string): string {
  return storeWordsSpelled(normaliseText(text));
}

/** Intents whose examples are about the conversation or the store, not a title: their words are ordinary. */
const ORDINARY_INTENTS = new Set<Intent>(['chitchat', 'escalation', 'faq']);

/** Replaces the catalog names found in normalised text by one slot character each. */
function maskNames(normalised: string, names: CatalogNames | undefined): string {
  return names ? maskSpans(normalised, names.find(normalised)) : normalised;
}

/** Replaces the given name spans of normalised text by one slot character each. */
function maskSpans(normalised: string, spans: readonly NameSpan[]): string {
  if (spans.length === 0) return normalised;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += normalised.slice(at, span.start) + (span.kind === 'title' ? TITLE_SLOT : AUTHOR_SLOT);
    at = span.end;
  }
  return out + normalised.slice(at);
}

const K = INTENTS.length;
/** Gradients smaller than this (the example's probability for the class is already within it) are not applied. */
const MIN_GRADIENT = 1e-3;

type TrainingOptions = Required<Omit<IntentClassifierOptions, 'series' | 'trained' | 'catalogNames' | 'ordinaryVocabulary'>>;

// Small deterministic PRNG (mulberry32) for shuffling; Math.random cannot be seeded.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Model {
  weights: Float32Array; // bucket-major: weights[bucket * K + k], so one feature reads K adjacent floats
  bias: Float32Array;
}

/** The intent model's weights (bucket-major, one row of `INTENTS.length` per hash bucket) and biases. */
export type IntentModel = Model;

/**
 * Merges repeated features of the message in `buf` in place (a feature is present or not; a
 * repeat keeps the larger value) and scales the values to unit length, so long messages do not
 * get over-confident. Returns the number of distinct features.
 */
function unique(buf: FeatureBuffer, count: number, seen: Int32Array, slot: Int32Array, generation: number): number {
  const { indices, values } = buf;
  let n = 0;
  for (let f = 0; f < count; f++) {
    const index = indices[f];
    if (seen[index] === generation) {
      const at = slot[index];
      if (values[f] > values[at]) values[at] = values[f];
      continue;
    }
    seen[index] = generation;
    slot[index] = n;
    indices[n] = index;
    values[n++] = values[f];
  }
  let norm = 0;
  for (let f = 0; f < n; f++) norm += values[f] * values[f];
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let f = 0; f < n; f++) values[f] *= scale;
  return n;
}

/** De-duplication state for `unique`, one per classifier (lookups are synchronous, one at a time). */
function createDeduper(buckets: number): (buf: FeatureBuffer, count: number) => number {
  const seen = new Int32Array(buckets);
  const slot = new Int32Array(buckets);
  let generation = 0;
  return (buf, count) => unique(buf, count, seen, slot, ++generation);
}

// Scores into `out` (log-space), then turns them into probabilities in place.
function softmaxScores(model: Model, indices: Int32Array, values: Float32Array, count: number, out: Float64Array, logitScale = 1): void {
  const { weights, bias } = model;
  for (let k = 0; k < K; k++) out[k] = 0;
  for (let f = 0; f < count; f++) {
    const base = indices[f] * K;
    const v = values[f];
    for (let k = 0; k < K; k++) out[k] += weights[base + k] * v;
  }
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    out[k] = (out[k] + bias[k]) * logitScale;
    if (out[k] > max) max = out[k];
  }
  let sum = 0;
  for (let k = 0; k < K; k++) {
    out[k] = Math.exp(out[k] - max);
    sum += out[k];
  }
  for (let k = 0; k < K; k++) out[k] /= sum;
}

/**
 * Multinomial logistic regression by AdaGrad: each weight's step shrinks with the gradients it
 * has seen, so rare n-grams (most of them) still move quickly while common ones settle. It
 * converges in ~6 passes where plain SGD needed 15+ — training time is start-up time.
 */
function train(examples: LabelledExample[], opts: TrainingOptions, names: CatalogNames | undefined): Model {
  const { buckets, epochs, learningRate, l2 } = opts;
  const model: Model = { weights: new Float32Array(buckets * K), bias: new Float32Array(K) };
  const classOf = new Map<string, number>(INTENTS.map((intent, k) => [intent, k]));
  // Featurise once; each epoch only re-reads these index arrays.
  const buf = createFeatureBuffer();
  const dedupe = createDeduper(buckets);
  const rows = examples.map((ex) => {
    const count = dedupe(buf, extractFeatures(maskNames(normaliseForFeatures(ex.text), names), buckets, buf));
    return { indices: buf.indices.slice(0, count), values: buf.values.slice(0, count), label: classOf.get(ex.intent) ?? 0 };
  });
  const order = rows.map((_, i) => i);
  const random = rng(opts.seed);
  const probs = new Float64Array(K);
  const grad = new Float64Array(K);
  // Sums of squared gradients, per weight and per bias.
  const seen = new Float32Array(buckets * K);
  const seenBias = new Float64Array(K);
  const EPS = 1e-6;
  const activeClasses = new Int32Array(K);
  for (let epoch = 0; epoch < epochs; epoch++) {
    // Fisher-Yates shuffle so training does not see one intent's block at a time.
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const r of order) {
      const { indices, values, label } = rows[r];
      const count = indices.length;
      softmaxScores(model, indices, values, count, probs);
      for (let k = 0; k < K; k++) {
        grad[k] = probs[k] - (k === label ? 1 : 0);
        seenBias[k] += grad[k] * grad[k];
        model.bias[k] -= (learningRate * grad[k]) / (Math.sqrt(seenBias[k]) + EPS);
      }
      // Only the classes this example still gets noticeably wrong are updated: once training
      // has settled, that is one or two of ten, which makes the later passes several times faster.
      let active = 0;
      for (let k = 0; k < K; k++) if (Math.abs(grad[k]) >= MIN_GRADIENT) activeClasses[active++] = k;
      // Lazy L2: only weights this example touches decay, which keeps an update O(features x K).
      for (let f = 0; f < count; f++) {
        const base = indices[f] * K;
        const v = values[f];
        for (let a = 0; a < active; a++) {
          const k = activeClasses[a];
          const w = model.weights[base + k];
          const g = grad[k] * v + l2 * w;
          const acc = (seen[base + k] += g * g);
          model.weights[base + k] = w - (learningRate * g) / (Math.sqrt(acc) + EPS);
        }
      }
    }
  }
  return model;
}

/** Trains an intent classifier from labelled examples (~0.3 s of CPU for ~4,800 examples; ~1 s more for a 15,000-series catalog's names). */
export function createIntentClassifier(
  examples: LabelledExample[],
  options: IntentClassifierOptions = {},
): TrainedIntentClassifier {
  const opts: TrainingOptions = {
    buckets: options.buckets ?? 65536,
    epochs: options.epochs ?? 6,
    learningRate: options.learningRate ?? 0.3,
    l2: options.l2 ?? 1e-3,
    seed: options.seed ?? 1,
    logitScale: options.logitScale ?? 1.8,
  };
  if (opts.buckets <= 0 || (opts.buckets & (opts.buckets - 1)) !== 0) {
    throw new RangeError(`buckets must be a power of two, got ${opts.buckets}`);
  }
  if (examples.length === 0) throw new RangeError('cannot train an intent classifier on no examples');
  const started = performance.now();
  const names = options.series
    ? (options.catalogNames ?? createCatalogNames)(options.series, {
        ordinary: (options.ordinaryVocabulary ?? ordinaryVocabulary)(
          examples.filter((e) => ORDINARY_INTENTS.has(e.intent)).map((e) => e.text),
          examples.map((e) => e.text),
        ),
      })
    : undefined;
  const given = options.trained;
  const fits = given !== undefined && given.weights.length === opts.buckets * K && given.bias.length === K;
  const model = fits ? given : train(examples, opts, names);
  // Training looked up names in every example, which built the name tables; without it they are
  // built now, not on the first customer's message.
  if (fits) names?.find('');
  const trainingMs = performance.now() - started;

  // One buffer and one score array per classifier: classify() allocates only the normalised string.
  const buf = createFeatureBuffer();
  const dedupe = createDeduper(opts.buckets);
  const scores = new Float64Array(K);
  // The last message scored, its normalised form and the names found in it: classify() without a
  // language reads the language from them instead of finding the names a second time.
  let lastNormalised = '';
  let lastSpans: NameSpan[] = [];
  // The names found in the last normalised text looked up: a message's language, its intent and
  // its entities are read from the same text one after the other. Forgotten when the catalog changes.
  let foundIn: string | undefined;
  let found: NameSpan[] = [];
  const namesIn = (normalised: string): NameSpan[] => {
    if (normalised !== foundIn) {
      found = names?.find(normalised) ?? [];
      foundIn = normalised;
    }
    return found;
  };
  const score = (text: string): Float64Array => {
    lastNormalised = normaliseForFeatures(text);
    lastSpans = namesIn(lastNormalised);
    const count = dedupe(buf, extractFeatures(maskSpans(lastNormalised, lastSpans), opts.buckets, buf));
    softmaxScores(model, buf.indices, buf.values, count, scores, opts.logitScale);
    return scores;
  };

  const language = (text: string): Language => {
    const normalised = normaliseForFeatures(text);
    return detectLanguageAround(normalised, namesIn(normalised));
  };

  return {
    trainingMs,
    model,
    language,
    names(text: string) {
      const normalised = normaliseForFeatures(text);
      return namesIn(normalised).map((span) => ({ text: normalised.slice(span.start, span.end), kind: span.kind }));
    },
    probabilities(text: string): Float64Array {
      return score(text).slice();
    },
    catalogChanged(changed, removedIds) {
      names?.update(changed, removedIds);
      foundIn = undefined;
    },
    classify(text: string, lang?: Language): IntentResult {
      const p = score(text);
      let best = 0;
      for (let k = 1; k < K; k++) if (p[k] > p[best]) best = k;
      return {
        intent: INTENTS[best] as Intent,
        confidence: p[best],
        language: lang ?? detectLanguageAround(lastNormalised, lastSpans),
      };
    },
  };
}
