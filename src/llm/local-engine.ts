/** The default answer engine: writes a grounded answer from the Grounding alone, no model involved. */
import type { AnswerChunk, AnswerEngine, Grounding } from './types.ts';
import { composeAnswer } from './compose/index.ts';
import { estimateTokens, splitForStreaming } from './stream-text.ts';

/** Options of the local engine. */
export interface LocalEngineOptions {
  /** Clock for preorder decisions (release date still ahead). @default () => new Date() */
  now?: () => Date;
}

/** Token estimate of what a model would have been shown: the grounding, serialised. */
export function groundingTokens(g: Grounding): number {
  return estimateTokens(JSON.stringify(g));
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
