/** Options of one publish. */
export interface PublishOptions {
  /**
   * Also keep the message as the topic's latest under this key. A process that subscribes later
   * (a worker started after a crash) is handed the latest message of every key of the topic
   * first, in publication order. Retained messages describe state: applying one twice must be
   * harmless.
   */
  retain?: string;
}

/** Handles one topic's messages; what it returns (resolved, unless undefined) is one of the publisher's answers. */
export type BusHandler = (message: unknown) => unknown;

/**
 * Port: a message bus between the processes of the service. Adapters: in-process (the service is
 * one process), cluster IPC (node:cluster workers, through the primary) and Redis pub/sub (the
 * nodes of a fleet; redis-bus.ts says what "every process" means there: the nodes present when
 * the message went out). Messages and answers travel as JSON, so handlers get a copy and
 * `undefined` arrives as `null`.
 */
export interface MessageBus {
  /**
   * Delivers `message` to every subscriber of `topic` in every process on the bus, the
   * publisher's own included, and resolves with their answers once every live process has
   * handled it (a process that exits meanwhile is not waited for). Every process handles one
   * topic's messages one at a time, in the same order. Rejects with a BusError when a handler
   * threw (the other handlers still ran) or a process did not answer in time.
   */
  publish(topic: string, message: unknown, opts?: PublishOptions): Promise<unknown[]>;
  /** Handles `topic` from now on; its retained messages are handed to `handler` before this returns. Returns the unsubscribe. */
  subscribe(topic: string, handler: BusHandler): () => void;
  close(): Promise<void>;
}

/** A publish that did not reach every subscriber: a handler threw, or a process did not answer in time. */
export class BusError extends Error {
  /** One line per failure: the handler's error message, or who did not answer. */
  readonly failures: string[];
  constructor(topic: string, failures: string[]) {
    super(`bus topic "${topic}": ${failures.join('; ')}`);
    this.name = 'BusError';
    this.failures = failures;
  }
}
