// A title asked for in another language ("do you sell Spy x Family in English?", 「ワンピースの英語版ありますか？」):
// the store sells the Japanese editions, so that is said first — from the knowledge base's line on
// the editions' language — and then what the store has of the title (lead's probe L7, session 24).
// Without it the answer was the series' summary alone, as if the English edition were on sale.
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import { conceptsOf, earlierQuestions } from '../../retrieval/policy-sections.ts';
import type { Language } from '../../understanding/types.ts';
import { CATALOG_INTENTS, type Lookup } from './lookup.ts';

/** Adds, before the answer about the title found, the knowledge base's answer on the language of the editions sold. */
export function editionLanguageFirst(lk: Lookup, g: Grounding, text: string, questions: string[], language: Language, history: StoredMessage[]): void {
  // One question about a title (a message that asked the language apart already answers it as its own question).
  if (!lk.policySections || !CATALOG_INTENTS.has(g.intent) || g.intent === 'recommendation' || g.series.length === 0 || questions.length !== 1) return;
  if (!conceptsOf(text, true).has('edition-language')) return;
  const question = { text, context: earlierQuestions(history) };
  const passages = lk.policySections.rank({ text, language, context: question.context });
  // Only a section that speaks of the editions' language answers it (not a page the title's words matched).
  if (!passages[0] || !conceptsOf(passages[0].doc.text).has('edition-language')) return;
  const policy: Grounding = { intent: 'faq', language, text, history: g.history, customer: g.customer, series: [], passages, orders: [], promotions: [], reviews: [], degraded: [], links: g.links, question, first: true };
  g.also = [policy, ...(g.also ?? [])];
}
