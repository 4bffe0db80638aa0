// Knowledge-base passages for a question: the store's policies, the section that answers first.
import { createPolicySections, type PolicySections } from '../../retrieval/policy-sections.ts';
import type { RetrievalResult, ScoredDoc } from '../../retrieval/types.ts';
import type { Language } from '../../understanding/types.ts';

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
