import type { BusHandler } from './types.ts';

/** What one process's subscribers made of one message: their answers (undefined left out) and the messages of their errors. */
export interface Handled {
  answers: unknown[];
  errors: string[];
}

/** A retained message: topic, key, message. */
export type Retained = [topic: string, key: string, message: unknown];

/**
 * One process's side of a bus: its subscriptions, its copy of the retained messages and the
 * one-at-a-time delivery of each topic. Every adapter delivers through one of these.
 */
export interface Dispatcher {
  subscribe(topic: string, handler: BusHandler): () => void;
  /** Runs the topic's handlers (those subscribed now) after the topic's previous message is handled; never rejects. */
  deliver(topic: string, message: unknown, retain?: string): Promise<Handled>;
  /** Every retained message, in publication order. */
  retained(): Retained[];
  /** Takes over retained messages (a worker joining the bus) without handling them. */
  restore(entries: Retained[]): void;
  clear(): void;
}

/** Creates an empty dispatcher; `onError` hears handlers that threw while retained messages were replayed to them. */
export function createDispatcher(onError: (err: unknown) => void): Dispatcher {
  const handlers = new Map<string, Set<BusHandler>>();
  // Insertion order is publication order: a key published again moves to the end.
  const kept = new Map<string, Map<string, unknown>>();
  const chains = new Map<string, Promise<unknown>>();

  function keep(topic: string, key: string, message: unknown): void {
    let byKey = kept.get(topic);
    if (!byKey) kept.set(topic, (byKey = new Map()));
    byKey.delete(key);
    byKey.set(key, message);
  }

  return {
    subscribe(topic, handler) {
      // A wrapper per subscription, so subscribing one function twice gives two subscriptions.
      const entry: BusHandler = (m) => handler(m);
      let set = handlers.get(topic);
      if (!set) handlers.set(topic, (set = new Set()));
      set.add(entry);
      for (const message of kept.get(topic)?.values() ?? []) {
        try {
          void Promise.resolve(entry(message)).catch(onError);
        } catch (err) {
          onError(err);
        }
      }
      return () => {
        handlers.get(topic)?.delete(entry);
      };
    },
    deliver(topic, message, retain) {
      if (retain !== undefined) keep(topic, retain, message);
      // Those subscribed when the message arrived; a later subscriber gets it as retained, if it is.
      const targets = [...(handlers.get(topic) ?? [])];
      const run = (chains.get(topic) ?? Promise.resolve()).then(async (): Promise<Handled> => {
        const settled = await Promise.allSettled(targets.map(async (h) => h(message)));
        const out: Handled = { answers: [], errors: [] };
        for (const s of settled) {
          if (s.status === 'rejected') out.errors.push(s.reason instanceof Error ? s.reason.message : String(s.reason));
          else if (s.value !== undefined) out.answers.push(s.value);
        }
        return out;
      });
      chains.set(topic, run);
      void run.then(() => {
        if (chains.get(topic) === run) chains.delete(topic);
      });
      return run;
    },
    retained() {
      return [...kept].flatMap(([topic, byKey]) => [...byKey].map(([key, message]): Retained => [topic, key, message]));
    },
    restore(entries) {
      for (const [topic, key, message] of entries) keep(topic, key, message);
    },
    clear() {
      handlers.clear();
      kept.clear();
    },
  };
}

/** The message as it would arrive through IPC or Redis: a JSON copy, `undefined` as `null`. */
export function asJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
