// The real service with a remote embedding model (through its fake): the composition root builds
// the adapter from EMBEDDINGS_*, the documents get their vectors in the background and on disk,
// a plot description is found through the vector path, the semantic cache hits on a paraphrase
// the built-in embedder cannot see, and a model that goes down costs retrieval nothing visible.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scrapeMetrics, startTestServer, type TestServer } from '../../helpers/server.ts';
import { startFakeOpenAIEmbeddings } from './fake-openai-embeddings.ts';
import { startFakeBedrockEmbeddings } from './fake-bedrock-embeddings.ts';
import type { EmbeddingFake } from './fake-embedding-server.ts';

const ADMIN_TOKEN = 'admin-test-token-embeddings-0123456789';

interface Reply {
  status: number;
  intent?: string;
  text?: string;
  products?: { seriesId: string }[];
  timings?: Record<string, number>;
  degraded?: string[];
}

let seq = 0;
/** One question in a fresh session over POST /v1/chat. */
async function ask(server: TestServer, text: string): Promise<Reply> {
  const n = seq++;
  const res = await fetch(`${server.url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ sessionId: `emb-${n}-${Date.now()}`, id: `m${n}`, text }),
  });
  return { status: res.status, ...((await res.json()) as Omit<Reply, 'status'>) };
}

async function semantic(server: TestServer): Promise<Record<string, number>> {
  const text = await scrapeMetrics(server.url);
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^mangaassist_semantic_cache_total\{result="([a-z_]+)"\} (\d+)/gm)) out[m[1]] = Number(m[2]);
  return out;
}

/** Polls until `check` holds (10 s at most): background work (vectors, cache writes). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`${what}: not reached in 10 s`);
}

async function readiness(server: TestServer): Promise<{ status: number; checks: Record<string, number | boolean> }> {
  const res = await fetch(`${server.url}/readyz`);
  return { status: res.status, checks: ((await res.json()) as { checks: Record<string, number | boolean> }).checks };
}

// Measured on the shipped catalog with the built-in embedder: Kindaichi first, Kusuriya second.
// The fake model knows a chemist for an apothecary and a court for a palace.
const DESCRIPTION = 'manga where a chemist girl solves mysteries at court';
const APOTHECARY = 'kusuriya-no-hitorigoto';
const ASKED = 'Who wrote One Piece?';
const PARAPHRASE = 'Who is the author of One Piece?';

/** The same end-to-end checks for every remote provider. */
function remoteProvider(name: string, opts: { startFake: () => Promise<EmbeddingFake>; env: (fake: EmbeddingFake) => Record<string, string>; inputsOf: (fake: EmbeddingFake) => string[]; before?: () => void; after?: () => void }): void {
  describe(`service with EMBEDDINGS_PROVIDER=${name} (fake)`, () => {
    let fake: EmbeddingFake;
    let server: TestServer;
    let dataDir: string;
    // What these tests hold is that the model's vectors are used, not how fast: the question's
    // embedding has a 150 ms deadline by default, and at load 20 the fake's round trip missed it
    // (retrieval then answers from its lexical index alone, by design), so the deadlines are wide.
    const env = () => ({ ...opts.env(fake), DATA_DIR: dataDir, ADMIN_TOKEN, SEMANTIC_CACHE_THRESHOLD: '0.95', EMBEDDINGS_QUERY_PREFIX: 'query: ', EMBEDDINGS_DOCUMENT_PREFIX: 'passage: ', EMBEDDINGS_TIMEOUT_MS: '2000', RERANK_TIMEOUT_MS: '500', RETRIEVAL_TIMEOUT_MS: '3000', MESSAGE_BUDGET_MS: '10000' });
    before(async () => {
      opts.before?.();
      fake = await opts.startFake();
      dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-embeddings-'));
      server = await startTestServer(env());
    });
    after(async () => {
      await server?.close();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
      opts.after?.();
    });

    it('is ready at once; every document then gets its vector in the background, with the document prefix', async () => {
      const r = await readiness(server);
      assert.equal(r.status, 200);
      assert.ok(Number(r.checks.indexedDocs) > 400);
      await until(async () => (await readiness(server)).checks.vectorsPending === 0, 'document vectors');
      const docs = opts.inputsOf(fake).filter((t) => t.startsWith('passage: '));
      assert.ok(docs.length >= Number(r.checks.indexedDocs), `${docs.length} documents embedded`);
      assert.ok(docs.some((t) => t.includes('Maomao')));
    });

    it('a plot description with no title in it finds the series first through the model\'s vectors', async () => {
      await until(async () => (await readiness(server)).checks.vectorsPending === 0, 'document vectors');
      const reply = await ask(server, DESCRIPTION);
      assert.equal(reply.status, 200);
      assert.equal(reply.products?.[0]?.seriesId, APOTHECARY, `cards: ${JSON.stringify(reply.products?.map((p) => p.seriesId))} — ${reply.text}`);
      // The question went to the model, as a query.
      assert.ok(opts.inputsOf(fake).includes(`query: ${DESCRIPTION}`));
    });

    it('the semantic cache answers a paraphrase the built-in embedder scores 0.74 (one model call per question)', async () => {
      const first = await ask(server, ASKED);
      assert.equal(first.status, 200);
      await until(async () => ((await semantic(server)).stored ?? 0) >= 1, 'the first answer stored');
      const calls = opts.inputsOf(fake).filter((t) => t === `query: ${PARAPHRASE}`).length;
      const before = await semantic(server);
      const second = await ask(server, PARAPHRASE);
      const after = await semantic(server);
      assert.equal((after.hit ?? 0) - (before.hit ?? 0), 1, `a hit: ${JSON.stringify(after)}`);
      assert.equal(second.text, first.text);
      assert.equal(second.timings?.generateFirstTokenMs, undefined, 'the answer engine was not called');
      // Retrieval and the cache lookup shared one embedding of the paraphrase.
      assert.equal(opts.inputsOf(fake).filter((t) => t === `query: ${PARAPHRASE}`).length - calls, 1);
    });

    it('a restart over the same DATA_DIR embeds no document again', async () => {
      await until(async () => (await readiness(server)).checks.vectorsPending === 0, 'document vectors');
      await server.close();
      const before = opts.inputsOf(fake).length;
      server = await startTestServer(env());
      assert.equal((await readiness(server)).checks.vectorsPending, 0);
      assert.equal(opts.inputsOf(fake).slice(before).filter((t) => t.startsWith('passage: ')).length, 0);
      const reply = await ask(server, DESCRIPTION);
      assert.equal(reply.products?.[0]?.seriesId, APOTHECARY);
    });

    it('the model down (FAULTS embedder:down): retrieval answers from its lexical index, nothing fails', async () => {
      const set = await fetch(`${server.url}/v1/admin/faults/embedder`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify({ down: true }) });
      assert.equal(set.status, 200, await set.text());
      try {
        const reply = await ask(server, 'Do you have Vinland Saga?');
        assert.equal(reply.status, 200);
        assert.ok(reply.products?.some((p) => p.seriesId === 'vinland-saga'));
        const policy = await ask(server, 'How long do I have to return a book?');
        assert.equal(policy.status, 200);
        assert.match(policy.text ?? '', /30/);
      } finally {
        await fetch(`${server.url}/v1/admin/faults/embedder`, { method: 'DELETE', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      }
    });
  });
}

remoteProvider('openai', {
  startFake: () => startFakeOpenAIEmbeddings({ model: 'fake-embed', dimensions: 384 }),
  env: (fake) => ({ EMBEDDINGS_PROVIDER: 'openai', EMBEDDINGS_BASE_URL: `${fake.url}/v1`, EMBEDDINGS_MODEL: 'fake-embed', EMBEDDINGS_DIMENSIONS: '384' }),
  inputsOf: (fake) => fake.requests.flatMap((r) => (Array.isArray(r.body.input) ? (r.body.input as string[]) : [String(r.body.input)])),
});

const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
remoteProvider('bedrock', {
  startFake: startFakeBedrockEmbeddings,
  env: (fake) => ({ EMBEDDINGS_PROVIDER: 'bedrock', EMBEDDINGS_BASE_URL: fake.url, EMBEDDINGS_DIMENSIONS: '512' }),
  inputsOf: (fake) => fake.requests.map((r) => String(r.body.inputText)),
  // The service takes credentials from the SDK's default chain, as it would on AWS.
  before: () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
    process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  },
  after: () => {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
    else process.env.AWS_ACCESS_KEY_ID = saved.id;
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
  },
});

describe('service with the built-in embedder (the control)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ SEMANTIC_CACHE_THRESHOLD: '0.95' });
  });
  after(() => server.close());

  it('the same paraphrase is no hit: the hit above is the model\'s doing', async () => {
    await ask(server, ASKED);
    await until(async () => ((await semantic(server)).stored ?? 0) >= 1, 'the first answer stored');
    const before = await semantic(server);
    await ask(server, PARAPHRASE);
    const after = await semantic(server);
    assert.equal((after.hit ?? 0) - (before.hit ?? 0), 0);
    assert.equal((after.miss ?? 0) - (before.miss ?? 0), 1);
  });
});
