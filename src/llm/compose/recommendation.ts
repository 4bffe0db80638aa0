/** Recommendations: 3-5 series, each with a short reason taken from the recommender's reasons. */
import type { SeriesWithProducts } from '../types.ts';
import { seriesTitle, type Composer, type ComposeContext } from './context.ts';

const MAX_PICKS = 5;
const MAX_REASONS = 2;

/** Splits 'genre:Romance' (optionally prefixed 'recommendation:') into kind and value. */
function parseReason(raw: string): [string, string] {
  const r = raw.startsWith('recommendation:') ? raw.slice('recommendation:'.length) : raw;
  const i = r.indexOf(':');
  return i < 0 ? [r, ''] : [r.slice(0, i), r.slice(i + 1)];
}

function isPopularity(raw: string): boolean {
  const [kind] = parseReason(raw);
  return kind === 'popular' || kind === 'trending';
}

function reasonsFor(ctx: ComposeContext, e: SeriesWithProducts): string[] {
  const { m } = ctx;
  const out: string[] = [];
  for (const raw of e.reasons ?? []) {
    const [kind, value] = parseReason(raw);
    const text = m.reason(kind, value);
    if (text && !out.includes(text)) out.push(text);
    if (out.length === MAX_REASONS) break;
  }
  // Without a usable reason, the series' own genres still tell the customer why it might fit.
  if (out.length === 0 && e.series.genres.length) out.push(m.genresReason(e.series.genres.slice(0, 2).map(m.label)));
  return out;
}

/** Lists the recommended series with why each was picked; says "popular right now" when that is why. */
export const composeRecommendation: Composer = (ctx) => {
  const { g, m } = ctx;
  if (g.series.length === 0) {
    return [g.degraded.includes('catalog') ? m.catalogDown(g.links.search) : m.noRecommendations(g.links.search)];
  }
  const picks = g.series.slice(0, MAX_PICKS);
  const popular = picks.some((e) => (e.reasons ?? []).some(isPopularity));
  let lead = m.recommendLead;
  if (g.degraded.includes('recommendations')) lead = popular ? m.popularFallbackLead : m.recommendLead;
  else if (popular && picks.every((e) => (e.reasons ?? []).some(isPopularity))) lead = m.popularLead;
  const lines = [lead];
  picks.forEach((e, i) => {
    const authors = e.series.authors.length ? m.authors(e.series.authors) : '';
    lines.push(m.bullet(m.recommendItem(seriesTitle(ctx, e.series), authors, reasonsFor(ctx, e)), i));
  });
  lines.push(m.recommendFollowUp);
  return lines;
};
