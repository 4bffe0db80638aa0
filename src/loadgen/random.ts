import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded random source: the same `--seed` gives the same sessions, messages and arrivals. */
export interface Rng {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Uniform real in [min, max]. */
  between(min: number, max: number): number;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** One key, with probability proportional to its weight. */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K;
}

/** A seeded generator (xoroshiro128+ from pure-rand). */
export function createRng(seed: number): Rng {
  const gen = xoroshiro128plus(seed | 0);
  // The generator's first outputs for small seeds sit near 1; a few draws decorrelate them.
  for (let i = 0; i < 8; i++) uniformFloat64(gen);
  const float = () => uniformFloat64(gen);
  return {
    float,
    int: (min, max) => min + Math.floor(float() * (max - min + 1)),
    between: (min, max) => min + float() * (max - min),
    pick: (items) => items[Math.floor(float() * items.length)],
    weighted(weights) {
      const entries = Object.entries(weights).filter(([, w]) => (w as number) > 0) as [string, number][];
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = float() * total;
      for (const [k, w] of entries) {
        x -= w;
        if (x < 0) return k as never;
      }
      return entries[entries.length - 1][0] as never;
    },
  };
}
