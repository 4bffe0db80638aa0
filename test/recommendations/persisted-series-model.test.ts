// The recommendation model kept in DATA_DIR (src/recommendations/persisted-series-model.ts): a
// restart opens a model equal to one built afresh, and another catalog, another catalog version,
// other builder code or a damaged file builds it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSeriesModel, type SeriesModel } from '../../src/recommendations/series-model.ts';
import { persistedSeriesModel, SERIES_MODEL_FILE } from '../../src/recommendations/persisted-series-model.ts';
import { loadOrBuild, type DerivedEvent } from '../../src/store/derived-file.ts';
import { parseMalCsv } from '../../src/catalog/mal-csv.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import type { Series } from '../../src/catalog/types.ts';

const root = join(import.meta.dirname, '../..');
const shipped = parseJsonlCatalog(readFileSync(join(root, 'data/catalog/series.jsonl'), 'utf8')).series;
const imported = parseMalCsv(readFileSync(join(root, '../shared/data/mal_top_manga.csv'), 'utf8'));
const all: Series[] = [...shipped, ...imported];

/** Everything in the model, functions aside, as plain data; `resolve` by its answers to the catalog's tags. */
function plain(m: SeriesModel): unknown {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === 'resolve') continue;
    if (ArrayBuffer.isView(v)) out[k] = [v.constructor.name, ...(v as Int32Array)];
    else if (v instanceof Map) out[k] = [...v].map(([key, x]) => [key, ArrayBuffer.isView(x) ? [...(x as Int32Array)] : x]);
    else if (Array.isArray(v)) out[k] = v.map((x) => (ArrayBuffer.isView(x) ? [x.constructor.name, ...(x as Int32Array)] : x));
    else out[k] = v;
  }
  const terms = [...new Set(m.series.flatMap((s) => [...s.genres, ...s.themes, s.demographic ?? '']))];
  out.resolve = [...terms, 'romances', 'vampires', 'isekai', 'slice of life', 'nonsense'].map((t) => [t, m.resolve(t)]);
  return out;
}

function open(dir: string, series: Series[], version?: string): { model: SeriesModel; outcome: DerivedEvent['outcome'] } {
  const events: DerivedEvent[] = [];
  const model = persistedSeriesModel({ dir, catalogVersion: version === undefined ? undefined : () => version, onEvent: (e) => events.push(e) })(series);
  assert.equal(events.length, 1);
  return { model, outcome: events[0].outcome };
}

test('a restart opens a model equal to one built afresh, over the series it is given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-series-model-'));
  try {
    const fresh = plain(buildSeriesModel(all));
    const first = open(dir, all);
    assert.equal(first.outcome, 'built');
    assert.deepEqual(plain(first.model), fresh);
    const again = all.map((s) => ({ ...s }));
    const restart = open(dir, again);
    assert.equal(restart.outcome, 'loaded');
    assert.deepEqual(plain(restart.model), fresh);
    assert.equal(restart.model.series, again, 'opened over the series given');
    // `available` is per open: filled from the products after it, never shared with the file.
    restart.model.available[0] = 1;
    assert.equal(open(dir, all).model.available[0], 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('another catalog (a series renamed, one removed) is built again from it, and the file rewritten', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-series-model-'));
  try {
    open(dir, shipped);
    const renamed = shipped.map((s, i) => (i === 3 ? { ...s, title: `${s.title} Renamed`, genres: [...s.genres, 'Horror'] } : s));
    const changed = open(dir, renamed);
    assert.equal(changed.outcome, 'stale');
    assert.deepEqual(plain(changed.model), plain(buildSeriesModel(renamed)));
    assert.equal(open(dir, renamed).outcome, 'loaded');
    assert.equal(open(dir, renamed.slice(1)).outcome, 'stale', 'one series fewer');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('keyed by the catalog version: a new version builds again, the same version opens the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-series-model-'));
  try {
    assert.equal(open(dir, shipped, 'v1').outcome, 'built');
    assert.equal(open(dir, shipped, 'v1').outcome, 'loaded');
    const changed = shipped.map((s, i) => (i === 0 ? { ...s, authors: ['Someone Else'] } : s));
    const next = open(dir, changed, 'v2');
    assert.equal(next.outcome, 'stale');
    assert.deepEqual(plain(next.model), plain(buildSeriesModel(changed)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a damaged file is never served: built again and rewritten', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-series-model-'));
  try {
    open(dir, shipped);
    const path = join(dir, SERIES_MODEL_FILE);
    const bytes = readFileSync(path);
    bytes[bytes.length - 9] ^= 0xff;
    writeFileSync(path, bytes);
    const damaged = open(dir, shipped);
    assert.equal(damaged.outcome, 'corrupt');
    assert.deepEqual(plain(damaged.model), plain(buildSeriesModel(shipped)));
    writeFileSync(path, bytes.subarray(0, 100));
    assert.equal(open(dir, shipped).outcome, 'corrupt', 'truncated');
    assert.equal(open(dir, shipped).outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('other builder code is another key: a file of the same catalog built by other code is stale', () => {
  const dir = mkdtempSync(join(tmpdir(), 'persisted-series-model-'));
  try {
    // A file written under another builder source for the same catalog and name.
    loadOrBuild({ dir, name: SERIES_MODEL_FILE, key: [SERIES_MODEL_FILE, 'other builder code', 'catalog v1', String(shipped.length)], build: () => 1, codec: { encode: () => new Uint8Array(8), decode: () => 1 } });
    assert.equal(open(dir, shipped, 'v1').outcome, 'stale');
    assert.equal(open(dir, shipped, 'v1').outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
