// Knowledge-base passages for a question: the store's policies, the section that answers first,
// and the campaigns that change a fee or points answer.
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import type { Promotion } from '../../promotions/types.ts';
import { createPolicySections, earlierQuestions, promotionKindsFor, type PolicySections } from '../../retrieval/policy-sections.ts';
import type { RetrievalResult, ScoredDoc } from '../../retrieval/types.ts';
import type { Intent, Language } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import { shed, type Lookup } from './lookup.ts';
import { notRunningLookup, seriesSaidIn } from './promotions.ts';
import { pointsEstimateLookup } from './points.ts';

/** A question about how many points a purchase earns ("how many points do I get", 「何ポイント付く？」). */
const POINTS_EARNED = /\bhow (?:many|much) (?:mangaassist )?points?\b|\bpoints? (?:would|will|do|does|can|could|should) (?:i|you|we|it|that|this|they)\s*(?:get|earn|receive|give|make)\b|\b(?:earn|get) (?:me )?(?:any )?points?\b|何\s*ポイント|ポイント(?:は|って|が)?(?:いくつ|どれ|どのくらい|何)|ポイント(?:は|が)?(?:付き|つき|もらえ|貯ま|たま)/i;

/** Whether a message asks how many points a purchase earns. */
export function asksPointsEarned(text: string): boolean {
  return POINTS_EARNED.test(text);
}

/** A points question about a purchase in play ("how many points for this order?", 「これ買ったら何ポイント？」). */
const POINTS_AT_PURCHASE = /\b(?:it|this|that|them|these|those|order|one|ones|volumes?|vols?|buy|buying|purchase)\b|これ|この|それ|その|注文|買|購入|巻/i;

/**
 * The passages of a question answered from the knowledge base (a policy question, a product
 * question, a request for a person), once retrieval is in; for a fee or points answer, the
 * campaigns that change it.
 */
export function policyLookup(lk: Lookup, grounding: Grounding, retrieval: Promise<RetrievalResult | undefined>, intent: Intent, needsRetrieval: boolean, text: string, language: Language, history: StoredMessage[], tier3: boolean): Promise<void> {
  const { deps, guard, visible, now, policySections, ctx, customer } = lk;
  return retrieval.then(async (r) => {
    // Not asked of retrieval (the message read as another intent at first, then as a policy
    // question): the knowledge base's sections are ranked without its hits.
    const asked = r ?? (needsRetrieval ? undefined : { hits: [], timings: { lexicalMs: 0, vectorMs: 0, rerankMs: 0 } });
    grounding.passages = intent === 'faq' ? policyPassagesFor(asked, { text, language, context: earlierQuestions(history) }, policySections) : passagesFor(r, language);
    // A fee or points answer while a campaign changes it ("free shipping on every order until
    // Christmas"): the running store-wide promotions of that kind go with it (tier 3).
    const found = intent === 'faq' && grounding.passages[0] ? promotionKindsFor(grounding.passages[0].doc, text) : [];
    // "How many points would I get?" is about earning, whichever section ranked first (the digital page's "Payment").
    const kinds = intent === 'faq' && asksPointsEarned(text) && !found.includes('points_multiplier') ? [...found, 'points_multiplier'] : found;
    if (kinds.length > 0 && tier3) {
      // A points question about one series ("how many points on Frieren?"): its own campaign too, first.
      // ...and one it names that is not running ("free shipping during Golden Week?"): said so.
      const [promos, series] = await Promise.all([
        callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now() })),
        kinds.includes('points_multiplier') ? seriesSaidIn(lk, text) : Promise.resolve(undefined),
        notRunningLookup(lk, grounding, text),
      ]);
      const forSeries = (p: Promotion) => series !== undefined && visible(series, customer) && p.seriesIds.includes(series.id);
      if (promos.ok) grounding.promotions = promos.value.filter((p) => kinds.includes(p.kind) && (p.seriesIds.length === 0 || forSeries(p))).sort((a, b) => Number(forSeries(b)) - Number(forSeries(a)));
      else deps.onFallback?.('promotions');
      // How many points a purchase earns: the series named, else the one the last answer was about
      // when the message points at it ("this order", 「これ」), at the customer's rate and campaign.
      // ...or right after an answer that priced a volume ("電子版だと？" then 「ポイントは何ポイントつく？」): that volume.
      const last = history.filter((m) => m.role === 'assistant').at(-1);
      const pricedVolume = last?.about?.focus !== undefined && last.about.volume !== undefined;
      const inPlay = kinds.includes('points_multiplier') && !series && (POINTS_AT_PURCHASE.test(text) || pricedVolume) ? last : undefined;
      const pointsSeries = series?.id ?? inPlay?.about?.focus ?? inPlay?.seriesIds?.[0];
      if (kinds.includes('points_multiplier') && pointsSeries) {
        const running = promos.ok ? promos.value.filter((p) => p.seriesIds.length === 0 || p.seriesIds.includes(pointsSeries)) : [];
        await pointsEstimateLookup(lk, grounding, pointsSeries, text, language, history, running);
      }
    } else if (kinds.length > 0) {
      shed(deps, 'promotions');
      deps.onFallback?.('promotions');
    }
  });
}

/**
 * Knowledge-base passages, the customer's language first, grouped by topic: the topic most of
 * the top hits agree on comes first. One stray section that mentions "returns" inside the
 * preorder policy must not outrank the returns policy whose sections fill the rest of the list.
 */
export function passagesFor(r: RetrievalResult | undefined, language: Language): ScoredDoc[] {
  const kb = (r?.hits ?? []).filter((h) => h.doc.kind === 'kb');
  const mine = kb.filter((h) => h.doc.language === language);
  const pool = mine.length > 0 ? mine : kb;
  const byTopic = new Map<string, ScoredDoc[]>();
  for (const h of pool) byTopic.set(h.doc.ref, [...(byTopic.get(h.doc.ref) ?? []), h]);
  const weight = (hits: ScoredDoc[]) => hits.slice(0, 3).reduce((sum, h) => sum + h.score, 0);
  const topics = [...byTopic.values()].sort((a, b) => weight(b) - weight(a));
  return topics.flat().slice(0, 5);
}

/**
 * The knowledge-base sections for a policy question, the one that answers it first (the local
 * engine quotes it; a model is told to answer from it first). Ranked over the whole knowledge base
 * when it is known, with retrieval's hits as a nudge; else over the hits alone. Nothing when
 * retrieval failed: the answer then comes from built-in knowledge, honestly labelled.
 */
export function policyPassagesFor(r: RetrievalResult | undefined, q: { text: string; language: Language; context: string[] }, sections?: PolicySections): ScoredDoc[] {
  if (!r) return [];
  const retrieved = r.hits.filter((h) => h.doc.kind === 'kb');
  const ranker = sections ?? createPolicySections(retrieved.map((h) => h.doc));
  const ranked = ranker.rank({ text: q.text, language: q.language, context: q.context, retrieved });
  // Over the whole knowledge base, nothing ranked means no section answers: said so, never a stray hit.
  return ranked.length > 0 || sections ? ranked : passagesFor(r, q.language);
}
