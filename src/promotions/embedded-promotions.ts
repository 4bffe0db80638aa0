import type { Promotion, PromotionService } from './types.ts';
import { loadPromotionsFile } from './promotions-file.ts';

/** Options of the embedded promotions. */
export interface EmbeddedPromotionsOptions {
  /** Clock used when a call gives no `now`. @default () => new Date() */
  clock?: () => Date;
}

interface Indexed {
  promotion: Promotion;
  starts: number;
  ends: number;
  series: Set<string>;
}

/** Promotions held in memory (a few dozen at most); the window is [startsAt, endsAt). */
export function createEmbeddedPromotions(promotions: Promotion[], options: EmbeddedPromotionsOptions = {}): PromotionService {
  const clock = options.clock ?? (() => new Date());
  const indexed: Indexed[] = promotions.map((p) => {
    const starts = Date.parse(p.startsAt);
    const ends = Date.parse(p.endsAt);
    if (Number.isNaN(starts) || Number.isNaN(ends)) throw new Error(`promotion ${p.id}: unreadable startsAt/endsAt`);
    if (ends <= starts) throw new Error(`promotion ${p.id}: ends before it starts`);
    return { promotion: p, starts, ends, series: new Set(p.seriesIds) };
  });
  // Sorted once by end date (soonest first: the most urgent offer leads), id breaking ties.
  indexed.sort((a, b) => a.ends - b.ends || (a.promotion.id < b.promotion.id ? -1 : a.promotion.id > b.promotion.id ? 1 : 0));

  return {
    async active(opts) {
      opts?.signal?.throwIfAborted();
      const at = (opts?.now ?? clock()).getTime();
      // [at, until) overlaps [starts, ends); without `until`, the instant `at` alone.
      const until = Math.max(at + 1, opts?.until?.getTime() ?? at + 1);
      const wanted = opts?.seriesIds;
      const result: Promotion[] = [];
      for (const p of indexed) {
        if (until <= p.starts || at >= p.ends) continue;
        const storeWide = p.series.size === 0;
        if (wanted && !storeWide && !wanted.some((s) => p.series.has(s))) continue;
        // Copies, so a caller editing a result cannot change what the next customer sees.
        result.push({ ...p.promotion, seriesIds: [...p.promotion.seriesIds] });
      }
      return result;
    },
  };
}

/** Loads the promotions JSON file at `path` into an embedded promotion service. */
export async function loadEmbeddedPromotions(path: string, options?: EmbeddedPromotionsOptions): Promise<PromotionService> {
  return createEmbeddedPromotions(await loadPromotionsFile(path), options);
}
