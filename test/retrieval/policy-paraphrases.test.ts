import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { factMisses } from '../../bench/conversations/checks.ts';
import type { FactRule } from '../../bench/conversations/store-facts.ts';
import { loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import { answerFrom, createPolicySections, sectionHeading } from '../../src/retrieval/policy-sections.ts';
import type { IndexedDoc } from '../../src/retrieval/types.ts';
import { FACT_PARAPHRASES, SECTION_PARAPHRASES } from './policy-paraphrases.ts';

// The store's own knowledge base and its policy facts (each tied to the page that states it).
const KB = loadKnowledgeBase(join(fileURLToPath(new URL('../../data/kb/', import.meta.url))));
const FACTS: Record<string, { expect: Record<'en' | 'ja', FactRule> }> = JSON.parse(readFileSync(fileURLToPath(new URL('../../data/eval/conversations/facts.json', import.meta.url)), 'utf8'));
const sections = createPolicySections(KB);
const name = (d: IndexedDoc) => `${d.ref}/${sectionHeading(d).heading}`;
const LANGUAGES = ['en', 'ja'] as const;

function best(text: string, language: 'en' | 'ja'): IndexedDoc {
  const [top] = sections.rank({ text, language });
  assert.ok(top, `no section for "${text}"`);
  return top.doc;
}

describe('policy paraphrases: a customer asking about any section in their own words gets it', () => {
  for (const q of SECTION_PARAPHRASES) {
    for (const language of LANGUAGES) {
      it(`[${language}] ${q[language]} → ${q.sections[0]}`, () => {
        const got = name(best(q[language], language));
        assert.ok(q.sections.some((s) => got.startsWith(s)), `got ${got}`);
      });
    }
  }

  it('every section of the knowledge base, in both languages, has a paraphrase that should reach it', () => {
    const covered = (d: IndexedDoc) => SECTION_PARAPHRASES.some((q) => q.sections.some((s) => name(d).startsWith(s)));
    const answeredByFact = new Set(FACT_PARAPHRASES.flatMap((q) => LANGUAGES.map((l) => best(q[l], l).id)));
    const missing = KB.filter((d) => d.kind === 'kb' && sectionHeading(d).heading !== '' && !covered(d) && !answeredByFact.has(d.id)).map((d) => `${d.language} ${name(d)}`);
    assert.deepEqual(missing, []);
  });
});

describe('policy paraphrases: the section found gives the fact asked for', () => {
  for (const q of FACT_PARAPHRASES) {
    for (const language of LANGUAGES) {
      it(`[${language}] ${q[language]} → ${q.fact}`, () => {
        const doc = best(q[language], language);
        const { answer } = answerFrom(doc, { text: q[language] });
        // As the answer is shown: under its heading when it leaves the subject to it.
        const text = `${sectionHeading(doc).heading}: ${answer.map((l) => l.text).join(language === 'ja' ? '' : ' ')}`;
        assert.deepEqual(factMisses(text, FACTS[q.fact].expect[language], language), [], `${name(doc)}: ${text}`);
      });
    }
  }
});
