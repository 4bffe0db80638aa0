/**
 * The answer engine the pipeline talks to: picks template, small or large model for a message,
 * queues it by priority for a connection of that model, falls back to the other model when the
 * first one fails before its first token, and turns a break after the first token into an
 * AnswerInterruptedError the pipeline ends clearly.
 */
import type { AnswerChunk, AnswerEngine, Grounding, RouteInfo } from '../types.ts';
import { AnswerInterruptedError } from '../types.ts';
import { ModelError, type ModelChunk, type ModelClient, type ModelRequest, type Prompt } from '../providers/types.ts';
import type { CallOutcomeKind, DowngradeMonitor, Lease, ModelPool, ModelTier, Priority, RouteReason, RoutingTable } from './types.ts';
import { PoolRejectedError } from './types.ts';
import { baseRoute, isComparison } from './routing-table.ts';
import { DependencyError, type DependencyGuard } from '../../resilience/types.ts';
import { NotCounted } from '../../resilience/breaker.ts';
import { ABORTED } from '../../resilience/abort.ts';
import type { ReadyIterator } from '../stream-text.ts';

/** What the routed engine reports, for metrics. */
export type RoutedEvent =
  | { type: 'route'; intent: string; info: RouteInfo }
  /** One model call: how it ended ('ok' once the first token is in; 'interrupted' after it). */
  | { type: 'call'; tier: ModelTier; model: string; priority: Priority; outcome: CallOutcomeKind | 'rejected' | 'interrupted'; firstTokenMs?: number }
  | { type: 'usage'; tier: ModelTier | 'template'; model: string; priority: Priority; inputTokens: number; outputTokens: number };

/** Options of the routed engine. */
export interface RoutedEngineOptions {
  table: RoutingTable;
  models: Record<ModelTier, ModelClient>;
  /** One connection pool (with its priority queue) per model. */
  pools: Record<ModelTier, ModelPool>;
  /** One guard per model: breaker, injected faults and metrics of each model on its own. */
  guards: Record<ModelTier, DependencyGuard>;
  /** Chit-chat and greetings: answered from templates, no model. */
  templates: AnswerEngine;
  /** Watches the large model; while active, simple intents go to the small one. */
  downgrade: DowngradeMonitor;
  prompt: (g: Grounding) => Prompt;
  /** Deadline for a model's first token once it holds a connection, ms; past it the other model is tried. */
  attemptTimeoutMs: number;
  events?: (e: RoutedEvent) => void;
}

/** Prime customers first, then members, then guests (the design's P0/P1/P2). */
export function priorityOf(customer: Grounding['customer']): Priority {
  return customer.kind === 'prime' ? 0 : customer.kind === 'member' ? 1 : 2;
}

/** A model stream whose first text chunk is in, holding its connection slot. */
interface Opened {
  tier: ModelTier;
  iterator: AsyncIterator<ModelChunk>;
  first: string;
  lease: Lease;
  /** Stops the stream (the connection is closed) and drops the listener on the customer's signal. */
  stop: () => void;
}

/** Creates the routed engine. */
export function createRoutedEngine(opts: RoutedEngineOptions): AnswerEngine {
  const { table, models, pools, guards, downgrade } = opts;
  const emit = (e: RoutedEvent) => opts.events?.(e);
  const other = (tier: ModelTier): ModelTier => (tier === 'large' ? 'small' : 'large');

  /** The tier a model message goes to before anything has failed, and why. */
  function choose(g: Grounding, priority: Priority): { tier: ModelTier; reason: RouteReason } | { tier: 'template' } {
    // The pipeline found the series a comparison names ("Naruto or Bleach?" has no comparison word):
    // the complex case of the design, on the large model whatever intent it came as.
    const compared = g.comparison !== undefined && g.series.length > 1;
    const base = compared ? { route: 'large' as const, reason: 'complex' as const } : baseRoute(table, g.intent, g.text, g.language);
    if (base.route === 'template') return { tier: 'template' };
    let tier: ModelTier = base.route;
    let reason: RouteReason = base.reason;
    if (tier === 'large') {
      // Comparisons need the large model even while it struggles; other simple intents do not.
      if (downgrade.active() && table.downgradable.has(g.intent) && !compared && !isComparison(g.text, g.language)) [tier, reason] = ['small', 'downgrade'];
      else if (priority === 2 && pools.large.underPressure()) [tier, reason] = ['small', 'pressure'];
    }
    if (guards[tier].circuit() === 'open' && guards[other(tier)].circuit() !== 'open') [tier, reason] = [other(tier), 'circuit'];
    return { tier, reason };
  }

  /** Waits for a connection of `tier` by priority, then for the model's first text chunk under the model's guard. */
  async function open(tier: ModelTier, priority: Priority, request: ModelRequest, customer: AbortSignal): Promise<Opened> {
    const lease = await pools[tier].acquire(priority, customer);
    const started = performance.now();
    // The stream has its own controller: the attempt's deadline may cancel it only until the
    // first chunk; after that only the customer (or the end of the answer) stops it.
    const ctl = new AbortController();
    const leave = () => ctl.abort(customer.reason);
    customer.addEventListener('abort', leave, { once: true });
    const stop = () => {
      customer.removeEventListener('abort', leave);
      // Every answer ends so: the reason abort() would make, made once (resilience/abort.ts).
      ctl.abort(ABORTED);
    };
    let iterator: AsyncIterator<ModelChunk> | undefined;
    try {
      const first = await guards[tier].call(
        async (attempt) => {
          const cancel = () => ctl.abort(attempt.reason);
          attempt.addEventListener('abort', cancel, { once: true });
          try {
            iterator = models[tier].stream(request, { signal: ctl.signal })[Symbol.asyncIterator]();
            for (;;) {
              const next = await iterator.next();
              if (attempt.aborted) throw attempt.reason;
              if (next.done) throw new ModelError(models[tier].provider, 'disconnected', 'The model ended its answer before any text.');
              if (next.value.type === 'text' && next.value.text.length > 0) return next.value.text;
            }
          } finally {
            attempt.removeEventListener('abort', cancel);
          }
        },
        { deadlineMs: opts.attemptTimeoutMs, signal: customer, idempotent: false },
      );
      emit({ type: 'call', tier, model: models[tier].model, priority, outcome: 'ok', firstTokenMs: performance.now() - started });
      if (tier === 'large') downgrade.record('ok');
      return { tier, iterator: iterator!, first, lease, stop };
    } catch (error) {
      stop();
      lease.release();
      void iterator?.return?.(undefined)?.catch(() => undefined);
      if (!customer.aborted) {
        const outcome = outcomeOf(error);
        emit({ type: 'call', tier, model: models[tier].model, priority, outcome });
        // A refused checkout says our pool is full, not that the model is unhealthy.
        if (tier === 'large' && outcome !== 'rejected') downgrade.record(outcome);
      }
      throw error;
    }
  }

  return {
    name: `routed:${models.large.model}+${models.small.model}`,
    stream(g: Grounding, { signal }: { signal?: AbortSignal } = {}): AsyncIterableIterator<AnswerChunk> {
      const customer = signal ?? new AbortController().signal;
      // Set once the model's first token is in; from then on its chunks are mapped by `it` below.
      let opened: Opened | undefined;
      const priority = priorityOf(g.customer);

      // Up to the first token (and the whole of a template answer): a generator, once per answer.
      async function* opening(): AsyncGenerator<AnswerChunk> {
        if (customer.aborted) return;
        const choice = choose(g, priority);

        if (choice.tier === 'template') {
          const info: RouteInfo = { route: 'template', model: 'template', reason: 'template', priority, queueMs: 0 };
          emit({ type: 'route', intent: g.intent, info });
          yield { type: 'route', ...info };
          for await (const chunk of opts.templates.stream(g, { signal: customer })) {
            if (chunk.type === 'usage') emit({ type: 'usage', tier: 'template', model: 'template', priority, inputTokens: 0, outputTokens: chunk.outputTokens });
            if (chunk.type === 'token') yield chunk;
          }
          return;
        }

        // The vendor prompt is built when a model reads it, once per answer (both tiers get the same):
        // the `local` and `sim` engines compose from the grounding and never do (buildPrompt was
        // ~3 % of a message's CPU, spent for nothing on the embedded default).
        let prompt: Prompt | undefined;
        const request: ModelRequest = {
          grounding: g,
          get prompt(): Prompt {
            return (prompt ??= opts.prompt(g));
          },
        };
        let { tier, reason } = choice;
        const failedOver: string[] = [];
        let first: Opened;
        try {
          first = await open(tier, priority, request, customer);
        } catch (error) {
          if (customer.aborted) return;
          // Best effort means best effort: a guest refused by a full queue is not pushed onto the other model's queue.
          if (error instanceof PoolRejectedError && priority === 2) throw local(error);
          failedOver.push(models[tier].model);
          [tier, reason] = [other(tier), 'fallback'];
          try {
            first = await open(tier, priority, request, customer);
          } catch (second) {
            if (customer.aborted) return;
            throw local(second);
          }
        }
        opened = first;
        const info: RouteInfo = { route: tier, model: models[tier].model, reason, priority, queueMs: round(first.lease.waitedMs), ...(failedOver.length ? { failedOver } : {}) };
        emit({ type: 'route', intent: g.intent, info });
        yield { type: 'route', ...info };
        yield { type: 'token', text: first.first };
      }

      // After the first token, each chunk is the model's own mapped: a plain iterator rather than
      // the generator's resumption per token (one async-generator hop less per token).
      const head = opening();
      let phase: 'opening' | 'tokens' | 'done' = 'opening';
      const finish = (): void => {
        phase = 'done';
        if (!opened) return;
        opened.stop();
        opened.lease.release();
        void opened.iterator.return?.(undefined)?.catch(() => undefined);
      };
      const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };
      // A break of the model's stream after the first token: reported, and ended clearly.
      const broke = (tier: ModelTier, error: unknown): IteratorResult<AnswerChunk> => {
        if (customer.aborted) {
          finish();
          return DONE;
        }
        emit({ type: 'call', tier, model: models[tier].model, priority, outcome: 'interrupted' });
        if (tier === 'large' && error instanceof ModelError && (error.kind === 'timeout' || error.kind === 'throttled')) downgrade.record(error.kind === 'timeout' ? 'timeout' : 'throttled');
        finish();
        throw new AnswerInterruptedError(`${models[tier].model}: the answer stream broke after the first token`, { cause: error });
      };
      // One result of the model's stream as the answer's chunk; undefined for an empty text (skipped).
      const mapped = (tier: ModelTier, next: IteratorResult<ModelChunk>): IteratorResult<AnswerChunk> | undefined => {
        if (next.done || customer.aborted) {
          finish();
          return DONE;
        }
        const chunk = next.value;
        if (chunk.type === 'text') return chunk.text ? { done: false, value: { type: 'token', text: chunk.text } } : undefined;
        emit({ type: 'usage', tier, model: models[tier].model, priority, inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens });
        return { done: false, value: { type: 'usage', inputTokens: chunk.inputTokens, outputTokens: chunk.outputTokens, model: models[tier].model } };
      };
      const it: AsyncIterableIterator<AnswerChunk> & { ready(): IteratorResult<AnswerChunk> | undefined } = {
        async next(): Promise<IteratorResult<AnswerChunk>> {
          if (phase === 'opening') {
            const r = await head.next();
            if (!r.done) return r;
            if (!opened) {
              phase = 'done';
              return r;
            }
            phase = 'tokens';
          }
          if (phase === 'done' || !opened) return DONE;
          const now = it.ready();
          if (now) return now;
          const { tier, iterator } = opened;
          for (;;) {
            let next: IteratorResult<ModelChunk>;
            try {
              next = await iterator.next();
            } catch (error) {
              return broke(tier, error);
            }
            const out = mapped(tier, next);
            if (out) return out;
          }
        },
        // After the first token, a chunk the model's stream has ready is passed on without a promise (stream-text.ts).
        ready(): IteratorResult<AnswerChunk> | undefined {
          if (phase === 'opening') return undefined;
          if (phase === 'done' || !opened) return DONE;
          const { tier, iterator } = opened;
          const source = iterator as ReadyIterator<ModelChunk>;
          if (!source.ready) return undefined;
          for (;;) {
            let next: IteratorResult<ModelChunk> | undefined;
            try {
              next = source.ready();
            } catch (error) {
              return broke(tier, error);
            }
            if (next === undefined) return undefined;
            const out = mapped(tier, next);
            if (out) return out;
          }
        },
        async return(value?: unknown): Promise<IteratorResult<AnswerChunk>> {
          if (phase === 'opening') await head.return(undefined);
          if (phase !== 'done') finish();
          return { done: true, value: value as undefined };
        },
        [Symbol.asyncIterator]: () => it,
      };
      return it;
    },
  };
}

/**
 * A refused checkout is our own pool being full, not the answer engine failing: the caller's
 * breaker must not count it (or a busy hour would open the circuit for every customer).
 */
function local(error: unknown): unknown {
  return error instanceof PoolRejectedError ? new NotCounted(error) : error;
}

/** How a failed model call counts for the downgrade rule: timeouts and throttling, apart from other errors. */
function outcomeOf(error: unknown): CallOutcomeKind | 'rejected' {
  if (error instanceof PoolRejectedError) return 'rejected';
  if (error instanceof DependencyError) {
    if (error.reason === 'timeout') return 'timeout';
    if (error.reason === 'bulkhead_full') return 'rejected';
    return outcomeOf(error.cause);
  }
  if (error instanceof ModelError) return error.kind === 'throttled' ? 'throttled' : error.kind === 'timeout' ? 'timeout' : 'error';
  return 'error';
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
