/** faq: answers from the best knowledge-base passage, quoting its most relevant sentences; from built-in knowledge when retrieval is down. */
import type { ScoredDoc } from '../../retrieval/types.ts';
import { splitSentences, type Composer, type ComposeContext } from './context.ts';
import { BUILT_IN_KNOWLEDGE, type BuiltInTopic } from './built-in-knowledge.ts';

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

/**
 * What kind of answer the question asks for, and how a sentence that gives it looks: "how long"
 * wants a duration, "how much" a price. A sentence of the right shape outranks one that merely
 * repeats the question's words ("return" appears in every returns section).
 */
const ANSWER_SHAPES: { asks: RegExp; gives: RegExp }[] = [
  { asks: /how long|how many days|how soon|when will|when does|いつ|何日|どのくらい|どれくらい|期間|期限/i, gives: /\d+\s*(business )?(days?|weeks?|hours?|months?)|\d+\s*(営業)?日|\d+\s*(時間|週間|か月|ヶ月)|翌日|当日/i },
  { asks: /how much|cost|price|fee|charge|いくら|料金|費用|手数料|送料|値段/i, gives: /¥\s?[\d,]+|[\d,]+\s*円|free|無料/i },
  { asks: /which|what (kind|type)s?|methods?|options?|どの|どんな|何が|種類|方法/i, gives: /,.*,|、.*、|•|^- /i },
];

/** Strips Markdown emphasis and bullets: the answer is plain text on every channel. */
function plain(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/(^|\s)[-*]\s+/g, '$1').replace(/\s+/g, ' ').trim();
}

/**
 * The sentences that best answer the question, from the passages of the top passage's topic:
 * scored by shared terms plus a bonus for the answer shape the question asks for, earlier
 * passages and sentences winning ties; kept in reading order.
 */
function relevantSentences(question: string, passages: ScoredDoc[]): string {
  const q = terms(question);
  const shapes = ANSWER_SHAPES.filter((s) => s.asks.test(question));
  const all: { text: string; score: number; order: number }[] = [];
  passages.forEach((p, rank) => {
    splitSentences(p.doc.text).forEach((sentence, i) => {
      let hits = 0;
      for (const t of terms(sentence)) if (q.has(t)) hits++;
      const shaped = shapes.some((s) => s.gives.test(sentence)) ? 2 : 0;
      all.push({ text: plain(sentence), score: hits + shaped - rank * 0.2 - i * 0.01, order: rank * 1000 + i });
    });
  });
  const keep = all.sort((a, b) => b.score - a.score).slice(0, MAX_SENTENCES).sort((a, b) => a.order - b.order);
  const sep = keep.length > 0 && /[。！？]$/.test(keep[0].text) ? '' : ' ';
  return keep.map((k) => k.text).join(sep);
}

/** Prefers the best passage written in the customer's language; any passage beats none. */
function pickPassage(passages: ScoredDoc[], language: 'ja' | 'en'): { doc: ScoredDoc; sameLanguage: boolean } | undefined {
  const same = passages.find((p) => p.doc.language === language || p.doc.language === 'mul');
  if (same) return { doc: same, sameLanguage: true };
  return passages.length ? { doc: passages[0], sameLanguage: false } : undefined;
}

// Each topic's terms from its keywords and titles in both languages (a Japanese customer may
// write "PayPay", an English one "konbini"), and how many topics share each term.
const TOPIC_TERMS = Object.values(BUILT_IN_KNOWLEDGE).map((topic) => ({
  topic,
  terms: terms([topic.en.title, topic.ja.title, ...topic.en.keywords, ...topic.ja.keywords].join(' \n ')),
}));
const TOPICS_WITH_TERM = new Map<string, number>();
for (const { terms: ts } of TOPIC_TERMS) for (const t of ts) TOPICS_WITH_TERM.set(t, (TOPICS_WITH_TERM.get(t) ?? 0) + 1);

/**
 * The built-in topic a question is about: shared terms, each weighted by 1 / the number of topics
 * that know it, so "shipping" in "how long does shipping take" counts less than "long". Ties go to
 * the topic listed first; no shared term means no topic.
 */
export function builtInTopicFor(question: string): BuiltInTopic | undefined {
  const q = terms(question);
  let best: BuiltInTopic | undefined;
  let bestScore = 0;
  for (const { topic, terms: ts } of TOPIC_TERMS) {
    let score = 0;
    for (const t of q) if (ts.has(t)) score += 1 / (TOPICS_WITH_TERM.get(t) ?? 1);
    if (score > bestScore) [best, bestScore] = [topic, score];
  }
  return best;
}

/**
 * Retrieval is down, so there are no passages: answer from the built-in summary of the topic the
 * question is about, saying that details could not be looked up; apologise when no topic fits.
 */
function fromBuiltInKnowledge(ctx: ComposeContext): string[] {
  const { g, m } = ctx;
  const topic = builtInTopicFor(g.text);
  if (!topic) return [m.retrievalDown(g.links.support)];
  const entry = g.language === 'ja' ? topic.ja : topic.en;
  return [m.builtInSummary(entry.title, entry.summary), m.builtInMore(g.links.support)];
}

/** Answers a policy question from the passages, citing the topic; admits when it has nothing. */
export const composeFaq: Composer = (ctx) => {
  const { g, m } = ctx;
  const kb = g.passages.filter((p) => p.doc.kind === 'kb');
  const picked = pickPassage(kb.length ? kb : g.passages, g.language);
  if (!picked) return g.degraded.includes('retrieval') ? fromBuiltInKnowledge(ctx) : [m.noPassage(g.links.support)];
  const { doc } = picked.doc;
  const sameTopic = (kb.length ? kb : g.passages).filter((p) => p.doc.ref === doc.ref && p.doc.language === doc.language);
  const topic = doc.title.split(' — ')[0];
  const lines = [m.faqAnswer(topic, relevantSentences(g.text, sameTopic.length ? sameTopic : [picked.doc]))];
  if (!picked.sameLanguage) lines.push(m.faqOtherLanguage);
  lines.push(m.faqMore(g.links.support));
  return lines;
};
