// Contract of every remote Embedder adapter against its vendor fake: the Embedder contract every
// adapter meets (hashing included), then what only a network adapter can get wrong: the error
// kinds, timeouts, aborts that close the request, keep-alive, bounded concurrency, blank texts.
// A new adapter is a new fake dialect plus one call of remoteEmbedderContract.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { Embedder } from '../../../src/retrieval/types.ts';
import { EmbeddingError, type EmbeddingErrorKind } from '../../../src/retrieval/embedders/errors.ts';
import { embedderContract } from '../embedder.contract.ts';
import type { EmbeddingFake, EmbeddingScript } from './fake-embedding-server.ts';

/** A remote adapter under test. */
export type RemoteEmbedder = Embedder & { close(): Promise<void> };

/** How the contract starts a fake and builds the adapter pointed at it. */
export interface RemoteHarness {
  startFake(): Promise<EmbeddingFake>;
  /** The adapter at `url` (the fake's), with these limits. */
  embedder(url: string, opts: { timeoutMs: number; maxConnections: number }): RemoteEmbedder;
}

/** Waits for `check` to hold (2 s at most). */
export async function until(check: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; !check(); i++) {
    if (i > 200) assert.fail(`${what}: not met in 2 s`);
    await delay(10);
  }
}

const norm = (v: Float32Array) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

/** Registers the remote-embedder contract for one adapter. */
export function remoteEmbedderContract(name: string, harness: RemoteHarness): void {
  describe(`${name} (against its fake)`, () => {
    let fake: EmbeddingFake;
    const made: RemoteEmbedder[] = [];
    const make = (opts: Partial<{ timeoutMs: number; maxConnections: number; url: string }> = {}) => {
      const e = harness.embedder(opts.url ?? fake.url, { timeoutMs: opts.timeoutMs ?? 5000, maxConnections: opts.maxConnections ?? 4 });
      made.push(e);
      return e;
    };
    before(async () => {
      fake = await harness.startFake();
    });
    after(async () => {
      await Promise.all(made.map((e) => e.close()));
      await fake.close();
    });

    embedderContract(name, () => make());

    const failures: [EmbeddingScript['fail'], EmbeddingErrorKind][] = [
      ['throttle', 'throttled'],
      ['server_error', 'unavailable'],
      ['unavailable', 'unavailable'],
      ['bad_request', 'rejected'],
      ['wrong_dimensions', 'bad_response'],
      ['disconnect', 'disconnected'],
    ];
    for (const [fail, kind] of failures) {
      it(`${name}: the vendor's ${fail} fails the call with kind '${kind}'`, async () => {
        const e = make();
        fake.next({ fail });
        await assert.rejects(e.embed(['Attack on Titan']), (err: unknown) => {
          assert.ok(err instanceof EmbeddingError, String(err));
          assert.equal(err.kind, kind, err.message);
          return true;
        });
      });
    }

    it(`${name}: no response within the timeout is 'timeout', and the request is closed`, async () => {
      const e = make({ timeoutMs: 300 });
      fake.next({ fail: 'stall' });
      await assert.rejects(e.embed(['Berserk']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'timeout');
      await until(() => fake.openResponses() === 0, 'the stalled request is closed');
    });

    it(`${name}: a refused connection is 'unavailable'`, async () => {
      const closed = await new Promise<number>((resolve) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const { port } = s.address() as { port: number };
          s.close(() => resolve(port));
        });
      });
      const e = make({ url: `http://127.0.0.1:${closed}` });
      await assert.rejects(e.embed(['Monster']), (err: unknown) => err instanceof EmbeddingError && err.kind === 'unavailable');
    });

    it(`${name}: the caller's abort ends the call at once with its reason and closes the request`, async () => {
      const e = make();
      fake.next({ fail: 'stall' });
      const ac = new AbortController();
      const sent = fake.requests.length;
      const call = e.embed(['Vagabond'], { signal: ac.signal });
      await until(() => fake.requests.length > sent, 'the request reached the fake');
      const reason = new Error('customer left');
      ac.abort(reason);
      await assert.rejects(call, (err: unknown) => err === reason);
      await until(() => fake.openResponses() === 0, 'the aborted request is closed');
    });

    it(`${name}: one failed request fails the whole batch, never a partial result`, async () => {
      const e = make();
      fake.next({}, { fail: 'server_error' });
      const texts = Array.from({ length: 80 }, (_, i) => `series number ${i}`);
      await assert.rejects(e.embed(texts), (err: unknown) => err instanceof EmbeddingError && err.kind === 'unavailable');
    });

    it(`${name}: calls one after another reuse one kept-alive connection`, async () => {
      const e = make();
      await e.embed(['warm up']);
      const before = fake.connections();
      for (let i = 0; i < 10; i++) await e.embed([`Slam Dunk ${i}`]);
      // undici may still hold the first socket for a moment when the next call starts (the SDK has
      // the body before the pool has the socket back): one more socket, never one per call.
      assert.ok(fake.connections() - before <= 1, `${fake.connections() - before} new connections for 10 calls`);
    });

    it(`${name}: blank texts give the zero vector and are never sent`, async () => {
      const e = make();
      const sent = fake.embedded.length;
      const [a, b, c] = await e.embed(['', 'Kingdom', '   ']);
      assert.ok(a.every((x) => x === 0) && c.every((x) => x === 0));
      assert.ok(Math.abs(norm(b) - 1) < 1e-4);
      assert.deepEqual(fake.embedded.slice(sent), ['Kingdom']);
    });

    it(`${name}: at most maxConnections requests are in flight, whatever the batch`, async () => {
      const own = await harness.startFake();
      try {
        const e = make({ url: own.url, maxConnections: 2 });
        own.next(...Array.from({ length: 12 }, () => ({ delayMs: 15 })));
        const out = await e.embed(Array.from({ length: 200 }, (_, i) => `title ${i}`));
        assert.equal(out.length, 200);
        assert.ok(own.peakOpen() <= 2, `peak ${own.peakOpen()}`);
        assert.ok(own.peakOpen() >= 1);
      } finally {
        await own.close();
      }
    });
  });
}
