/**
 * The `local` and `sim` answer engines behind the ModelClient port: they compose from the
 * grounding instead of reading the prompt, so routing, priority queues and pools run the same
 * way on one machine with no model (the embedded default and the load drills).
 */
import type { AnswerChunk, AnswerEngine } from '../types.ts';
import type { ModelChunk, ModelClient, ModelRequest } from './types.ts';
import { nextOf, type ReadyIterator } from '../stream-text.ts';

/** Wraps an answer engine as a model named `model`. */
export function createEngineModelClient(engine: AnswerEngine, opts: { provider: 'local' | 'sim'; model: string }): ModelClient {
  return {
    provider: opts.provider,
    model: opts.model,
    stream(request: ModelRequest, { signal }: { signal?: AbortSignal } = {}): AsyncIterable<ModelChunk> {
      // The engine's chunks mapped one for one (other kinds skipped), as the `for await … yield`
      // generator this was, without a second generator's machinery per token; return() reaches
      // the engine's stream as the for-await's did. A chunk the engine has ready is mapped
      // without a promise (`ready`, stream-text.ts).
      let inner: ReadyIterator<AnswerChunk> | undefined;
      const source = (): ReadyIterator<AnswerChunk> => (inner ??= engine.stream(request.grounding, { signal })[Symbol.asyncIterator]());
      const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
      // The mapped chunk, or undefined for a kind the model port does not carry (skipped).
      const mapped = (r: IteratorResult<AnswerChunk>): IteratorResult<ModelChunk> | undefined => {
        if (r.done) return DONE;
        const chunk = r.value;
        if (chunk.type === 'token') return { done: false, value: { type: 'text', text: chunk.text } };
        if (chunk.type === 'usage') return { done: false, value: { type: 'usage', inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens } };
        return undefined;
      };
      const map = (r: IteratorResult<AnswerChunk>): IteratorResult<ModelChunk> | Promise<IteratorResult<ModelChunk>> => mapped(r) ?? source().next().then(map);
      const wait = () => source().next().then(map);
      let finished = false;
      const it: AsyncIterableIterator<ModelChunk> & { ready(): IteratorResult<ModelChunk> | undefined } = {
        next: () => nextOf(it.ready, wait),
        ready() {
          if (finished) return DONE;
          const src = source();
          if (!src.ready) return undefined;
          for (;;) {
            const r = src.ready();
            if (r === undefined) return undefined;
            const out = mapped(r);
            if (out) return out;
          }
        },
        async return(value?: unknown) {
          if (!finished) {
            finished = true;
            await inner?.return?.();
          }
          return { done: true, value: value as ModelChunk };
        },
        [Symbol.asyncIterator]: () => it,
      };
      return it;
    },
  };
}
