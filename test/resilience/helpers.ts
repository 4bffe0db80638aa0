import { createRng } from '../../src/loadgen/random.ts';

/** A seeded random source (the load generator's pure-rand one): the same sequence on every run, so jitter tests cannot flake. */
export function seededRandom(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.float();
}

/** A promise with its resolve/reject exposed. */
export function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
export const flush = () => new Promise<void>((r) => setImmediate(r));
