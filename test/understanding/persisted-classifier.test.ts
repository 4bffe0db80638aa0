// The intent classifier's weights kept in DATA_DIR (src/understanding/persisted-classifier.ts):
// a restart answers exactly as a freshly trained classifier, and a change to the examples, the
// catalog or a damaged file trains again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIntentClassifier, loadIntentDataset } from '../../src/understanding/classifier.ts';
import { CATALOG_NAMES_FILE, createPersistedIntentClassifier, INTENT_MODEL_FILE, ORDINARY_VOCABULARY_FILE } from '../../src/understanding/persisted-classifier.ts';
import { sourcesOf, type DerivedEvent } from '../../src/store/derived-file.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import type { TrainedIntentClassifier } from '../../src/understanding/classifier.ts';
import type { LabelledExample } from '../../src/understanding/dataset.ts';
import type { Series } from '../../src/catalog/types.ts';

const { train } = loadIntentDataset(fileURLToPath(new URL('../../data/intents', import.meta.url)));
const shipped = parseJsonlCatalog(readFileSync(fileURLToPath(new URL('../../data/catalog/series.jsonl', import.meta.url)), 'utf8')).series;
const imported: Series = { id: 'mal-goodnight-punpun', title: 'Oyasumi Punpun', titleEn: 'Goodnight Punpun', authors: ['Inio Asano'], genres: ['Drama'], themes: [], status: 'finished' };
const messages = [
  'goodnight punpun',
  'do you have goodnight punpun?',
  'any manga like oyasumi punpun',
  '進撃の巨人の7巻はいくら？',
  'where is my order',
  'recommend me a dark fantasy',
  'hi there',
  'is inio asano any good',
  'chainsawman vol 3 in stock?',
  'おすすめの少女漫画ある？',
];

/** The classifier's answers to `messages`: intents, probabilities, languages and names. */
function answers(c: TrainedIntentClassifier): unknown[] {
  return messages.map((m) => ({ result: c.classify(m), probabilities: [...c.probabilities(m)], language: c.language(m), names: c.names(m) }));
}

function open(dir: string, examples: LabelledExample[], series: readonly Series[]): { classifier: TrainedIntentClassifier; outcome: DerivedEvent['outcome'] } {
  const events: DerivedEvent[] = [];
  const classifier = createPersistedIntentClassifier(examples, { series }, { dir, onEvent: (e) => events.push(e) });
  // The weights, the catalog-name finder's tables and the ordinary vocabulary: one file each; the outcome is the weights'.
  assert.deepEqual(events.map((e) => e.name).sort(), [CATALOG_NAMES_FILE, INTENT_MODEL_FILE, ORDINARY_VOCABULARY_FILE]);
  return { classifier, outcome: events.find((e) => e.name === INTENT_MODEL_FILE)!.outcome };
}

test('a restart reads the weights and answers exactly as a classifier trained afresh', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-classifier-'));
  try {
    const fresh = answers(createIntentClassifier(train, { series: shipped }));
    const first = open(dir, train, shipped);
    assert.equal(first.outcome, 'built');
    assert.deepEqual(answers(first.classifier), fresh);
    const restart = open(dir, train, shipped);
    assert.equal(restart.outcome, 'loaded');
    assert.deepEqual(answers(restart.classifier), fresh);
    // It still follows the catalog's changes the same way.
    const live = createIntentClassifier(train, { series: shipped });
    live.catalogChanged([imported], []);
    restart.classifier.catalogChanged([imported], []);
    assert.deepEqual(answers(restart.classifier), answers(live));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('another catalog or other examples: trained again from them, and the file rewritten', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-classifier-'));
  try {
    open(dir, train, shipped);
    const withImport = [...shipped, imported];
    const changed = open(dir, train, withImport);
    assert.equal(changed.outcome, 'stale');
    assert.deepEqual(answers(changed.classifier), answers(createIntentClassifier(train, { series: withImport })));
    assert.equal(open(dir, train, withImport).outcome, 'loaded');

    const renamed = withImport.map((s) => (s.id === imported.id ? { ...s, titleEn: 'Good Night Punpun' } : s));
    assert.equal(open(dir, train, renamed).outcome, 'stale', 'one series renamed');

    const fewer = train.slice(0, -1);
    const retrained = open(dir, fewer, renamed);
    assert.equal(retrained.outcome, 'stale', 'one example fewer');
    assert.deepEqual(answers(retrained.classifier), answers(createIntentClassifier(fewer, { series: renamed })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged file is never served: trained again, same answers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-classifier-'));
  const file = join(dir, INTENT_MODEL_FILE);
  try {
    const fresh = answers(createIntentClassifier(train, { series: shipped }));
    open(dir, train, shipped);
    const bytes = readFileSync(file);
    // One weight in the middle of the model changed, as a bad disk or a torn copy would.
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    const damaged = open(dir, train, shipped);
    assert.equal(damaged.outcome, 'corrupt');
    assert.deepEqual(answers(damaged.classifier), fresh);
    writeFileSync(file, bytes.subarray(0, 1000));
    assert.equal(open(dir, train, shipped).outcome, 'corrupt');
    assert.equal(open(dir, train, shipped).outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the code version covers the training code: the classifier, its features and the catalog-name finder', () => {
  const files = sourcesOf(fileURLToPath(new URL('../../src/understanding/classifier.ts', import.meta.url))).split('\u0000').filter((_, i) => i % 2 === 0);
  for (const f of ['classifier.ts', 'features.ts', 'catalog-names.ts', 'concepts.ts', 'language.ts']) assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
});

test('keyed by the catalog version when one is given: the same version reads the file, a new one trains again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-classifier-'));
  try {
    const at = (series: readonly Series[], catalogVersion: string): DerivedEvent['outcome'] => {
      const events: DerivedEvent[] = [];
      createPersistedIntentClassifier(train, { series }, { dir, catalogVersion, onEvent: (e) => events.push(e) });
      return events.find((e) => e.name === INTENT_MODEL_FILE)!.outcome;
    };
    assert.equal(at(shipped, 'file-a:7:120'), 'built');
    assert.equal(at(shipped, 'file-a:7:120'), 'loaded');
    const withImport = [...shipped, imported];
    const events: DerivedEvent[] = [];
    const changed = createPersistedIntentClassifier(train, { series: withImport }, { dir, catalogVersion: 'file-a:8:121', onEvent: (e) => events.push(e) });
    assert.deepEqual(events.map((e) => [e.name, e.outcome]).sort(), [[CATALOG_NAMES_FILE, 'stale'], [INTENT_MODEL_FILE, 'stale'], [ORDINARY_VOCABULARY_FILE, 'loaded']], 'the vocabulary is of the examples alone');
    assert.deepEqual(answers(changed), answers(createIntentClassifier(train, { series: withImport })));
    assert.equal(open(dir, train, withImport).outcome, 'stale', 'without a version the series are hashed: another key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the catalog-name finder opened from its file finds what one built afresh finds, before and after a catalog change', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-classifier-'));
  try {
    const withImport = [...shipped, imported];
    open(dir, train, withImport);
    const restart = open(dir, train, withImport);
    assert.equal(restart.outcome, 'loaded');
    const fresh = createIntentClassifier(train, { series: withImport });
    const probes = [...messages, 'jujustu kaisen vol 2', 'do you have chainsawman', 'ちぇんそーまん', 'おやすみぷんぷん', 'what else did inio asano write', 'naruto or bleach?', 'spy family'];
    const names = (c: TrainedIntentClassifier) => probes.map((m) => c.names(m));
    assert.deepEqual(names(restart.classifier), names(fresh));
    const removed = shipped[0];
    const renamed = { ...imported, titleEn: 'Good Night Punpun' };
    for (const c of [restart.classifier, fresh]) c.catalogChanged([renamed], [removed.id]);
    assert.deepEqual(names(restart.classifier), names(fresh));
    assert.deepEqual(answers(restart.classifier), answers(fresh));

    const file = join(dir, CATALOG_NAMES_FILE);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    const events: DerivedEvent[] = [];
    const damaged = createPersistedIntentClassifier(train, { series: withImport }, { dir, onEvent: (e) => events.push(e) });
    assert.deepEqual(events.map((e) => [e.name, e.outcome]).sort(), [[CATALOG_NAMES_FILE, 'corrupt'], [INTENT_MODEL_FILE, 'loaded'], [ORDINARY_VOCABULARY_FILE, 'loaded']]);
    assert.deepEqual(answers(damaged), answers(createIntentClassifier(train, { series: withImport })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the ordinary vocabulary read from its file is the one counted from the examples; other examples or a damaged file count again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-classifier-'));
  const outcomes = (examples: LabelledExample[]): { classifier: TrainedIntentClassifier; vocabulary: DerivedEvent['outcome'] } => {
    const events: DerivedEvent[] = [];
    const classifier = createPersistedIntentClassifier(examples, { series: [...shipped, imported] }, { dir, onEvent: (e) => events.push(e) });
    return { classifier, vocabulary: events.find((e) => e.name === ORDINARY_VOCABULARY_FILE)!.outcome };
  };
  try {
    assert.equal(outcomes(train).vocabulary, 'built');
    const restart = outcomes(train);
    assert.equal(restart.vocabulary, 'loaded');
    // Ordinary words and phrases are no names (ありがとう, 'thank you'), and a new series made of them is not indexed either.
    const probes = [...messages, 'ありがとう', 'thank you', 'help me', 'おやすみぷんぷん', 'よろしくお願いします', 'real', 'one piece'];
    const fresh = createIntentClassifier(train, { series: [...shipped, imported] });
    const names = (c: TrainedIntentClassifier) => probes.map((m) => c.names(m));
    assert.deepEqual(names(restart.classifier), names(fresh));
    const ordinaryTitle = { ...imported, id: 'mal-thank-you', title: 'Thank You', titleEn: undefined, titleJa: 'ありがとう' };
    for (const c of [restart.classifier, fresh]) c.catalogChanged([ordinaryTitle], []);
    assert.deepEqual(names(restart.classifier), names(fresh));
    assert.deepEqual(answers(restart.classifier), answers(fresh));

    assert.equal(outcomes(train.slice(1)).vocabulary, 'stale', 'one example fewer');
    const file = join(dir, ORDINARY_VOCABULARY_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0x01;
    writeFileSync(file, bytes);
    const damaged = outcomes(train.slice(1));
    assert.equal(damaged.vocabulary, 'corrupt');
    assert.deepEqual(answers(damaged.classifier), answers(createIntentClassifier(train.slice(1), { series: [...shipped, imported] })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
