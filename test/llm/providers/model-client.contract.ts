/**
 * The one contract every network ModelClient adapter passes, each against its vendor fake
 * (which speaks the vendor's real wire format, so the real client library runs).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { ModelError, type ConnectionOptions, type ModelChunk, type ModelClient, type ModelRequest, type Prompt } from '../../../src/llm/providers/types.ts';
import type { FakeVendor } from './fake-vendor.ts';
import { richGrounding } from '../fixtures.ts';

/** What one adapter's test file gives the contract. */
export interface ProviderFixture {
  /** Starts the vendor fake. */
  startFake(): Promise<FakeVendor>;
  /** Builds the adapter against the fake. */
  client(fake: FakeVendor, conn: Partial<ConnectionOptions>): ModelClient;
  /** Reads back, from the vendor request body, the system prompt and the messages sent. */
  promptOf(body: unknown): { system: string; messages: { role: string; content: string }[]; maxTokens: number };
}

const PROMPT: Prompt = {
  system: 'You are the store assistant. Answer only from the facts given.',
  messages: [
    { role: 'user', content: 'Do you have One Piece?' },
    { role: 'assistant', content: 'Yes, volumes 1-110.' },
    { role: 'user', content: 'How much is volume 110?' },
  ],
  maxTokens: 300,
};
const request = () => ({ prompt: PROMPT, grounding: richGrounding('price_availability', 'en') });

async function collect(client: ModelClient, signal?: AbortSignal): Promise<ModelChunk[]> {
  const out: ModelChunk[] = [];
  for await (const c of client.stream(request(), { signal })) out.push(c);
  return out;
}

async function failure(client: ModelClient): Promise<{ error: ModelError; chunks: ModelChunk[] }> {
  const chunks: ModelChunk[] = [];
  try {
    for await (const c of client.stream(request(), {})) chunks.push(c);
  } catch (error) {
    assert.ok(error instanceof ModelError, `a ModelError, got ${String(error)}`);
    return { error, chunks };
  }
  assert.fail('the stream should have failed');
}

/** The text of a stream's chunks. */
export const textOf = (chunks: ModelChunk[]) => chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');

/** Runs one call to the end: its chunks, and the ModelError it failed with (any other error fails the test). */
export async function runModel(client: ModelClient, req: ModelRequest): Promise<{ chunks: ModelChunk[]; error?: ModelError }> {
  const chunks: ModelChunk[] = [];
  try {
    for await (const c of client.stream(req, {})) chunks.push(c);
  } catch (error) {
    assert.ok(error instanceof ModelError, `a ModelError, got ${String(error)}`);
    return { chunks, error };
  }
  return { chunks };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail('condition not met in time');
    await delay(10);
  }
}

/** Registers the contract suite for one adapter. */
export function modelClientContract(name: string, fixture: ProviderFixture): void {
  describe(`ModelClient contract: ${name}`, () => {
    let fake: FakeVendor;
    const conn = { maxConnections: 4, idleTimeoutMs: 400, connectTimeoutMs: 1000 };
    before(async () => {
      fake = await fixture.startFake();
    });
    after(async () => {
      await fake.close();
    });

    it('streams the pieces in order, then one usage chunk with the vendor-reported counts', async () => {
      fake.next({ pieces: ['ワンピース', '110巻は', '1,320円です。'], usage: { inputTokens: 321, outputTokens: 17 } });
      const chunks = await collect(fixture.client(fake, conn));
      assert.equal(textOf(chunks), 'ワンピース110巻は1,320円です。');
      const usage = chunks.filter((c) => c.type === 'usage');
      assert.deepEqual(usage, [{ type: 'usage', inputTokens: 321, outputTokens: 17 }]);
      assert.equal(chunks.at(-1)?.type, 'usage');
    });

    it('sends the system prompt, the conversation in order and the token limit', async () => {
      fake.next({ pieces: ['ok'] });
      await collect(fixture.client(fake, conn));
      const sent = fixture.promptOf(fake.requests.at(-1)!.body);
      assert.equal(sent.system, PROMPT.system);
      assert.deepEqual(sent.messages, PROMPT.messages);
      assert.equal(sent.maxTokens, PROMPT.maxTokens);
    });

    it('cancels: aborting mid-stream stops the chunks and closes the response', async () => {
      fake.next({ pieces: Array.from({ length: 50 }, (_, i) => `w${i} `), pieceDelayMs: 20 });
      const ac = new AbortController();
      let seen = 0;
      let afterAbort = 0;
      for await (const c of fixture.client(fake, conn).stream(request(), { signal: ac.signal })) {
        if (ac.signal.aborted) afterAbort++;
        if (c.type === 'text' && ++seen === 3) ac.abort();
      }
      assert.equal(seen, 3);
      assert.equal(afterAbort, 0);
      await until(() => fake.openResponses() === 0);
    });

    it('yields nothing and sends nothing when aborted before the start', async () => {
      const before = fake.requests.length;
      const ac = new AbortController();
      ac.abort();
      assert.deepEqual(await collect(fixture.client(fake, conn), ac.signal), []);
      assert.equal(fake.requests.length, before);
    });

    it('throttling is `throttled`, thrown before any chunk, and not retried by the client library', async () => {
      const before = fake.requests.length;
      fake.next({ pieces: ['never'], fail: 'throttle' });
      const { error, chunks } = await failure(fixture.client(fake, conn));
      assert.equal(error.kind, 'throttled');
      assert.equal(error.status, 429);
      assert.deepEqual(chunks, []);
      assert.equal(fake.requests.length, before + 1, 'one request: retries are the router\'s decision');
    });

    it('a server error is `unavailable`; a bad request is `rejected`', async () => {
      fake.next({ pieces: [], fail: 'server_error' });
      assert.equal((await failure(fixture.client(fake, conn))).error.kind, 'unavailable');
      fake.next({ pieces: [], fail: 'bad_request' });
      assert.equal((await failure(fixture.client(fake, conn))).error.kind, 'rejected');
    });

    it('a disconnect before the first piece is `disconnected` (or `unavailable`) with no chunk', async () => {
      fake.next({ pieces: ['a', 'b'], fail: 'disconnect_before_first' });
      const { error, chunks } = await failure(fixture.client(fake, conn));
      assert.ok(['disconnected', 'unavailable'].includes(error.kind), error.kind);
      assert.equal(textOf(chunks), '');
    });

    it('a disconnect mid-stream is `disconnected`, after the pieces that arrived', async () => {
      fake.next({ pieces: ['one ', 'two ', 'three ', 'four'], fail: 'disconnect_mid', failAfter: 2 });
      const { error, chunks } = await failure(fixture.client(fake, conn));
      assert.equal(error.kind, 'disconnected');
      assert.equal(textOf(chunks), 'one two ');
    });

    it('a stream that stalls mid-way fails with `timeout` after the idle timeout', async () => {
      fake.next({ pieces: ['one ', 'two ', 'three'], fail: 'stall_mid', failAfter: 1 });
      const started = performance.now();
      const { error, chunks } = await failure(fixture.client(fake, { ...conn, idleTimeoutMs: 300 }));
      const took = performance.now() - started;
      assert.equal(error.kind, 'timeout');
      assert.equal(textOf(chunks), 'one ');
      assert.ok(took >= 250 && took < 3000, `failed after ${took} ms`);
      await until(() => fake.openResponses() === 0);
    });

    it('a response head that never comes fails with `timeout`', async () => {
      fake.next({ pieces: ['x'], fail: 'stall_head' });
      const { error } = await failure(fixture.client(fake, { ...conn, idleTimeoutMs: 300 }));
      assert.equal(error.kind, 'timeout');
    });

    it('reuses connections: sequential calls through one client share a kept-alive socket', async () => {
      const client = fixture.client(fake, conn);
      await collect(client);
      const opened = fake.connections();
      for (let i = 0; i < 5; i++) {
        fake.next({ pieces: ['x'] });
        await collect(client);
      }
      assert.ok(fake.connections() - opened <= 1, `${fake.connections() - opened} new connections for 5 calls`);
      await client.close?.();
    });

    it('holds at most maxConnections sockets for concurrent streams', async () => {
      const client = fixture.client(fake, { ...conn, maxConnections: 2 });
      const opened = fake.connections();
      for (let i = 0; i < 6; i++) fake.next({ pieces: ['a', 'b'], pieceDelayMs: 30 });
      const all = await Promise.all(Array.from({ length: 6 }, () => collect(client)));
      assert.ok(all.every((c) => textOf(c) === 'ab'));
      assert.ok(fake.connections() - opened <= 2, `${fake.connections() - opened} sockets for a pool of 2`);
      await client.close?.();
    });

    it('resolves the host through the given lookup (the DNS cache)', async () => {
      let looked = 0;
      const lookup: ConnectionOptions['lookup'] = (hostname, options, callback) => {
        looked++;
        // Every fake listens on 127.0.0.1; the adapter is given the name "fake.vendor.test".
        if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
        else callback(null, '127.0.0.1', 4);
      };
      const url = new URL(fake.url);
      url.hostname = 'fake.vendor.test';
      fake.next({ pieces: ['named'] });
      const client = fixture.client({ ...fake, url: url.toString().replace(/\/$/, ''), next: fake.next.bind(fake), openResponses: fake.openResponses.bind(fake), connections: fake.connections.bind(fake), close: fake.close.bind(fake), requests: fake.requests }, { ...conn, lookup });
      assert.equal(textOf(await collect(client)), 'named');
      assert.ok(looked >= 1);
      await client.close?.();
    });
  });
}
