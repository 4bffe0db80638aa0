// The recommendation model kept in DATA_DIR between starts: building it over the 15,000-series
// import (every title and author name-keyed, the audience filters, the postings) was ~17 % of a
// restart (issue 16: cold start). The model is a pure function of the catalog's series (in the
// order given) and of the code of series-model.ts and the modules it imports; both go into the
// file's key (src/store/derived-file.ts), so a change to either builds afresh, as does a file
// that fails its checks. The series themselves are not stored: the model is opened over the
// series it is asked for, which the key says are the ones it was built from.
import { fileURLToPath } from 'node:url';
import type { Series } from '../catalog/types.ts';
import { buildSeriesModel, type SeriesModel } from './series-model.ts';
import { createVocabulary } from './vocabulary.ts';
import { keyOf, loadOrBuild, sourcesOf, type DerivedCodec, type DerivedEvent } from '../store/derived-file.ts';

/** File name of the persisted model in the derived-index directory. */
export const SERIES_MODEL_FILE = 'series-model.bin';

const BUILDER = fileURLToPath(new URL('./series-model.ts', import.meta.url));
// Read once per process: the code does not change under a running service.
let builderSource: string | undefined;

type Typed = Int32Array | Float64Array | Uint8Array;
const TYPED = { Int32Array, Float64Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED;

/** Fields stored as one typed array each. */
const ARRAYS = ['tagWeight', 'tagMass', 'demographic', 'prior', 'byPopularity', 'volumes', 'childSafe', 'teenSafe', 'grownUp', 'adult', 'nameGroup', 'finished', 'childSafeList', 'tagOffsets', 'tagFlat', 'authorOffsets', 'authorFlat'] as const;
/** Fields that are lists of Int32Arrays, stored flattened. */
const LISTS = ['postings', 'demographicPostings'] as const;

/** Lists of integers as one offsets array and one flat array. */
function flatten(lists: readonly Int32Array[]): [Int32Array, Int32Array] {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.length));
  const flat = new Int32Array(offsets[lists.length]);
  lists.forEach((l, i) => flat.set(l, offsets[i]));
  return [offsets, flat];
}

/** Views of `flat` cut at `offsets` (no copy). */
function unflatten(offsets: Int32Array, flat: Int32Array): Int32Array[] {
  const out: Int32Array[] = new Array(offsets.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = flat.subarray(offsets[i], offsets[i + 1]);
  return out;
}

/** Distinct values in first-seen order: the vocabulary keeps the first of each, so it is the same table. */
function distinct(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/**
 * Layout: a 4-byte length, a JSON header (the strings, the maps' keys, each array's type and
 * place), padding to 8 bytes, then the arrays' bytes, each at an 8-byte boundary.
 */
function encode(m: SeriesModel): Uint8Array {
  const arrays: Typed[] = [];
  const place = (a: Typed): [TypedName, number] => [a.constructor.name as TypedName, arrays.push(a) - 1];
  const authorKeys = [...m.byAuthor.keys()];
  const header = {
    n: m.series.length,
    typed: Object.fromEntries(ARRAYS.map((f) => [f, place(m[f])])),
    lists: Object.fromEntries(LISTS.map((f) => [f, flatten(m[f]).map(place)])),
    byAuthor: [authorKeys, flatten(authorKeys.map((k) => m.byAuthor.get(k) as Int32Array)).map(place)],
    tagName: m.tagName,
    tagKind: m.tagKind,
    demographicName: m.demographicName,
    tagId: [...m.tagId],
    demographicId: [...m.demographicId],
    titleKeys: m.titleKeys,
    authors: m.authors,
    vocabulary: {
      genres: distinct(m.series.flatMap((s) => s.genres)),
      themes: distinct(m.series.flatMap((s) => s.themes)),
      demographics: distinct(m.series.flatMap((s) => (s.demographic ? [s.demographic] : []))),
    },
  };
  const json = Buffer.from(JSON.stringify({ ...header, types: arrays.map((a) => a.constructor.name), spans: arrays.map((a) => a.byteLength) }), 'utf8');
  const align = (x: number): number => (x + 7) & ~7;
  let size = align(4 + json.length);
  const at = arrays.map((a) => {
    const here = size;
    size = align(size + a.byteLength);
    return here;
  });
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  arrays.forEach((a, i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at[i]));
  return out;
}

function decoder(series: Series[]): (bytes: Uint8Array) => SeriesModel | undefined {
  return (bytes) => {
    // Copied into a buffer of its own: the file's bytes need not be 8-byte aligned.
    const copy = new Uint8Array(bytes);
    const length = new DataView(copy.buffer).getUint32(0, true);
    const header = JSON.parse(Buffer.from(copy.buffer, 4, length).toString('utf8'));
    if (header.n !== series.length) return undefined;
    const align = (x: number): number => (x + 7) & ~7;
    let at = align(4 + length);
    // The arrays follow in the order they were placed, each at the next 8-byte boundary.
    const types: TypedName[] = header.types;
    const spans: number[] = header.spans;
    const views: Typed[] = types.map((name, i) => {
      const Ctor = TYPED[name];
      const view = new Ctor(copy.buffer, at, spans[i] / Ctor.BYTES_PER_ELEMENT) as Typed;
      at = align(at + spans[i]);
      return view;
    });
    if (at !== copy.length) return undefined;
    const typed = (p: [TypedName, number]): Typed => views[p[1]];
    const m = Object.fromEntries(ARRAYS.map((f) => [f, typed(header.typed[f])])) as Pick<SeriesModel, (typeof ARRAYS)[number]>;
    const list = (f: (typeof LISTS)[number]): Int32Array[] => unflatten(typed(header.lists[f][0]) as Int32Array, typed(header.lists[f][1]) as Int32Array);
    const authorKeys: string[] = header.byAuthor[0];
    const authorLists = unflatten(typed(header.byAuthor[1][0]) as Int32Array, typed(header.byAuthor[1][1]) as Int32Array);
    const indexOf = new Map<string, number>();
    series.forEach((s, i) => indexOf.set(s.id, i));
    return {
      ...m,
      series,
      indexOf,
      tags: unflatten(m.tagOffsets, m.tagFlat),
      authorIds: unflatten(m.authorOffsets, m.authorFlat),
      tagName: header.tagName,
      tagKind: header.tagKind,
      demographicName: header.demographicName,
      tagId: new Map(header.tagId),
      demographicId: new Map(header.demographicId),
      titleKeys: header.titleKeys,
      authors: header.authors,
      resolve: createVocabulary(header.vocabulary),
      postings: list('postings'),
      demographicPostings: list('demographicPostings'),
      byAuthor: new Map(authorKeys.map((k, i) => [k, authorLists[i]])),
      // Filled from the products after every open, as after a build.
      available: new Uint8Array(series.length),
    };
  };
}

/** Options of {@link persistedSeriesModel}. */
export interface PersistedSeriesModelOptions {
  /** Directory of the derived indexes (DATA_DIR/derived). */
  dir: string;
  /**
   * A version of the catalog that changes whenever any series does (the catalog's own, kept at
   * write time): the key then need not hash 15,000 series. Read when a model is asked for.
   * @default the series themselves are hashed
   */
  catalogVersion?: () => string;
  onEvent?: (event: DerivedEvent) => void;
}

/**
 * `buildSeriesModel(series)`, read from `dir` when it was built from the same series and code,
 * else built and stored. Same model either way (test/recommendations/persisted-series-model.test.ts).
 */
export function persistedSeriesModel(opts: PersistedSeriesModelOptions): (series: Series[]) => SeriesModel {
  return (series) => {
    const catalog = opts.catalogVersion ? `catalog ${opts.catalogVersion()}` : keyOf([JSON.stringify(series)]);
    const codec: DerivedCodec<SeriesModel> = { encode, decode: decoder(series) };
    return loadOrBuild({
      dir: opts.dir,
      name: SERIES_MODEL_FILE,
      key: [SERIES_MODEL_FILE, (builderSource ??= sourcesOf(BUILDER)), catalog, String(series.length)],
      build: () => buildSeriesModel(series),
      codec,
      onEvent: opts.onEvent,
    });
  };
}
