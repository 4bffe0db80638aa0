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
  /**
   * The text's reading in katakana; undefined when not ready, a word is unknown, or it took too
   * long. Never waits for loading. Readings of one text may follow it, each after a `|` (kanji
   * read in a run, then each on its own: 〔ボクガイ〕|〔ボクマチ〕 for 僕街).
   */
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
 * was taken from (NameIndex.search). A query that still names nothing well is searched by its
 * pieces (see piecesOf).
 */
export async function searchWithReadings(index: () => NameIndex, query: string, limit: number, readings: Readings | undefined, opts?: CallOptions & { context?: string }): Promise<SeriesHit[]> {
  const whole = await searchReading(index, query, limit, readings, opts);
  if ((whole[0]?.score ?? 0) >= READING_NOT_NEEDED) return whole;
  return (await searchPieces(index, query, limit, readings, opts, whole[0]?.score ?? 0)) ?? whole;
}

async function searchReading(index: () => NameIndex, query: string, limit: number, readings: Readings | undefined, opts?: CallOptions & { context?: string }): Promise<SeriesHit[]> {
  const context = opts?.context;
  const hits = index().search(query, limit, { context });
  if (readings?.state !== 'ready' || !KANJI.test(query) || (hits[0] && hits[0].score >= READING_NOT_NEEDED)) return hits;
  const reading = await readings.read(query, opts);
  const read = reading ? searchReadAs(index(), query, limit, reading, context) : hits;
  if (read[0] && read[0].score >= READING_NOT_NEEDED) return read;
  // A query of several parts with words of the request left in it ("黒執事 してい"): its longest
  // part with kanji, read on its own.
  const part = query.split(' ').filter((p) => KANJI.test(p)).sort((a, b) => b.length - a.length)[0];
  if (!part || part === query) return read;
  const partReading = await readings.read(part, opts);
  const partHits = partReading ? searchReadAs(index(), part, limit, partReading, context) : [];
  return partHits[0] && partHits[0].score > (read[0]?.score ?? 0) ? partHits : read;
}

/** The search with a reading, or with each of its alternatives (`|`: kanji read in a run, then each alone), the best kept. */
function searchReadAs(index: NameIndex, query: string, limit: number, reading: string, context: string | undefined): SeriesHit[] {
  let best: SeriesHit[] = [];
  for (const alternative of reading.split('|')) {
    const hits = index.search(query, limit, { reading: alternative, context });
    if ((hits[0]?.score ?? 0) > (best[0]?.score ?? 0)) best = hits;
  }
  return best;
}

// Where the rest of a Japanese query stops being the title: before って (「ノラガミって買え」), or before
// a particle right after a word in kanji, katakana or Latin letters (「僕だけがいない街の作者の他」,
// 「ソウルイーターと同じ人」) — and around a part of a franchise (第4部).
const PART_NUMBER = '第[0-9０-９一二三四五六七八九十]+部';
const PARTICLE_AFTER_WORD = '(?<=[\\p{Script=Han}\\p{Script=Katakana}ー\\p{Script=Latin}])[はがをもとのにでへや]';
const JA_CUT = new RegExp(`って|${PART_NUMBER}|${PARTICLE_AFTER_WORD}`, 'gu');
const CUT_AT_START = new RegExp(`^(?:って|${PART_NUMBER}|[はがをもとのにでへや])+`, 'u');
const CUT_AT_END = new RegExp(`(?:って|${PART_NUMBER}|${PARTICLE_AFTER_WORD})+$`, 'u');
/** Before a part number, a name is the franchise the part asked for belongs to (「ジョジョの第4部…」). */
const PART_OF = new RegExp(`^(?:の|は)?${PART_NUMBER}`, 'u');
const SCRIPT_CHANGE = /(?<=[\p{Script=Latin}])(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])|(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー])(?=[\p{Script=Latin}])/u;
const LATIN_WORD = /^[\p{Script=Latin}\p{N}'’&.-]+$/u;
const JAPANESE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;
/** Pieces searched at most (longest first): each is a name search, and a reading for those with kanji. */
const MAX_PIECES = 12;
/** A piece's hit counts this much at least, the rest by how much of the query the piece is. */
const PIECE_FLOOR = 0.9;
/** A piece names a title at this score or better: a name as good as the whole query naming it... */
const PIECE_NAMED = 0.8;
/** ...or, for the topic of the sentence (「Xって…」「Xは…」 at its start), a title named outright (understanding's bar). */
const TOPIC_NAMED = 0.7;
const TOPIC_MARK = /^(?:って|は)/u;
/**
 * A piece is this share of the query at least, unless it is a whole part of it: what the request
 * left beside a title is a few words, while a story told in a sentence (「ダンジョンでモンスターを料理して
 * 食べる漫画」) has words of titles in it (モンスター) that name none of them.
 */
const PIECE_SHARE = 0.4;
/** A shorter piece finding the same series this well (of the longer one's score) is where its name is. */
const NAME_ALONE = 0.9;

/** A piece of a query: its text, and what follows it in the query. */
export interface Piece {
  text: string;
  /** True when it is a whole part of the query (between spaces), or its Latin words. */
  whole: boolean;
  /** The rest of its part of the query after it (empty for a run of Latin words). */
  after: string;
  /** True when it starts its part and って or は follows it: the topic of the sentence (「文豪ストレイドッグスって扱って…」). */
  topic: boolean;
}

/**
 * The pieces of a query the request language left words in, where a title may stand on its own:
 * the run of Latin words of a query mixing scripts (「アカメが斬るってAkame ga Killのことですよね」),
 * and each stretch of a Japanese part between the points where its grammar cuts it (JA_CUT),
 * longest first. Not the query itself, nor pieces of hiragana alone (grammar, not a name).
 */
export function piecesOf(query: string): Piece[] {
  // Latin letters glued to Japanese (「ってAkame」) are words of their own.
  const parts = query.split(' ').flatMap((p) => p.split(SCRIPT_CHANGE)).filter(Boolean);
  const out = new Map<string, Piece>();
  if (parts.some((p) => JAPANESE.test(p))) {
    // Runs of Latin words, as they stand in the query.
    let run: string[] = [];
    for (const p of [...parts, '']) {
      if (p && LATIN_WORD.test(p)) run.push(p);
      else {
        const text = run.join(' ');
        if (text.replace(/\s/g, '').length >= 3 && !out.has(text)) out.set(text, { text, whole: true, after: '', topic: false });
        run = [];
      }
    }
  }
  for (const part of parts) {
    if (!JAPANESE.test(part)) continue;
    const starts = [0];
    const ends = [part.length];
    for (const m of part.matchAll(JA_CUT)) {
      ends.push(m.index);
      starts.push(m.index + m[0].length);
    }
    for (const s of starts) {
      for (const e of ends) {
        if (e <= s) continue;
        // What a cut left at either end (「ジョジョの」 before 第4部) is no part of a name.
        const head = part.slice(s, e).replace(CUT_AT_START, '');
        const text = head.replace(CUT_AT_END, '');
        const after = part.slice(e - (head.length - text.length));
        if (text.length >= 2 && JAPANESE.test(text) && !HIRAGANA_ONLY.test(text) && !out.has(text)) out.set(text, { text, whole: text === part, after, topic: s === 0 && head.length === part.slice(0, e).length && TOPIC_MARK.test(after) });
      }
    }
  }
  out.delete(query);
  return [...out.values()].sort((a, b) => b.text.length - a.text.length).slice(0, MAX_PIECES);
}

/**
 * The hits of the query's best piece, when one names a title (PIECE_NAMED, TOPIC_NAMED) better than the whole
 * query did; scored a little below a title named alone, the less the less of the query the piece
 * is. A piece that is the franchise or work of what follows it (「ジョジョの第4部…」, 「ジョジョの黄金の風」)
 * is not what was named: the piece after it is, or none. Undefined when no piece names one.
 */
async function searchPieces(index: () => NameIndex, query: string, limit: number, readings: Readings | undefined, opts: (CallOptions & { context?: string }) | undefined, wholeScore: number): Promise<SeriesHit[] | undefined> {
  const pieces = piecesOf(query);
  if (pieces.length === 0) return undefined;
  const length = query.replace(/\s+/g, '').length;
  // Each piece on its own, not inside the message: a piece names a title when it is one, not when
  // one stands inside it among other words (「ワンピースまとめ買いでお得になるやつがある」).
  const alone = { ...opts, context: undefined };
  const found = await Promise.all(pieces.map((p) => searchReading(index, p.text, limit, readings, alone)));
  const scored = pieces.map((p, i) => {
    const share = Math.min(1, p.text.replace(/\s+/g, '').length / length);
    const factor = PIECE_FLOOR + (1 - PIECE_FLOOR) * share;
    return { piece: p, hits: found[i], factor, share, score: (found[i][0]?.score ?? 0) * factor };
  });
  // What names a series is the least of a piece that finds it as well (「ダンジョンでモンスター」 finds
  // Monster by モンスター alone): that must be a good share of the query.
  const nameShare = (c: (typeof scored)[number]): number => {
    let share = c.share;
    for (const o of scored) {
      if (o.share < share && c.piece.text.includes(o.piece.text) && o.hits[0]?.series.id === c.hits[0].series.id && o.hits[0].score >= NAME_ALONE * c.hits[0].score) share = o.share;
    }
    return share;
  };
  const named = scored.filter((c) => c.score >= (c.piece.topic ? TOPIC_NAMED : PIECE_NAMED) && !PART_OF.test(c.piece.after) && (c.piece.whole || nameShare(c) >= PIECE_SHARE));
  let best: SeriesHit[] | undefined;
  let bestScore = wholeScore;
  for (const c of named) {
    // A name of the work another name after の belongs to (「ジョジョの黄金の風」) is not what was asked for.
    if (c.piece.after.startsWith('の') && named.some((o) => o !== c && c.piece.after.includes(o.piece.text))) continue;
    // Longest first: a shorter piece must do better, not as well.
    if (c.score <= bestScore) continue;
    bestScore = c.score;
    best = c.hits.map((h) => ({ ...h, score: h.score * c.factor }));
  }
  return best;
}
