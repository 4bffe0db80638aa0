/** The default answer engine: writes a grounded answer from the Grounding alone, no model involved. */
import type { AnswerChunk, AnswerEngine, Grounding } from './types.ts';
import { composeAnswer } from './compose/index.ts';
import { estimateTokens, splitForStreaming } from './stream-text.ts';

/** Options of the local engine. */
export interface LocalEngineOptions {
  /** Clock for preorder decisions (release date still ahead). @default () => new Date() */
  now?: () => Date;
}

/** Tokens a model prompt spends per product line (volume, format, price, stock, date). */
const TOKENS_PER_PRODUCT = 12;

/**
 * Token estimate of what a model would have been shown: the texts of the grounding plus a
 * fixed cost per product line. Serialising the whole grounding instead (hundreds of product
 * rows for a long series) cost 7% of the service's CPU under load for a number nobody bills.
 */
export function groundingTokens(g: Grounding): number {
  let tokens = estimateTokens(g.text);
  for (const m of g.history) tokens += estimateTokens(m.text);
  for (const p of g.passages) tokens += estimateTokens(p.doc.title) + estimateTokens(p.doc.text);
  for (const s of g.series) {
    tokens += estimateTokens(s.series.title) + estimateTokens(s.series.synopsis ?? '') + estimateTokens(s.series.synopsisJa ?? '') + 8 * s.series.authors.length;
    tokens += TOKENS_PER_PRODUCT * s.products.length;
  }
  for (const o of g.orders) tokens += 20 + TOKENS_PER_PRODUCT * o.lines.length;
  for (const p of g.promotions) tokens += estimateTokens(p.title) + estimateTokens(p.description);
  for (const r of g.reviews) tokens += 10 + r.highlights.reduce((n, h) => n + estimateTokens(h.body), 0);
  return tokens;
}

/** Creates the local engine: composes the answer per intent and language, then streams it like a model. */
export function createLocalEngine(opts: LocalEngineOptions = {}): AnswerEngine {
  const now = opts.now ?? (() => new Date());
  return {
    name: 'local',
    async *stream(grounding: Grounding, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<AnswerChunk> {
      if (signal?.aborted) return;
      const tokens = splitForStreaming(composeAnswer(grounding, now()));
      for (const text of tokens) {
        // Checked before every token: the customer may leave while the consumer is still sending the last one.
        if (signal?.aborted) return;
        yield { type: 'token', text };
      }
      if (signal?.aborted) return;
      yield { type: 'usage', inputTokens: groundingTokens(grounding), outputTokens: tokens.length, model: 'local' };
    },
  };
}
