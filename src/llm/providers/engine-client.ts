/**
 * The `local` and `sim` answer engines behind the ModelClient port: they compose from the
 * grounding instead of reading the prompt, so routing, priority queues and pools run the same
 * way on one machine with no model (the embedded default and the load drills).
 */
import type { AnswerEngine } from '../types.ts';
import type { ModelChunk, ModelClient, ModelRequest } from './types.ts';

/** Wraps an answer engine as a model named `model`. */
export function createEngineModelClient(engine: AnswerEngine, opts: { provider: 'local' | 'sim'; model: string }): ModelClient {
  return {
    provider: opts.provider,
    model: opts.model,
    async *stream(request: ModelRequest, { signal }: { signal?: AbortSignal } = {}): AsyncGenerator<ModelChunk> {
      for await (const chunk of engine.stream(request.grounding, { signal })) {
        if (chunk.type === 'token') yield { type: 'text', text: chunk.text };
        else if (chunk.type === 'usage') yield { type: 'usage', inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens };
      }
    },
  };
}
