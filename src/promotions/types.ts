import type { CallOptions } from '../shared/call.ts';

export interface Promotion {
  id: string;
  title: string;
  titleJa: string;
  description: string;
  descriptionJa: string;
  /** e.g. 'percent_off' | 'points_multiplier' | 'free_shipping' | 'bundle' */
  kind: string;
  /** Percent off, points multiplier, etc., per `kind`. */
  value?: number;
  /** Series the promotion applies to; empty means store-wide. */
  seriesIds: string[];
  startsAt: string;
  endsAt: string;
  code?: string;
}

/** Port: promotions (tier 3). */
export interface PromotionService {
  /**
   * Promotions running at `now` — or, with `until`, at any moment of [now, until), so a cache can
   * hold the ones about to start — optionally only those that apply to the given series
   * (store-wide ones always apply).
   */
  active(opts?: CallOptions & { now?: Date; until?: Date; seriesIds?: string[] }): Promise<Promotion[]>;
}
