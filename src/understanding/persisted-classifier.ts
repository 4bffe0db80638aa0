// The intent classifier with its trained weights kept in DATA_DIR between starts: training over
// the 15,000-series import (every example's names looked up, six passes of AdaGrad) was the
// largest single part of a restart. The weights are a pure function of the labelled examples,
// the training options, the catalog's series (their names are masked in training) and the code
// of classifier.ts and the modules it imports; all of it goes into the file's key, so a change to any of them trains
// afresh (and rewrites the file), as does a file that fails its checks (src/store/derived-file.ts).
import { fileURLToPath } from 'node:url';
import { createIntentClassifier, type IntentClassifierOptions, type IntentModel, type TrainedIntentClassifier } from './classifier.ts';
import type { LabelledExample } from './dataset.ts';
import { createCatalogNames, ordinaryVocabulary as buildOrdinaryVocabulary, storedOrdinaryVocabulary, type CatalogNames, type CatalogNamesOptions, type CatalogNamesSnapshot, type OrdinaryVocabulary } from './catalog-names.ts';
import type { Series } from '../catalog/types.ts';
import { loadOrBuild, packArrays, sourcesOf, unpackArrays, type DerivedCodec, type DerivedEvent } from '../store/derived-file.ts';

/** File name of the persisted model in the derived-index directory. */
export const INTENT_MODEL_FILE = 'intent-classifier.bin';
/** File name of the catalog-name finder's tables. */
export const CATALOG_NAMES_FILE = 'catalog-names.bin';
/** File name of the ordinary vocabulary read from the examples. */
export const ORDINARY_VOCABULARY_FILE = 'ordinary-vocabulary.json';

/** The builder: the classifier and every module it imports. */
const BUILDER = fileURLToPath(new URL('./classifier.ts', import.meta.url));
// Read once per process: the code does not change under a running service.
let builderSource: string | undefined;

/** Buckets, classes, then the weights and biases as little-endian float32. */
const codec: DerivedCodec<IntentModel> = {
  encode(model) {
    const head = new Uint32Array([model.weights.length, model.bias.length]);
    const out = new Uint8Array(8 + model.weights.byteLength + model.bias.byteLength);
    out.set(new Uint8Array(head.buffer), 0);
    out.set(new Uint8Array(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength), 8);
    out.set(new Uint8Array(model.bias.buffer, model.bias.byteOffset, model.bias.byteLength), 8 + model.weights.byteLength);
    return out;
  },
  decode(bytes) {
    // Copied into a buffer of their own (a Buffer's slice() would not copy): the file's bytes need not be 4-byte aligned.
    const copy = new Uint8Array(bytes);
    const [weights, bias] = new Uint32Array(copy.buffer, 0, 2);
    if (copy.length !== 8 + 4 * (weights + bias)) return undefined;
    return { weights: new Float32Array(copy.buffer, 8, weights), bias: new Float32Array(copy.buffer, 8 + 4 * weights, bias) };
  },
};

/** Options of {@link createPersistedIntentClassifier}. */
export interface PersistedClassifierOptions {
  /** Directory of the derived indexes (DATA_DIR/derived). */
  dir: string;
  /**
   * The version of the catalog `options.series` was read from, changed by any write to it (the
   * SQLite catalog's version()): keys the file instead of hashing every series at each start.
   * @default the series themselves are hashed
   */
  catalogVersion?: string;
  onEvent?: (event: DerivedEvent) => void;
}

/**
 * The classifier `createIntentClassifier(examples, options)` would train, with its weights read
 * from `dir` when they were trained from the same inputs and code, else trained and stored.
 */
export function createPersistedIntentClassifier(examples: LabelledExample[], options: IntentClassifierOptions, persisted: PersistedClassifierOptions): TrainedIntentClassifier {
  let trained: TrainedIntentClassifier | undefined;
  const { series, trained: _given, catalogNames: _names, ...training } = options;
  // Both files are pure functions of the same inputs (the finder's vocabulary comes from the examples).
  const inputs = [
    (builderSource ??= sourcesOf(BUILDER)),
    JSON.stringify(training),
    JSON.stringify(examples.map((e) => [e.intent, e.text])),
    persisted.catalogVersion !== undefined && series ? `catalog ${persisted.catalogVersion} ${series.length}` : JSON.stringify(series ?? null),
  ];
  // The catalog-name finder's tables, opened from their file like the weights (~10 % of a restart built).
  const catalogNames = (names: readonly Series[], opts: CatalogNamesOptions): CatalogNames =>
    loadOrBuild<CatalogNames>({
      dir: persisted.dir,
      name: CATALOG_NAMES_FILE,
      key: [CATALOG_NAMES_FILE, ...inputs],
      build: () => createCatalogNames(names, opts),
      codec: namesCodec(names, opts),
      onEvent: persisted.onEvent,
    });
  // The ordinary vocabulary (words and 2-8 character Japanese phrases counted over every example,
  // ~80 ms of a start): a pure function of the texts and the code, kept like the rest.
  const ordinaryVocabulary = (ordinaryTexts: readonly string[], allTexts: readonly string[]): OrdinaryVocabulary =>
    loadOrBuild<OrdinaryVocabulary>({
      dir: persisted.dir,
      name: ORDINARY_VOCABULARY_FILE,
      key: [ORDINARY_VOCABULARY_FILE, builderSource!, JSON.stringify([ordinaryTexts, allTexts])],
      build: () => buildOrdinaryVocabulary(ordinaryTexts, allTexts),
      codec: vocabularyCodec,
      onEvent: persisted.onEvent,
    });
  const withNames: IntentClassifierOptions = { ...options, catalogNames, ordinaryVocabulary };
  const model = loadOrBuild<IntentModel>({
    dir: persisted.dir,
    name: INTENT_MODEL_FILE,
    key: [INTENT_MODEL_FILE, ...inputs],
    build: () => (trained = createIntentClassifier(examples, withNames)).model,
    codec,
    onEvent: persisted.onEvent,
  });
  return trained ?? createIntentClassifier(examples, { ...withNames, trained: model });
}

/** The three lists as JSON. */
const vocabularyCodec: DerivedCodec<OrdinaryVocabulary> = {
  encode: (v) => Buffer.from(JSON.stringify({ words: [...v.words], phrases: [...v.phrases], languageWords: [...v.languageWords] }), 'utf8'),
  decode(bytes) {
    const { words, phrases, languageWords } = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Record<string, unknown>;
    if (![words, phrases, languageWords].every((list) => Array.isArray(list) && list.every((x) => typeof x === 'string'))) return undefined;
    return storedOrdinaryVocabulary({ words: new Set(words as string[]), phrases: new Set(phrases as string[]), languageWords: new Set(languageWords as string[]) });
  },
};

/** The snapshot's strings as JSON, its arrays as bytes; opened over the series and vocabulary given. */
function namesCodec(series: readonly Series[], opts: CatalogNamesOptions): DerivedCodec<CatalogNames> {
  return {
    encode(names) {
      const { ids, keys, ...arrays } = names.snapshot();
      return packArrays({ ids, keys, order: Object.keys(arrays) }, Object.values(arrays));
    },
    decode(bytes) {
      const { json, arrays } = unpackArrays(bytes);
      const { ids, keys, order } = json as { ids: string[]; keys: string[]; order: string[] };
      if (order.length !== arrays.length) return undefined;
      const restored = { ids, keys, ...Object.fromEntries(order.map((name, i) => [name, arrays[i]])) } as CatalogNamesSnapshot;
      return createCatalogNames(series, { ...opts, restored });
    },
  };
}
