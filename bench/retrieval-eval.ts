// Retrieval evaluation: quality of lexical / vector / fused / fused+rerank on the labelled query
// set over the real knowledge base and catalog, plus build time and latency, also at catalog scale.
//
// Usage: node bench/retrieval-eval.ts [--kb data/kb] [--catalog data/catalog/series.jsonl]
//          [--queries data/eval/retrieval-queries.jsonl] [--scale 16000] [--verbose]
//          [--dims 512] [--vector-weight 1] [--rrf-k 60] [--fake openai|bedrock]
//
// A real embedding model: the service's own EMBEDDINGS_* variables (EMBEDDINGS_PROVIDER=openai
// or bedrock, ...) in the environment; the documents are embedded as the service does it (the
// background indexer, its batches and guards), into --data-dir (kept: a second run embeds nothing).
// --fake starts the test fake of that vendor on loopback: plumbing and overhead, not quality.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Series } from '../src/catalog/types.ts';
import type { IndexedDoc, Retriever, ScoredDoc } from '../src/retrieval/types.ts';
import { loadKnowledgeBase, seriesToDoc } from '../src/retrieval/documents.ts';
import { createHashingEmbedder } from '../src/retrieval/hashing-embedder.ts';
import { createFeatureReranker } from '../src/retrieval/feature-reranker.ts';
import { createHybridRetriever } from '../src/retrieval/hybrid-retriever.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { createEmbeddings, type Embeddings } from '../src/composition/embeddings.ts';
import { createResilience } from '../src/composition/resilience.ts';
import { createMetrics } from '../src/observability/metrics.ts';

interface LabelledQuery {
  query: string;
  language: 'en' | 'ja';
  relevant: string[];
}

const { values: args } = parseArgs({
  options: {
    kb: { type: 'string', default: 'data/kb' },
    catalog: { type: 'string', default: 'data/catalog/series.jsonl' },
    queries: { type: 'string', default: 'data/eval/retrieval-queries.jsonl' },
    scale: { type: 'string', default: '16000' },
    verbose: { type: 'boolean', default: false },
    'vector-weight': { type: 'string', default: '1' },
    'rrf-k': { type: 'string', default: '60' },
    dims: { type: 'string', default: '512' },
    fake: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});

/** The service's embedder from EMBEDDINGS_* (or a vendor fake on loopback), when one is configured. */
async function remoteEmbeddings(): Promise<Embeddings | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn' };
  if (args.fake === 'openai') {
    const { startFakeOpenAIEmbeddings } = await import('../test/retrieval/embedders/fake-openai-embeddings.ts');
    const fake = await startFakeOpenAIEmbeddings({ dimensions: 384 });
    Object.assign(env, { EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_MODEL: 'fake-embed', EMBEDDINGS_DIMENSIONS: '384' });
  } else if (args.fake === 'bedrock') {
    const { startFakeBedrockEmbeddings } = await import('../test/retrieval/embedders/fake-bedrock-embeddings.ts');
    const fake = await startFakeBedrockEmbeddings();
    Object.assign(env, { EMBEDDINGS_PROVIDER: 'bedrock', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_DIMENSIONS: '512', AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret' });
  }
  if (!env.EMBEDDINGS_PROVIDER || env.EMBEDDINGS_PROVIDER === 'hashing') return undefined;
  const config = loadConfig(env);
  const logger = pino({ level: 'warn' });
  const metrics = createMetrics({ defaultMetrics: false });
  const { guards } = createResilience(config, metrics, logger);
  const dataDir = args['data-dir'] ?? mkdtempSync(join(tmpdir(), 'retrieval-eval-'));
  console.log(`embedder: ${config.EMBEDDINGS_PROVIDER} ${config.EMBEDDINGS_MODEL ?? '(default model)'}; vectors kept in ${dataDir}`);
  return createEmbeddings(config, { guards, logger, metrics, dataDir });
}
const remote = await remoteEmbeddings();

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

/** The label a hit answers to: kb chunks by language and topic, series by id. */
function labelOf(doc: IndexedDoc): string {
  return doc.kind === 'kb' ? `kb:${doc.language}/${doc.ref}` : doc.id;
}

function queryKind(q: LabelledQuery): string {
  const kinds = new Set(q.relevant.map((r) => r.split(':')[0]));
  return kinds.size === 1 ? [...kinds][0] : 'mixed';
}

interface Scores {
  r3: number;
  r20: number;
  mrr: number;
  ndcg3: number;
}

function score(hits: ScoredDoc[], relevant: string[]): Scores {
  const rel = new Set(relevant);
  // Several chunks of one topic are one answer: only a label's first appearance counts.
  const seen = new Set<string>();
  const gains = hits.map((h): number => {
    const l = labelOf(h.doc);
    if (!rel.has(l) || seen.has(l)) return 0;
    seen.add(l);
    return 1;
  });
  const found = (k: number) => gains.slice(0, k).reduce((a, b) => a + b, 0) / rel.size;
  const first = gains.slice(0, 10).indexOf(1);
  let dcg = 0;
  let idcg = 0;
  for (let i = 0; i < 3; i++) {
    dcg += (gains[i] ?? 0) / Math.log2(i + 2);
    if (i < rel.size) idcg += 1 / Math.log2(i + 2);
  }
  return { r3: found(3), r20: found(20), mrr: first < 0 ? 0 : 1 / (first + 1), ndcg3: dcg / idcg };
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const fmt = (x: number) => x.toFixed(3);

async function build(docs: IndexedDoc[], mode: 'hybrid' | 'lexical' | 'vector', rerank: boolean): Promise<{ r: Retriever; ms: number }> {
  const t = performance.now();
  const r = createHybridRetriever({
    embedder: remote?.embedder ?? createHashingEmbedder({ dimensions: Number(args.dims) }),
    reranker: rerank ? createFeatureReranker() : undefined,
    mode,
    listWeights: { vector: Number(args['vector-weight']) },
    rrfK: Number(args['rrf-k']),
  });
  if (remote) {
    // As the service does it: indexed at once, vectors in the background; measured until complete.
    await remote.index(r, docs);
    await remote.idle();
  } else {
    await r.upsert(docs);
  }
  return { r, ms: performance.now() - t };
}

async function main(): Promise<void> {
  const kb = loadKnowledgeBase(args.kb);
  const series = readJsonl<Series>(args.catalog);
  const queries = readJsonl<LabelledQuery>(args.queries);
  const docs = [...kb, ...series.map(seriesToDoc)];
  console.log(`corpus: ${kb.length} kb chunks, ${series.length} series; ${queries.length} queries (${queries.filter((q) => q.language === 'ja').length} ja)`);

  const ids = new Set(docs.map(labelOf));
  const unknown = queries.flatMap((q) => q.relevant.filter((r) => !ids.has(r)));
  if (unknown.length) console.log(`warning: labels not in the corpus: ${[...new Set(unknown)].join(', ')}`);

  const configs = [
    { name: 'lexical', mode: 'lexical' as const, rerank: false },
    { name: 'vector', mode: 'vector' as const, rerank: false },
    { name: 'fused', mode: 'hybrid' as const, rerank: false },
    { name: 'fused+rerank', mode: 'hybrid' as const, rerank: true },
  ];
  const groups: [string, (q: LabelledQuery) => boolean][] = [
    ['all', () => true],
    ['en', (q) => q.language === 'en'],
    ['ja', (q) => q.language === 'ja'],
    ['kb', (q) => queryKind(q) === 'kb'],
    ['series', (q) => queryKind(q) === 'series'],
  ];

  console.log('\nconfig        group   n    recall@3 recall@20 MRR@10 nDCG@3');
  let hybridRetriever: Retriever | undefined;
  for (const c of configs) {
    const { r } = await build(docs, c.mode, c.rerank);
    if (c.rerank) hybridRetriever = r;
    const per: Scores[] = [];
    let failed = 0;
    for (const q of queries) {
      // A remote model that fails or is late fails a vector-only search: a miss, counted.
      const res = await r.search({ text: q.query, language: q.language, topK: 20 }).catch(() => {
        failed++;
        return { hits: [] };
      });
      const s = score(res.hits, q.relevant);
      per.push(s);
      if (args.verbose && c.rerank && s.mrr < 1) {
        console.log(`  miss [${q.language}] ${q.query} → ${res.hits.slice(0, 3).map((h) => labelOf(h.doc)).join(', ')} (want ${q.relevant.join(', ')})`);
      }
    }
    if (failed) console.log(`${c.name.padEnd(13)} ${failed} searches failed (the model failed or was late)`);
    for (const [g, pred] of groups) {
      const sel = per.filter((_, i) => pred(queries[i]));
      if (!sel.length) continue;
      const mean = (f: (s: Scores) => number) => sel.reduce((a, s) => a + f(s), 0) / sel.length;
      console.log(
        `${c.name.padEnd(13)} ${g.padEnd(7)} ${String(sel.length).padEnd(4)} ${fmt(mean((s) => s.r3)).padEnd(8)} ${fmt(mean((s) => s.r20)).padEnd(9)} ${fmt(mean((s) => s.mrr)).padEnd(6)} ${fmt(mean((s) => s.ndcg3))}`,
      );
    }
  }

  await latency('real corpus', hybridRetriever!, queries);

  // Start-up at catalog scale: the real series repeated under new ids up to --scale docs.
  const target = Number(args.scale);
  if (target > docs.length && series.length) {
    const scaled: IndexedDoc[] = [...docs];
    for (let i = 0; scaled.length < target; i++) {
      const s = series[i % series.length];
      const copy = Math.floor(i / series.length) + 1;
      scaled.push(seriesToDoc({ ...s, id: `${s.id}~${copy}`, title: `${s.title} ${copy}` }));
    }
    const { r, ms } = await build(scaled, 'hybrid', true);
    console.log(`\nbuild at scale: ${scaled.length} docs in ${ms.toFixed(0)} ms (tokenize + BM25 + embed + vectors)`);
    await latency(`${scaled.length} docs`, r, queries);
  }
}

async function latency(label: string, r: Retriever, queries: LabelledQuery[]): Promise<void> {
  const total: number[] = [];
  const lex: number[] = [];
  const vec: number[] = [];
  const rr: number[] = [];
  let skipped = 0;
  for (let rep = 0; rep < 3; rep++) {
    for (const q of queries) {
      const t = performance.now();
      const res = await r.search({ text: q.query, language: q.language });
      total.push(performance.now() - t);
      if (res.vectorSkipped) skipped++;
      lex.push(res.timings.lexicalMs);
      vec.push(res.timings.vectorMs);
      rr.push(res.timings.rerankMs);
    }
  }
  const pp = (v: number[]) => `p50 ${percentile(v, 50).toFixed(2)} / p99 ${percentile(v, 99).toFixed(2)} ms`;
  console.log(`latency (${label}, ${total.length} searches): total ${pp(total)}; lexical ${pp(lex)}; vector ${pp(vec)}; rerank ${pp(rr)}${skipped ? `; vector list skipped (model failed or late) ${skipped}` : ''}`);
}

await main();
if (remote) {
  console.log(`background indexer: ${JSON.stringify(remote.stats())}`);
  await remote.close();
  // A fake's server (--fake) holds the event loop open.
  process.exit(0);
}
