import { INTENTS, type Intent, type Language } from '../../understanding/types.ts';
import type { Route, RouteReason, RoutingTable } from './types.ts';

const ROUTES: readonly Route[] = ['template', 'small', 'large'];

/** The design's tiers: chit-chat from templates, simple intents on the small model, the rest on the large one. */
export const DEFAULT_ROUTES: Readonly<Record<Intent, Route>> = Object.freeze({
  chitchat: 'template',
  order_status: 'small',
  promotion: 'small',
  out_of_scope: 'small',
  escalation: 'small',
  faq: 'large',
  price_availability: 'large',
  product_search: 'large',
  product_question: 'large',
  recommendation: 'large',
});

/** Intents that move to the small model while the large one is unhealthy: all but recommendation. */
export const DEFAULT_DOWNGRADABLE: ReadonlySet<Intent> = new Set(INTENTS.filter((i) => i !== 'recommendation'));

/** The default routing table (a fresh copy, safe to change). */
export function defaultRoutingTable(): RoutingTable {
  return { routes: { ...DEFAULT_ROUTES }, downgradable: new Set(DEFAULT_DOWNGRADABLE) };
}

const isIntent = (s: string): s is Intent => (INTENTS as readonly string[]).includes(s);
const isRoute = (s: string): s is Route => (ROUTES as readonly string[]).includes(s);

/**
 * Parses a route override such as "chitchat=template,faq=small" (config). Whitespace around
 * items is ignored and an empty spec gives no overrides; an unknown intent or route, an item
 * without "=", or an intent named twice throws.
 */
export function parseRoutes(spec: string): Partial<Record<Intent, Route>> {
  const out: Partial<Record<Intent, Route>> = {};
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) throw new Error(`routes: "${item}" is not intent=route (e.g. "faq=small")`);
    const intent = item.slice(0, eq).trim();
    const route = item.slice(eq + 1).trim();
    if (!isIntent(intent)) throw new Error(`routes: unknown intent "${intent}" in "${item}"; known intents: ${INTENTS.join(', ')}`);
    if (!isRoute(route)) throw new Error(`routes: unknown route "${route}" for ${intent}; routes are ${ROUTES.join(', ')}`);
    if (intent in out) throw new Error(`routes: intent "${intent}" is given twice`);
    out[intent] = route;
  }
  return out;
}

// Comparison cues. English needs word boundaries ("vs" inside "canvas" is not one); "which is
// better" covers "which one is better" too; "X or Y, which..." and "which..., X or Y" are the
// two orders of the either-or question. Text is NFKC-normalised first, so full-width "ＶＳ"
// matches.
const EN_COMPARISON: readonly RegExp[] = [
  /\bvs\b\.?/i,
  /\bversus\b/i,
  /\bcompar(e|ed|es|ing|ison|isons)\b/i,
  /\bwhich(\s+one)?\s+(is|'s|are|would be|was)\s+(better|best|worse|cheaper|longer|shorter|more \w+)\b/i,
  /\b(better|worse)\s+than\b/i,
  /\bdifferences?\s+between\b/i,
  /\bhow\s+(is|are|does|do)\b[^?.!]*\bdiffer(ent)?\s+from\b/i,
  /\bor\b[^?.!,]*,\s*which\b/i,
  /\bwhich\b[^?.!,]*,\s*[^?.!,]+\bor\b/i,
];

// 違い excludes 間違い/勘違い (mistake, misunderstanding: "注文が間違いでした" is no comparison);
// "AとBどっち/どちら" needs the と before it, while "どっちが/どちらが" alone already asks to choose;
// どちらで/へ/から/まで is the polite "where" ("返品と交換はどちらで受け付けていますか").
const JA_COMPARISON: readonly RegExp[] = [
  /比較/,
  /比べ/,
  /どっちが/,
  /どちらが/,
  /(?<![間勘])違い/,
  /\bvs\b/i,
  /と.{0,30}?(どっち|どちら(?![でへ]|から|まで))/,
];

/** True when the message asks to compare two or more things (those go to the large model). */
export function isComparison(text: string, language: Language): boolean {
  const t = text.normalize('NFKC');
  return (language === 'ja' ? JA_COMPARISON : EN_COMPARISON).some((re) => re.test(t));
}

/**
 * The tier of a message before health and pressure are considered: template intents stay on
 * templates, a comparison goes to the large model whatever its intent's tier (weighing two
 * products against each other is the complex case of the design, even when the intent, e.g.
 * price_availability, is otherwise simple), otherwise the table's tier.
 */
export function baseRoute(table: RoutingTable, intent: Intent, text: string, language: Language): { route: Route; reason: RouteReason } {
  const route = table.routes[intent];
  if (route === 'template') return { route, reason: 'template' };
  if (isComparison(text, language)) return { route: 'large', reason: 'complex' };
  return { route, reason: route === 'small' ? 'simple' : 'complex' };
}
