/** faq: answers from the best knowledge-base passage, quoting its most relevant sentences. */
import type { ScoredDoc } from '../../retrieval/types.ts';
import { splitSentences, type Composer } from './context.ts';

const MAX_SENTENCES = 2;

const STOPWORDS = new Set(['the', 'and', 'for', 'you', 'your', 'can', 'are', 'was', 'with', 'how', 'what', 'when', 'does', 'have', 'this', 'that', 'from', 'will', 'about', 'there']);
// Kanji/katakana runs carry the content of a Japanese sentence; hiragana is mostly grammar.
const JA_CONTENT = /[\p{Script=Han}\p{Script=Katakana}ー]+/gu;

// Stemmed English words and Japanese content bigrams: enough overlap signal without a tokenizer.
function terms(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []) {
    if (!STOPWORDS.has(w)) out.add(w.length > 4 ? w.replace(/(?:ing|ed|es|s)$/, '') : w);
  }
  for (const run of text.match(JA_CONTENT) ?? []) {
    if (run.length === 1) out.add(run);
    for (let i = 0; i + 1 < run.length; i++) out.add(run.slice(i, i + 2));
  }
  return out;
}

/** The sentences of `doc` that share most terms with the question, in their original order. */
function relevantSentences(question: string, text: string): string {
  const all = splitSentences(text);
  if (all.length <= MAX_SENTENCES) return all.join(' ');
  const q = terms(question);
  const scored = all.map((s, i) => {
    let hits = 0;
    for (const t of terms(s)) if (q.has(t)) hits++;
    // Earlier sentences win ties: passages usually lead with their main point.
    return { i, score: hits - i * 0.01 };
  });
  const keep = scored.sort((a, b) => b.score - a.score).slice(0, MAX_SENTENCES).map((x) => x.i).sort((a, b) => a - b);
  const sep = /[。！？]$/.test(all[0]) ? '' : ' ';
  return keep.map((i) => all[i]).join(sep);
}

/** Prefers the best passage written in the customer's language; any passage beats none. */
function pickPassage(passages: ScoredDoc[], language: 'ja' | 'en'): { doc: ScoredDoc; sameLanguage: boolean } | undefined {
  const same = passages.find((p) => p.doc.language === language || p.doc.language === 'mul');
  if (same) return { doc: same, sameLanguage: true };
  return passages.length ? { doc: passages[0], sameLanguage: false } : undefined;
}

/** Answers a policy question from the passages, citing the topic; admits when it has nothing. */
export const composeFaq: Composer = (ctx) => {
  const { g, m } = ctx;
  const kb = g.passages.filter((p) => p.doc.kind === 'kb');
  const picked = pickPassage(kb.length ? kb : g.passages, g.language);
  if (!picked) return [g.degraded.includes('retrieval') ? m.retrievalDown(g.links.support) : m.noPassage(g.links.support)];
  const { doc } = picked.doc;
  const lines = [m.faqAnswer(doc.title, relevantSentences(g.text, doc.text))];
  if (!picked.sameLanguage) lines.push(m.faqOtherLanguage);
  lines.push(m.faqMore(g.links.support));
  return lines;
};
