// Points a purchase would earn ("how many points would I get for Frieren 1-3?", 「この注文で何ポイントつく？」):
// the volumes asked (or in play), their live prices, the customer's rate from the points policy and
// the running points campaign that applies. Guests earn none; the answer says what a member would.
import type { Product, ProductFormat } from '../../catalog/types.ts';
import type { Grounding, PointsEstimate } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import type { Promotion } from '../../promotions/types.ts';
import type { Language } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import type { Lookup } from './lookup.ts';
import { localTitle } from './series.ts';

/**
 * Base earning rates in percent of the item price, from the points policy (data/kb/*\/points.md,
 * "Earning points": members 1 %, Prime 3 %; guest orders earn none).
 */
export const BASE_RATE_PERCENT = { guest: 0, member: 1, prime: 3 } as const;

/** A points campaign only for Prime members ("Prime: double points"): it applies to them alone. */
const PRIME_ONLY = /\bprime\b|プライム/i;

/**
 * The running points campaign that applies to this series for this customer: the one that
 * multiplies most. Campaigns multiply the base rate (the points policy); one is applied, not a
 * product of several, so the figure is never more than the store gives.
 */
export function pointsCampaign(promotions: Promotion[], seriesId: string, tier: 'guest' | 'member' | 'prime'): Promotion | undefined {
  const applies = (p: Promotion) =>
    p.kind === 'points_multiplier' && (p.value ?? 1) > 1 && (p.seriesIds.length === 0 || p.seriesIds.includes(seriesId)) && (tier === 'prime' || !PRIME_ONLY.test(`${p.title} ${p.titleJa}`));
  return promotions.filter(applies).sort((a, b) => (b.value ?? 1) - (a.value ?? 1))[0];
}

/** The products priced for the estimate: each volume asked, in the format asked (print by default). */
export function pricedVolumes(products: Product[], volumes: number[], format: ProductFormat | undefined): Product[] {
  const order: ProductFormat[] = format ? [format] : ['tankobon', 'kanzenban', 'digital'];
  const out: Product[] = [];
  for (const v of volumes) {
    const p = order.map((f) => products.find((x) => x.volume === v && x.format === f)).find(Boolean);
    if (p) out.push(p);
  }
  return out;
}

/** Points earned on `subtotal` at `ratePercent` times `multiplier`, rounded down per order (the points policy). */
export function pointsFor(subtotal: number, ratePercent: number, multiplier: number): number {
  return Math.floor((subtotal * ratePercent * multiplier) / 100);
}

/**
 * The estimate for a points question about a series: the volumes named in the message, else
 * the ones the last answer was about, else volume 1. Nothing when no volume is on sale.
 */
export async function pointsEstimateLookup(lk: Lookup, g: Grounding, seriesId: string, text: string, language: Language, history: StoredMessage[], promotions: Promotion[]): Promise<void> {
  const { deps, guard, ctx, customer, visible } = lk;
  const entities = deps.extractEntities(text, language);
  const about = history.filter((m) => m.role === 'assistant').at(-1)?.about;
  const sameSeries = about?.focus === seriesId;
  const volumes = entities.volumes ?? (entities.volume !== undefined ? [entities.volume] : sameSeries ? (about?.volumes ?? (about?.volume !== undefined ? [about.volume] : undefined)) : undefined) ?? [1];
  const format = (entities.format ?? (sameSeries ? about?.format : undefined)) as ProductFormat | undefined;
  const [series, products] = await Promise.all([
    callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeries(seriesId, { signal })),
    callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getProducts(seriesId, { signal }), { segment: 'products' }),
  ]);
  if (!series.ok || !series.value || !products.ok || !visible(series.value, customer)) return;
  const items = pricedVolumes(products.value, volumes, format);
  if (items.length === 0) return;
  const tier = customer.kind;
  const subtotal = items.reduce((sum, p) => sum + p.priceJpy, 0);
  // A guest earns nothing: the figure a member would earn, so the answer can say what signing up gives.
  const rateTier = tier === 'guest' ? 'member' : tier;
  const campaign = pointsCampaign(promotions, seriesId, rateTier);
  const multiplier = campaign?.value ?? 1;
  const estimate: PointsEstimate = {
    seriesId,
    title: localTitle(series.value, g.language),
    items: items.map((p) => ({ volume: p.volume, format: p.format, priceJpy: p.priceJpy })),
    subtotal,
    tier,
    ratePercent: BASE_RATE_PERCENT[rateTier],
    multiplier,
    points: tier === 'guest' ? 0 : pointsFor(subtotal, BASE_RATE_PERCENT[rateTier], multiplier),
    memberPoints: tier === 'guest' ? pointsFor(subtotal, BASE_RATE_PERCENT.member, multiplier) : undefined,
  };
  if (campaign) estimate.campaign = campaign;
  g.pointsEstimate = estimate;
}
