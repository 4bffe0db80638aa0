import { asJson, createDispatcher } from './dispatcher.ts';
import { BusError, type MessageBus } from './types.ts';

/** Options of the message buses. */
export interface BusOptions {
  /** Longest wait for every process to handle a message; past it publish rejects. @default 5000 */
  timeoutMs?: number;
  /** Hears handlers that threw while retained messages were replayed to them. @default a process warning */
  onError?: (err: unknown) => void;
}

/** The default wait for every process to handle a message. */
export const BUS_TIMEOUT_MS = 5000;

/**
 * The bus of a service that is one process: publish reaches this process's subscribers. Messages
 * are JSON copies, as over IPC or Redis, so code that works here does not break on a fleet.
 */
export function createInProcessMessageBus(opts: BusOptions = {}): MessageBus {
  const timeoutMs = opts.timeoutMs ?? BUS_TIMEOUT_MS;
  const dispatcher = createDispatcher(opts.onError ?? warnBusError);
  let closed = false;
  return {
    async publish(topic, message, publishOpts) {
      if (closed) throw new BusError(topic, ['the bus is closed']);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new BusError(topic, [`this process did not handle the message within ${timeoutMs} ms`])), timeoutMs);
      });
      try {
        const handled = await Promise.race([dispatcher.deliver(topic, asJson(message), publishOpts?.retain), late]);
        if (handled.errors.length) throw new BusError(topic, handled.errors);
        return handled.answers.map(asJson);
      } finally {
        clearTimeout(timer);
      }
    },
    subscribe: (topic, handler) => dispatcher.subscribe(topic, handler),
    async close() {
      closed = true;
      dispatcher.clear();
    },
  };
}

/** Where bus handler errors go when the caller gave no `onError`: visible, without crashing the process. */
export function warnBusError(err: unknown): void {
  process.emitWarning(`message bus: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, 'MessageBusWarning');
}
