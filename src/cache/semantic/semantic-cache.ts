import { createHash } from 'node:crypto';
import type { SemanticStore } from '../types.ts';
import type { DependencyGuard } from '../../resilience/types.ts';
import { TAGS } from '../policy.ts';

/**
 * What an answer is grounded on, which decides the partition it is cached in. `audience` is
 * the asker's tier: a model is told who asks (a Prime member may be told their shipping is
 * free), so an answer written for one tier is never replayed to another.
 */
export type AnswerAnchor = (
  /** A store-policy answer, grounded on one knowledge-base topic (`returns`, `shipping`, ...). */
  | { kind: 'faq'; language: 'en' | 'ja'; topic: string }
  /**
   * A general answer about one series (who wrote it, is it finished, what is it about).
   * `promotions` names the promotions the answer saw: an answer that mentions one is replayed
   * only while exactly those promotions run (the set changes when one ends or starts).
   */
  | { kind: 'pq'; language: 'en' | 'ja'; seriesId: string; promotions?: string[] }
) & { audience: 'guest' | 'member' | 'prime' };

export interface SemanticCacheOptions {
  store: SemanticStore;
  /** The question's embedding (unit length). */
  embed: (text: string) => Promise<Float32Array>;
  /** Cosine similarity a cached question needs to answer a new one. */
  threshold: number;
  /** Deadline of a lookup; past it the question simply goes to the answer engine. */
  lookupTimeoutMs: number;
  /** Deadline of a background write. */
  writeTimeoutMs: number;
  /**
   * What the cached answers were produced from (knowledge-base content, answer engine): part of
   * every partition name, so a restart with a new knowledge base or engine never replays answers
   * of the old one, even from a Redis that outlived the restart.
   */
  version: string;
  /** Guards lookups (shared with the data cache's Redis reads); absent: called directly. */
  guard?: DependencyGuard;
  writeGuard?: DependencyGuard;
  events?: (result: 'hit' | 'miss' | 'error' | 'stored' | 'store_error' | 'refused') => void;
  onBackgroundError?: (what: string, error: unknown) => void;
  now?: () => number;
}

/** A cached answer found for a question. */
export interface SemanticHit {
  answer: string;
  similarity: number;
  /** The question it was first given to. */
  question: string;
}

/** The semantic answer cache: answers keyed by the meaning of the question, within a partition. */
export interface SemanticCache {
  lookup(anchor: AnswerAnchor, question: string, opts?: { signal?: AbortSignal }): Promise<SemanticHit | undefined>;
  /** Keeps an answer (in the background); refused when the text carries prices, stock or personal data. */
  remember(anchor: AnswerAnchor, question: string, answer: string, opts?: { personal?: string[] }): void;
  /** Data changed: drops the partitions the invalidation tags cover (`series:<id>`, `reviews:<id>`, `kb`). */
  forgetTags(tags: string[]): Promise<void>;
}

/**
 * Prices, stock and delivery promises are live data: an answer that mentions them is never
 * cached, whatever the intent. A last check on the text itself, behind the intent rules, because
 * a model may mention a price it saw in its grounding even when asked something else.
 */
const LIVE_DATA = /[¥￥]\s?\d|\d[\d,.]*\s?(?:円|yen\b|JPY\b)|\b(?:in stock|out of stock|sold out|left in stock|ships? (?:today|tomorrow))\b|在庫(?:あり|有り|なし|無し|切れ|僅少|わずか|が(?:ござい|あり|な)|数)|品切れ|売り切れ|残り\d/i;

/** True when an answer text may be cached: not empty, none of the customer's own details, and (when checked) no live data. */
export function cacheableAnswer(answer: string, opts: { personal?: string[]; liveData?: boolean } = {}): boolean {
  if (answer.trim().length === 0 || (opts.liveData !== false && LIVE_DATA.test(answer))) return false;
  return !(opts.personal ?? []).some((p) => p.length >= 2 && answer.includes(p));
}

/** A short stable hash, for the version part of partition names. */
export function versionOf(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url').slice(0, 10);
}

/**
 * The cache in front of the answer engine. A question is compared only with the questions of
 * its own partition (kind, version, language, topic or series): the hashing embedder sees "Who
 * wrote Naruto?" and "Who wrote Bleach?" as near twins, but they are in different partitions.
 * Every failure (store slow or down) is a miss: the engine answers, nothing is lost.
 */
export function createSemanticCache(opts: SemanticCacheOptions): SemanticCache {
  // The audience comes last: invalidation drops partitions by prefix (a series in every tier).
  const partition = (a: AnswerAnchor) => {
    if (a.kind === 'faq') return `faq:${opts.version}:${a.language}:${a.topic}:${a.audience}`;
    const base = `pq:${opts.version}:${a.language}:${a.seriesId}`;
    return `${a.promotions && a.promotions.length > 0 ? `${base}:${versionOf(...[...a.promotions].sort())}` : base}:${a.audience}`;
  };
  const seriesPrefix = (language: 'en' | 'ja', seriesId: string) => `pq:${opts.version}:${language}:${seriesId}`;
  const now = opts.now ?? Date.now;

  return {
    async lookup(anchor, question, callOpts) {
      try {
        const search = async (signal: AbortSignal) => {
          const vector = await opts.embed(question);
          signal.throwIfAborted();
          return opts.store.nearest(partition(anchor), vector, opts.threshold, { signal });
        };
        const match = opts.guard
          ? await opts.guard.call(search, { deadlineMs: opts.lookupTimeoutMs, signal: callOpts?.signal, idempotent: false })
          : await search(callOpts?.signal ?? AbortSignal.timeout(opts.lookupTimeoutMs));
        opts.events?.(match ? 'hit' : 'miss');
        return match ? { answer: match.entry.answer, similarity: match.similarity, question: match.entry.question } : undefined;
      } catch (error) {
        if (callOpts?.signal?.aborted) return undefined;
        opts.events?.('error');
        opts.onBackgroundError?.('semantic cache lookup', error);
        return undefined;
      }
    },

    remember(anchor, question, answer, rememberOpts) {
      // Policy answers are grounded on the knowledge base alone (its prices, like a shipping
      // threshold, are policy, not live data); series answers saw live offers, so their text is checked.
      if (!cacheableAnswer(answer, { personal: rememberOpts?.personal, liveData: anchor.kind === 'pq' })) {
        opts.events?.('refused');
        return;
      }
      const write = async () => {
        const vector = await opts.embed(question);
        await opts.store.add(partition(anchor), { vector, question, answer, storedAt: now() });
      };
      // Fire and forget: the customer already has the answer.
      const done = opts.writeGuard ? opts.writeGuard.call(write, { deadlineMs: opts.writeTimeoutMs, idempotent: false }) : write();
      done.then(
        () => opts.events?.('stored'),
        (error: unknown) => {
          opts.events?.('store_error');
          opts.onBackgroundError?.('semantic cache write', error);
        },
      );
    },

    async forgetTags(tags) {
      const prefixes: string[] = [];
      for (const tag of tags) {
        if (tag === TAGS.kb) prefixes.push('faq');
        const id = tag.startsWith('series:') ? tag.slice(7) : tag.startsWith('reviews:') ? tag.slice(8) : undefined;
        if (id) for (const language of ['en', 'ja'] as const) prefixes.push(seriesPrefix(language, id));
        // Every series' answers at once (the whole catalog or every review changed).
        if (tag === TAGS.allReviews || tag === TAGS.everySeries) prefixes.push('pq');
      }
      if (prefixes.length > 0) await opts.store.dropPartitions([...new Set(prefixes)]);
    },
  };
}
