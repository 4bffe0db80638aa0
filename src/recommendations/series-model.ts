import type { Series } from '../catalog/types.ts';
import { nameKey } from '../catalog/normalize.ts';
import { createVocabulary, type CanonicalTag } from './vocabulary.ts';
import { isAdultThemed, isChildSafe, isForGrownUps, isTeenSafe } from './filters.ts';

/**
 * Everything about the catalog's series that scoring needs, precomputed once per catalog
 * version into flat arrays, so a recommendation is a single pass over small integers.
 */
export interface SeriesModel {
  series: Series[];
  indexOf: Map<string, number>;
  /** Tag ids (genres and themes share one id space) of each series. */
  tags: Int32Array[];
  /** Display name and kind of each tag id. */
  tagName: string[];
  tagKind: ('genre' | 'theme')[];
  /** Informativeness of each tag: rare tags say more about taste than "Action" does. */
  tagWeight: Float64Array;
  /** Sum of tagWeight over each series' tags. */
  tagMass: Float64Array;
  /** Demographic id per series, -1 when unknown. */
  demographic: Int32Array;
  demographicName: string[];
  /** Normalised name keys per series (every title and alias), to spot spin-offs and duplicates of a seed. */
  titleKeys: string[][];
  /** 1 when the store sells at least one volume of the series (filled from products). */
  available: Uint8Array;
  /** Normalised author keys per series (romaji-folded, word-order-free). */
  authors: string[][];
  /** 0..1 popularity/score prior per series. */
  prior: Float64Array;
  /** Series indexes from most to least popular (rank, then score). */
  byPopularity: Int32Array;
  /** Case-insensitive tag lookup (customer words → canonical names). */
  resolve: (term: string) => CanonicalTag | undefined;
  tagId: Map<string, number>;
  demographicId: Map<string, number>;
  /** Volume count per series, -1 when unknown. */
  volumes: Int32Array;
  /** Per series: 1 when it suits a child, a teenager, grown-up readers; 1 when it is adult content. */
  childSafe: Uint8Array;
  teenSafe: Uint8Array;
  grownUp: Uint8Array;
  adult: Uint8Array;
  /** Series of each tag id, most popular first: candidates without a pass over the whole catalog. */
  postings: Int32Array[];
  /** Series of each demographic id, most popular first. */
  demographicPostings: Int32Array[];
  /** Series by each author key, most popular first. */
  byAuthor: Map<string, Int32Array>;
  /** Author ids per series (one id per author key), for integer comparisons in the hot loop. */
  authorIds: Int32Array[];
  /** `tags` and `authorIds` flattened (series i spans [offsets[i], offsets[i+1])): one array read per entry in the hot loop. */
  tagOffsets: Int32Array;
  tagFlat: Int32Array;
  authorOffsets: Int32Array;
  authorFlat: Int32Array;
  /** Series sharing a name (an import's duplicate of a work) share a group id. */
  nameGroup: Int32Array;
  /** Finished series and child-safe series, most popular first (the two filters asked for most). */
  finished: Int32Array;
  childSafeList: Int32Array;
}

const authorKey = (a: string): string => nameKey(a).split(' ').sort().join(' ');

/** 1 for rank 1, falling with log(rank); the community score (0..10) refines it. */
function priorOf(s: Series): number {
  const rank = s.popularityRank && s.popularityRank > 0 ? Math.max(0, 1 - Math.log10(s.popularityRank) / Math.log10(20000)) : 0;
  const score = s.score !== undefined ? Math.min(1, Math.max(0, (s.score - 5) / 5)) : 0;
  return 0.7 * rank + 0.3 * score;
}

/** Builds the model; 15,000 series take tens of milliseconds. */
export function buildSeriesModel(series: Series[]): SeriesModel {
  const resolve = createVocabulary({
    genres: series.flatMap((s) => s.genres),
    themes: series.flatMap((s) => s.themes),
    demographics: series.flatMap((s) => (s.demographic ? [s.demographic] : [])),
  });
  const tagId = new Map<string, number>();
  const tagName: string[] = [];
  const tagKind: ('genre' | 'theme')[] = [];
  const df: number[] = [];
  const demographicId = new Map<string, number>();
  const demographicName: string[] = [];
  const idOf = (kind: 'genre' | 'theme', raw: string): number => {
    const canonical = resolve(raw);
    const name = canonical && canonical.kind !== 'demographic' ? canonical.name : raw;
    const k = `${canonical?.kind ?? kind}:${name.toLowerCase()}`;
    let id = tagId.get(k);
    if (id === undefined) {
      id = tagName.length;
      tagId.set(k, id);
      tagName.push(name);
      tagKind.push(canonical && canonical.kind !== 'demographic' ? canonical.kind : kind);
      df.push(0);
    }
    return id;
  };

  const n = series.length;
  const tags: Int32Array[] = new Array(n);
  const demographic = new Int32Array(n).fill(-1);
  const authors: string[][] = new Array(n);
  const prior = new Float64Array(n);
  const titleKeys: string[][] = new Array(n);
  const indexOf = new Map<string, number>();
  series.forEach((s, i) => {
    indexOf.set(s.id, i);
    const ids = new Set([...s.genres.map((g) => idOf('genre', g)), ...s.themes.map((t) => idOf('theme', t))]);
    tags[i] = Int32Array.from(ids);
    for (const t of ids) df[t]++;
    if (s.demographic) {
      const name = resolve(s.demographic)?.name ?? s.demographic;
      let d = demographicId.get(name.toLowerCase());
      if (d === undefined) {
        d = demographicName.length;
        demographicId.set(name.toLowerCase(), d);
        demographicName.push(name);
      }
      demographic[i] = d;
    }
    authors[i] = s.authors.map(authorKey).filter((a) => a !== '');
    prior[i] = priorOf(s);
    titleKeys[i] = [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].flatMap((t) => (t ? [nameKey(t)] : [])).filter((k) => k.length > 1);
  });

  // Inverse document frequency, floored so ubiquitous tags still count a little.
  const tagWeight = Float64Array.from(df, (d) => Math.max(0.2, Math.log((n + 1) / (d + 1))));
  const tagMass = Float64Array.from(tags, (ts) => ts.reduce((sum, t) => sum + tagWeight[t], 0));
  // Popularity rank decides; the community score orders series the ranking does not cover.
  const rankOf = (i: number) => series[i].popularityRank ?? Number.MAX_SAFE_INTEGER;
  const byPopularity = Int32Array.from(series.keys()).sort(
    (a, b) => rankOf(a) - rankOf(b) || (series[b].score ?? 0) - (series[a].score ?? 0) || a - b,
  );

  // The request filters, evaluated once per series instead of once per request.
  const volumes = Int32Array.from(series, (s) => s.volumeCount ?? -1);
  const childSafe = Uint8Array.from(series, (s) => (isChildSafe(s) ? 1 : 0));
  const teenSafe = Uint8Array.from(series, (s) => (isTeenSafe(s) ? 1 : 0));
  const grownUp = Uint8Array.from(series, (s) => (isForGrownUps(s) ? 1 : 0));
  const adult = Uint8Array.from(series, (s) => (isAdultThemed(s) ? 1 : 0));
  // Inverted lists in popularity order: a request walks the shortest list that applies and
  // stops once it has enough, instead of scoring all 15,000 series.
  const tagLists: number[][] = tagName.map(() => []);
  const demographicLists: number[][] = demographicName.map(() => []);
  const authorLists = new Map<string, number[]>();
  const finished: number[] = [];
  const childList: number[] = [];
  for (const i of byPopularity) {
    for (const t of tags[i]) tagLists[t].push(i);
    if (demographic[i] >= 0) demographicLists[demographic[i]].push(i);
    for (const a of new Set(authors[i])) {
      let l = authorLists.get(a);
      if (!l) authorLists.set(a, (l = []));
      l.push(i);
    }
    if (series[i].status === 'finished') finished.push(i);
    if (childSafe[i]) childList.push(i);
  }
  const byAuthor = new Map<string, Int32Array>();
  for (const [a, l] of authorLists) byAuthor.set(a, Int32Array.from(l));
  const authorId = new Map<string, number>();
  const authorIds = authors.map((as) => Int32Array.from(as, (a) => authorId.get(a) ?? (authorId.set(a, authorId.size), authorId.size - 1)));
  // Union of series that share any name key: one group per work, however many names it has.
  const groupOfKey = new Map<string, number>();
  const parent = Int32Array.from(series.keys());
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  titleKeys.forEach((keys, i) => {
    for (const k of keys) {
      const g = groupOfKey.get(k);
      if (g === undefined) groupOfKey.set(k, i);
      else parent[find(i)] = find(g);
    }
  });
  const nameGroup = Int32Array.from(series.keys(), find);
  const flatten = (lists: Int32Array[]): [Int32Array, Int32Array] => {
    const offsets = new Int32Array(lists.length + 1);
    lists.forEach((l, i) => (offsets[i + 1] = offsets[i] + l.length));
    const flat = new Int32Array(offsets[lists.length]);
    lists.forEach((l, i) => flat.set(l, offsets[i]));
    return [offsets, flat];
  };
  const [tagOffsets, tagFlat] = flatten(tags);
  const [authorOffsets, authorFlat] = flatten(authorIds);
  return {
    series, indexOf, tags, tagName, tagKind, tagWeight, tagMass, demographic, demographicName, authors, prior, byPopularity, resolve,
    tagId, demographicId, titleKeys, available: new Uint8Array(n),
    volumes, childSafe, teenSafe, grownUp, adult,
    postings: tagLists.map((l) => Int32Array.from(l)),
    demographicPostings: demographicLists.map((l) => Int32Array.from(l)),
    byAuthor,
    authorIds,
    tagOffsets,
    tagFlat,
    authorOffsets,
    authorFlat,
    nameGroup,
    finished: Int32Array.from(finished),
    childSafeList: Int32Array.from(childList),
  };
}

/** The model's tag id for a canonical tag, if any series carries it. */
export function tagIdOf(model: SeriesModel, tag: CanonicalTag): number | undefined {
  return model.tagId.get(`${tag.kind}:${tag.name.toLowerCase()}`);
}

/** Author key used in the model, for comparing authors across series. */
export { authorKey };
