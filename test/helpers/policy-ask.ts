/**
 * The policy-section tests' one question: which knowledge-base section answers a customer's text
 * (after the conversation's earlier questions, most recent first), and what that section answers.
 * Over the shipped knowledge base (data/kb), the way the chat's policy lookup ranks it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import { answerFrom, createPolicySections, sectionHeading } from '../../src/retrieval/policy-sections.ts';
import { detectLanguage } from '../../src/understanding/language.ts';

/** The shipped knowledge base. */
export const KB = loadKnowledgeBase(join(fileURLToPath(new URL('../../data/kb/', import.meta.url))));
/** Its policy sections, ranked as the chat ranks them. */
export const sections = createPolicySections(KB);

/** The best section (`<page>/<heading>`) for `text` after the earlier questions `after`, and its answer's lines joined. */
export function askPolicy(text: string, after: string[] = []): { section: string; answer: string } {
  const [best] = sections.rank({ text, language: detectLanguage(text) as 'en' | 'ja', context: after });
  assert.ok(best, `a section for "${text}"`);
  return { section: `${best.doc.ref}/${sectionHeading(best.doc).heading}`, answer: answerFrom(best.doc, { text, context: after }).answer.map((l) => l.text).join(' ') };
}

/** Only the best section's name (`<page>/<heading>`). */
export function policySection(text: string, after: string[] = []): string {
  return askPolicy(text, after).section;
}
