import type { Order } from '../orders/types.ts';

const DAY_MS = 86_400_000;

/** Orders that never reached the customer do not count as demand. */
const NOT_SOLD = new Set<Order['status']>(['cancelled', 'returned']);

/** Units ordered per series since `since`, mapping order lines to series through their product. */
export async function unitsBySeries(
  orders: Order[],
  seriesOfProduct: (productId: string) => Promise<string | undefined>,
  since: Date,
): Promise<Map<string, number>> {
  const units = new Map<string, number>();
  const from = since.getTime();
  for (const order of orders) {
    if (NOT_SOLD.has(order.status)) continue;
    const placed = Date.parse(order.placedAt);
    if (!(placed >= from)) continue;
    for (const line of order.lines) {
      const seriesId = await seriesOfProduct(line.productId);
      if (seriesId) units.set(seriesId, (units.get(seriesId) ?? 0) + line.quantity);
    }
  }
  return units;
}

/** A volume that makes a series newsworthy: just out, or coming soon. */
export interface ReleaseSignal {
  date: string;
  upcoming: boolean;
  /** 1 on release day, falling to 0 at the edges of the window. */
  strength: number;
}

/**
 * The release closest to `now` among `releaseDates` (ISO dates) within `pastDays` before or
 * `upcomingDays` after it.
 */
export function releaseSignal(releaseDates: string[], now: Date, pastDays: number, upcomingDays: number): ReleaseSignal | undefined {
  let best: ReleaseSignal | undefined;
  for (const date of releaseDates) {
    const days = (Date.parse(date) - now.getTime()) / DAY_MS;
    if (!Number.isFinite(days)) continue;
    const upcoming = days > 0;
    if (upcoming ? days > upcomingDays : -days > pastDays) continue;
    const strength = 1 - Math.abs(days) / (upcoming ? upcomingDays : pastDays);
    if (!best || strength > best.strength) best = { date, upcoming, strength };
  }
  return best;
}

/** `days` days before `now`. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
