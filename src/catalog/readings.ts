// Readings of Japanese queries, so a kanji title meets the romaji one an import gave its series
// (黒執事 → クロシツジ → Kuroshitsuji; 僕だけがいない街 → Boku dake ga Inai Machi).
//
// The dictionary (Lindera with IPADIC, WebAssembly) loads on a worker thread started once the
// service is ready: loading costs ~1 s of CPU and ~140 MB, and a customer's message must never
// wait for it. Until it has loaded — or if it fails — read() answers undefined at once and a
// kanji query against a romaji-only title simply misses, as it did without it.
import { Worker } from 'node:worker_threads';
import type { CallOptions } from '../shared/call.ts';
import type { NameIndex } from './name-index.ts';
import type { SeriesHit } from './types.ts';

/** Port: the kana reading of a text, when a dictionary can give one. */
export interface Readings {
  /** 'ready' once the dictionary has loaded; read() gives nothing in any other state. */
  readonly state: 'off' | 'loading' | 'ready' | 'failed';
  /** The text's reading in katakana; undefined when not ready, a word is unknown, or it took too long. Never waits for loading. */
  read(text: string, opts?: CallOptions): Promise<string | undefined>;
}

/** The reading dictionary on its own thread. */
export interface ReadingWorker extends Readings {
  /** Starts loading (once); returns at once. */
  start(): void;
  /** Stops the thread; pending reads answer undefined. */
  close(): Promise<void>;
}

/** Options for {@link createReadingWorker}. */
export interface ReadingWorkerOptions {
  /** How long a read may take before it is answered with nothing. @default 50 */
  timeoutMs?: number;
  /** Called once the dictionary has loaded, with the time it took. */
  onReady?: (loadMs: number) => void;
  /** Called when the thread fails to load or dies: searches go on without readings. */
  onError?: (error: Error) => void;
}

/** A reading source that never has a dictionary (READING_DICTIONARY=off, tests). */
export const NO_READINGS: Readings = { state: 'off', read: async () => undefined };

/** Creates the reading dictionary's worker thread (not started: call start() once the service is ready). */
export function createReadingWorker(opts: ReadingWorkerOptions = {}): ReadingWorker {
  const timeoutMs = opts.timeoutMs ?? 50;
  let worker: Worker | undefined;
  let state: Readings['state'] = 'off';
  let nextId = 1;
  const pending = new Map<number, (reading: string | undefined) => void>();

  const settleAll = (): void => {
    for (const resolve of pending.values()) resolve(undefined);
    pending.clear();
  };
  const fail = (error: Error): void => {
    if (state === 'failed' || state === 'off') return;
    state = 'failed';
    settleAll();
    opts.onError?.(error);
  };

  return {
    get state() {
      return state;
    },
    start() {
      if (worker) return;
      const started = performance.now();
      state = 'loading';
      worker = new Worker(new URL('./reading-worker.ts', import.meta.url));
      // The service's lifetime is its own: an idle dictionary thread must not keep it running.
      worker.unref();
      worker.on('message', (message: { ready?: true; id?: number; reading?: string }) => {
        if (message.ready) {
          state = 'ready';
          opts.onReady?.(performance.now() - started);
          return;
        }
        const resolve = pending.get(message.id!);
        pending.delete(message.id!);
        resolve?.(message.reading);
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => fail(new Error(`reading dictionary thread exited with code ${code}`)));
    },
    read(text: string, callOpts?: CallOptions): Promise<string | undefined> {
      if (state !== 'ready' || !worker || callOpts?.signal?.aborted) return Promise.resolve(undefined);
      const id = nextId++;
      const w = worker;
      return new Promise((resolve) => {
        const done = (reading: string | undefined): void => {
          clearTimeout(timer);
          callOpts?.signal?.removeEventListener('abort', onAbort);
          pending.delete(id);
          resolve(reading);
        };
        const onAbort = (): void => done(undefined);
        // A slow answer is no answer: the search goes on with what it has.
        const timer = setTimeout(() => done(undefined), timeoutMs);
        callOpts?.signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(id, done);
        w.postMessage({ id, text });
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      state = 'off';
      settleAll();
      if (w) await w.terminate();
    },
  };
}

/** A title match this good needs no reading: the query named a Japanese title the catalog has. */
const READING_NOT_NEEDED = 0.8;
const KANJI = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Name search with readings: kanji the catalog has no Japanese name for are read by the
 * dictionary, and the romaji titles searched with that reading. Asks only when the dictionary
 * has loaded and the query alone found no good Japanese match. `index` is read again after the
 * dictionary answers: the catalog may have rebuilt it meanwhile. `context`: the message the query
 * was taken from (NameIndex.search).
 */
export async function searchWithReadings(index: () => NameIndex, query: string, limit: number, readings: Readings | undefined, opts?: CallOptions & { context?: string }): Promise<SeriesHit[]> {
  const context = opts?.context;
  const hits = index().search(query, limit, { context });
  if (readings?.state !== 'ready' || !KANJI.test(query) || (hits[0] && hits[0].score >= READING_NOT_NEEDED)) return hits;
  const reading = await readings.read(query, opts);
  const read = reading ? index().search(query, limit, { reading, context }) : hits;
  if (read[0] && read[0].score >= READING_NOT_NEEDED) return read;
  // A query of several parts with words of the request left in it ("黒執事 してい"): its longest
  // part with kanji, read on its own.
  const part = query.split(' ').filter((p) => KANJI.test(p)).sort((a, b) => b.length - a.length)[0];
  if (!part || part === query) return read;
  const partReading = await readings.read(part, opts);
  const partHits = partReading ? index().search(part, limit, { reading: partReading, context }) : [];
  return partHits[0] && partHits[0].score > (read[0]?.score ?? 0) ? partHits : read;
}
