// Title search evaluation on the imported catalog: is the series asked for among the cards?
//
// Builds the catalog a store has after `npm run import` of the MyAnimeList export (shipped
// catalog seeded, then the CSV merged in: ~15,000 series) in a temporary SQLite file, then
// plays every labelled query of data/eval/title-queries.jsonl through what findSeries does:
// titleSearch() → catalog name search of the content with the message as context; series named with a score ≥ 0.55 are carded (the
// pipeline's NAMED_SERIES_SCORE, src/chat/grounding/series.ts), then series found by description through retrieval
// (≥ SERIES_MATCH_MIN_SCORE; retrieval indexes only series with a synopsis, as the service does), up to 5. Intent is not involved:
// this measures the search, not the classifier.
//
// data/eval/title-sentences.jsonl holds whole customer sentences with a title inside (both
// languages: ages, places, prices, formats and a second question around the title; nicknames
// and clipped forms; titles with punctuation; sequels named exactly; kanji titles of series an
// import named in romaji only) and sentences naming no catalog title (kind sentence-none).
//
// Usage: node bench/title-search-eval.ts [--csv ../shared/data/mal_top_manga.csv] [--queries a.jsonl,b.jsonl] [--verbose] [--rounds 20] [--no-readings]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../src/store/sqlite.ts';
import { createSqliteCatalog } from '../src/catalog/sqlite-catalog.ts';
import { seedCatalogIfEmpty } from '../src/catalog/seed.ts';
import { importCatalog } from '../src/catalog/import.ts';
import type { NameIndex } from '../src/catalog/name-index.ts';
import { loadKnowledgeBase, catalogDocs } from '../src/retrieval/documents.ts';
import { createHashingEmbedder } from '../src/retrieval/hashing-embedder.ts';
import { createFeatureReranker } from '../src/retrieval/feature-reranker.ts';
import { createHybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import type { Series } from '../src/catalog/types.ts';
import { configSchema } from '../src/config.ts';
import { createReadingWorker, searchWithReadings } from '../src/catalog/readings.ts';

const root = resolve(import.meta.dirname, '..');
// NAME_INDEX / TITLE_QUERY: another version of either module (a "before" copy) to compare against.
const { buildNameIndex } = (await import(process.env.NAME_INDEX ? resolve(process.env.NAME_INDEX) : '../src/catalog/name-index.ts')) as { buildNameIndex: (s: Series[]) => NameIndex };
const titleQueries = (await import(process.env.TITLE_QUERY ? resolve(process.env.TITLE_QUERY) : '../src/chat/title-query.ts')) as { titleQuery: (text: string) => string; titleSearch?: (text: string) => { query: string; context: string } };
/** What findSeries gives the catalog search for a message (an older title-query.ts has only titleQuery). */
const titleSearch = titleQueries.titleSearch ?? ((text: string) => ({ query: titleQueries.titleQuery(text), context: text }));
const titleQuery = (text: string): string => titleSearch(text).query;
const { values: args } = parseArgs({
  allowNegative: true,
  options: {
    csv: { type: 'string', default: resolve(root, '../shared/data/mal_top_manga.csv') },
    queries: { type: 'string', default: [join(root, 'data/eval/title-queries.jsonl'), join(root, 'data/eval/title-sentences.jsonl')].join(',') },
    verbose: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '20' },
    // The reading dictionary (READING_DICTIONARY=worker, the service's default), loaded before the first query.
    readings: { type: 'boolean', default: true },
  },
});

/** The pipeline's thresholds (src/chat/grounding/series.ts NAMED_SERIES_SCORE, config SERIES_MATCH_MIN_SCORE). */
const NAMED = 0.55;
const DESCRIBED = configSchema.shape.SERIES_MATCH_MIN_SCORE.parse(undefined);
/** The pipeline's STRONG_TITLE_SCORE. */
const STRONG = 0.8;
const CARDS = 5;

interface Labelled {
  query: string;
  language: 'en' | 'ja';
  kind: string;
  relevant: string[];
  /** The file it came from (title-queries, title-sentences). */
  file: string;
}

const dir = mkdtempSync(join(tmpdir(), 'title-eval-'));
const db = openDatabase(join(dir, 'catalog.sqlite'));
const catalog = createSqliteCatalog(db);
await seedCatalogIfEmpty(catalog, join(root, 'data/catalog'));
await importCatalog(catalog, args.csv);
const series: Series[] = await catalog.allSeries();
const byId = new Map(series.map((s) => [s.id, s]));

let t = performance.now();
const index = buildNameIndex(series);
const buildMs = performance.now() - t;
// Index builds vary with a busy machine: the best of three is the cost of the work itself.
let bestBuild = buildMs;
for (let i = 0; i < 2; i++) {
  t = performance.now();
  buildNameIndex(series);
  bestBuild = Math.min(bestBuild, performance.now() - t);
}
const retriever = createHybridRetriever({ embedder: createHashingEmbedder(), reranker: createFeatureReranker(), candidates: 20 });
await retriever.upsert([...loadKnowledgeBase(join(root, 'data/kb')), ...catalogDocs(series)]);

const readings = args.readings ? createReadingWorker() : undefined;
readings?.start();
while (readings?.state === 'loading') await new Promise((r) => setTimeout(r, 20));
if (readings && readings.state !== 'ready') throw new Error(`reading dictionary: ${readings.state}`);

const queries: Labelled[] = args.queries.split(',').flatMap((file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => ({ ...JSON.parse(l), file: basename(file, '.jsonl') })),
);

/** The series a customer would see as cards for this message, best first. */
async function cardsFor(q: Labelled): Promise<{ ids: string[]; top: string | undefined }> {
  const { query: tq, context } = titleSearch(q.query);
  const hits = tq ? await searchWithReadings(() => index, tq, 5, readings, { context }) : [];
  const named = hits.filter((h) => h.score >= NAMED).map((h) => h.series.id);
  const r = await retriever.search({ text: q.query, language: q.language, topK: 8 });
  // As findSeries: a title or author named outright (≥ 0.8) takes no description matches beside it.
  const namedOutright = hits.some((h) => h.score >= STRONG);
  const described = (namedOutright ? [] : r.hits).filter((h) => h.doc.kind === 'series' && h.score >= DESCRIBED).map((h) => h.doc.ref).filter((id) => {
    const s = byId.get(id);
    return !!(s?.synopsis || s?.synopsisJa);
  });
  const ids = [...named, ...described].filter((id, i, all) => all.indexOf(id) === i).slice(0, CARDS);
  return { ids, top: hits[0]?.series.id };
}

interface Tally {
  n: number;
  top1: number;
  top5: number;
}
const groups = new Map<string, Tally>();
const tally = (key: string, top1: boolean, top5: boolean) => {
  const g = groups.get(key) ?? { n: 0, top1: 0, top5: 0 };
  g.n++;
  if (top1) g.top1++;
  if (top5) g.top5++;
  groups.set(key, g);
};
// Messages naming nothing the store has, per kind: any card is a wrong one.
const unknown = new Map<string, { n: number; carded: number }>();
const misses: string[] = [];
for (const q of queries) {
  const { ids } = await cardsFor(q);
  if (q.relevant.length === 0) {
    const u = unknown.get(q.kind) ?? { n: 0, carded: 0 };
    u.n++;
    if (ids.length > 0) {
      u.carded++;
      misses.push(`${q.kind} carded: ${q.query} → [${titleQuery(q.query)}] ${ids.join(', ')}`);
    }
    unknown.set(q.kind, u);
    continue;
  }
  const rel = new Set(q.relevant);
  const top1 = ids.length > 0 && rel.has(ids[0]);
  const top5 = ids.some((id) => rel.has(id));
  if (!top5 || (!top1 && args.verbose)) misses.push(`${top5 ? '(top-5 only) ' : ''}${q.kind}: ${q.query} → [${titleQuery(q.query)}] ${ids.join(', ') || 'no cards'} (want ${q.relevant.slice(0, 3).join(', ')})`);
  tally(q.kind, top1, top5);
  tally(`language: ${q.language}`, top1, top5);
  // The target: title, author and typo queries (both languages).
  if (/^(title|author|typo|kana)/.test(q.kind)) tally('title/author/typo (target)', top1, top5);
  tally('all labelled', top1, top5);
  tally(`file: ${q.file}`, top1, top5);
}

// Latency: the name search alone (what runs on every product message), warm, per query.
const rounds = Number(args.rounds);
const texts = queries.map((q) => titleSearch(q.query)).filter((x) => x.query);
const samples: number[] = [];
const cpuStart = process.cpuUsage();
for (let r = 0; r < rounds; r++) {
  for (const { query, context } of texts) {
    const s = performance.now();
    index.search(query, 5, { context });
    samples.push(performance.now() - s);
  }
}
const cpu = process.cpuUsage(cpuStart);
const cpuPerQuery = (cpu.user + cpu.system) / 1000 / samples.length;
samples.sort((a, b) => a - b);
const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor(samples.length * p))];
const mean = samples.reduce((a, b) => a + b, 0) / samples.length;

const pc = (a: number, n: number) => (n === 0 ? '–' : `${((100 * a) / n).toFixed(1)} %`);
const unknownN = [...unknown.values()].reduce((a, u) => a + u.n, 0);
console.log(`catalog: ${series.length} series, ${index.size} names; ${queries.length} queries (${unknownN} naming nothing the store has)`);
console.log('');
console.log('| group | n | top-1 card | top-5 cards |');
console.log('|---|---:|---:|---:|');
for (const [k, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) console.log(`| ${k} | ${g.n} | ${pc(g.top1, g.n)} | ${pc(g.top5, g.n)} |`);
for (const [k, u] of [...unknown].sort(([a], [b]) => a.localeCompare(b))) console.log(`| ${k === 'unknown' ? 'unknown titles' : k} carded (lower is better) | ${u.n} | ${pc(u.carded, u.n)} | |`);
console.log('');
console.log(`name index build: ${buildMs.toFixed(0)} ms (best of 3: ${bestBuild.toFixed(0)} ms) for ${series.length} series`);
console.log(`name search per query (${samples.length} searches, the title query with its message): mean ${mean.toFixed(3)} ms, p50 ${pct(0.5).toFixed(3)} ms, p99 ${pct(0.99).toFixed(3)} ms; CPU ${cpuPerQuery.toFixed(3)} ms per query`);
if (args.verbose || misses.length <= 40) {
  console.log('');
  for (const m of misses) console.log(`  miss ${m}`);
}
await readings?.close();
db.close();
rmSync(dir, { recursive: true, force: true });
