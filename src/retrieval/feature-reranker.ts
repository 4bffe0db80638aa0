// Built-in Reranker: scores the query against each candidate on hand-picked features, the way a
// cross-encoder would look at both at once, but with no model. A learned reranker (Bedrock,
// Cohere, a local cross-encoder) plugs in through the same port.
import type { CallOptions } from '../shared/call.ts';
import type { IndexedDoc, Reranker, ScoredDoc } from './types.ts';
import { normalize, tokenize } from './tokenize.ts';
import { conceptsOf } from './concepts.ts';
import { detectLanguage } from '../understanding/language.ts';

/** Weights of the reranker's features; the score is their weighted sum. */
export interface FeatureWeights {
  /** The query is, contains, or is contained in one of the doc's names. @default 3 */
  name: number;
  /** Share of query terms found anywhere in the doc, weighted by rarity among the candidates. @default 1.5 */
  coverage: number;
  /** Share of query terms found in the doc title, weighted the same way. @default 1 */
  titleCoverage: number;
  /** Share of adjacent query-term pairs also adjacent in the doc (phrase evidence). @default 1 */
  proximity: number;
  /** Doc language equals the query's ('mul' counts half). @default 0.5 */
  language: number;
  /** Doc kind agrees with the query's shape (policy question vs catalog search). @default 1 */
  kind: number;
  /** Reciprocal of the candidate's incoming rank, so fusion's evidence is not thrown away. @default 1.5 */
  prior: number;
  /** Share of the query's concepts (src/retrieval/concepts.ts) the doc mentions beyond the first, when the query names two or more: a description of a story. @default 2 */
  concepts: number;
}

/** Options for {@link createFeatureReranker}. */
export interface FeatureRerankerOptions {
  weights?: Partial<FeatureWeights>;
}

const DEFAULT_WEIGHTS: FeatureWeights = { name: 3, coverage: 1.5, titleCoverage: 1, proximity: 1, language: 0.5, kind: 1, prior: 1.5, concepts: 2 };

// Words that mark a store-policy question versus a search for a manga. Stemmed English forms.
const POLICY_EN = new Set(
  'return refund ship deliver delivery payment pay paid point member membership cancel order track tracking gift wrap wrapping preorder pre account password login contact support email phone digital ebook age adult fee cost charge convenience store card invoice damaged exchange arrive address'.split(
    ' ',
  ),
);
const CATALOG_EN = new Set('manga series about author volume story like recommend written drawn character protagonist similar genre'.split(' '));
const POLICY_JA = ['送料', '配送', '発送', '届', '返品', '返金', '交換', '支払', '払い', '決済', 'ポイント', '会員', 'キャンセル', '注文', '追跡', 'ラッピング', '予約', 'アカウント', 'パスワード', '問い合わせ', '問合せ', '電子書籍', '年齢', '手数料', 'コンビニ', 'できますか'];
const CATALOG_JA = ['漫画', 'マンガ', 'まんが', '作品', '作者', '主人公', 'ような', '描いた', 'おすすめ', '物語', '話'];

interface DocFeatures {
  tokens: Set<string>;
  concepts: Set<string>;
  titleTokens: Set<string>;
  pairs: Set<string>;
  names: string[];
}

/** Folds a string to compare names: normalised, with spaces and punctuation removed. */
function compact(text: string): string {
  return normalize(text).replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Creates the model-free feature reranker. */
export function createFeatureReranker(opts: FeatureRerankerOptions = {}): Reranker {
  const w: FeatureWeights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  // Documents are stable objects inside the retriever, so their features are computed once.
  const cache = new WeakMap<IndexedDoc, DocFeatures>();

  function featuresOf(doc: IndexedDoc): DocFeatures {
    let f = cache.get(doc);
    if (!f) {
      const full = `${doc.title}\n${doc.text}`;
      const seq = tokenize(full);
      const pairs = new Set<string>();
      for (let i = 0; i + 1 < seq.length; i++) pairs.add(`${seq[i]}\u0001${seq[i + 1]}`);
      f = {
        concepts: new Set(conceptsOf(full)),
        tokens: new Set(seq),
        titleTokens: new Set(tokenize(doc.title)),
        pairs,
        names: (doc.names ?? []).map(compact).filter(Boolean),
      };
      cache.set(doc, f);
    }
    return f;
  }

  // The same query over the same candidates ranks the same (a message's speculative search and
  // its recommendations' search, a question many customers ask): kept, least recently used out
  // past the bound. Candidates are compared by identity, and a re-indexed document is a new
  // object, so an entry never outlives the documents it ranked.
  const ranked = new Map<string, { docs: IndexedDoc[]; out: ScoredDoc[] }>();
  const RANKED_MAX = 512;
  const sameDocs = (docs: IndexedDoc[], candidates: ScoredDoc[]) => docs.length === candidates.length && docs.every((d, i) => d === candidates[i].doc);

  return {
    async rerank(query: string, candidates: ScoredDoc[], callOpts?: CallOptions): Promise<ScoredDoc[]> {
      callOpts?.signal?.throwIfAborted();
      const kept = ranked.get(query);
      if (kept && sameDocs(kept.docs, candidates)) {
        ranked.delete(query);
        ranked.set(query, kept);
        return kept.out.map(({ doc, score }) => ({ doc, score }));
      }
      const out = rank(query, candidates);
      ranked.delete(query);
      if (ranked.size >= RANKED_MAX) ranked.delete(ranked.keys().next().value!);
      ranked.set(query, { docs: candidates.map((c) => c.doc), out });
      return out.map(({ doc, score }) => ({ doc, score }));
    },
  };

  function rank(query: string, candidates: ScoredDoc[]): ScoredDoc[] {
    const qLang = detectLanguage(query);
    const qCompact = compact(query);
    const qSeq = tokenize(query);
    // A concept the query mentions counts as a term: the doc may say it in other words.
    const qConcepts = conceptsOf(query);
    const qTerms = [...new Set([...qSeq, ...qConcepts])];
    const qPairs: string[] = [];
    for (let i = 0; i + 1 < qSeq.length; i++) qPairs.push(`${qSeq[i]}\u0001${qSeq[i + 1]}`);
    const shape = queryShape(query, qSeq, qConcepts);
    // Term weights from document frequency among the candidates themselves: a term every
    // candidate has ("manga") says little, one only a few have ("palace") decides.
    const feats = candidates.map((c) => featuresOf(c.doc));
    const idf = new Map<string, number>();
    for (const t of qTerms) {
      const df = feats.reduce((n, f) => n + (f.tokens.has(t) || f.concepts.has(t) ? 1 : 0), 0);
      idf.set(t, Math.log(1 + (candidates.length + 1) / (df + 1)));
    }
    const idfTotal = qTerms.reduce((a, t) => a + idf.get(t)!, 0);
    const weighted = (has: (t: string) => boolean) => (idfTotal ? qTerms.reduce((a, t) => a + (has(t) ? idf.get(t)! : 0), 0) / idfTotal : 0);

    const scored = candidates.map((c, rank) => {
      const f = feats[rank];
      let name = 0;
      for (const n of f.names) {
        if (n === qCompact) name = Math.max(name, 1);
        // A name inside the query ("does one piece have volume 100"): long enough to be specific.
        else if (qCompact.includes(n) && n.length >= minNameLength(n)) name = Math.max(name, 0.7 * Math.min(1, n.length / Math.max(qCompact.length, 1)) + 0.3);
        // The query is part of a longer name ("frieren" for "Sousou no Frieren").
        else if (n.includes(qCompact) && qCompact.length >= minNameLength(qCompact)) name = Math.max(name, 0.5);
      }
      const coverage = weighted((t) => f.tokens.has(t) || f.concepts.has(t));
      // One concept is a word ("samurai" in an unknown title, "detective" in any mystery); only
      // the ones found beyond the first count, so several found together make a story.
      const matchedConcepts = qConcepts.filter((c) => f.concepts.has(c)).length;
      const concepts = qConcepts.length >= 2 ? Math.max(0, matchedConcepts - 1) / (qConcepts.length - 1) : 0;
      const titleCoverage = weighted((t) => f.titleTokens.has(t));
      const proximity = qPairs.length ? qPairs.filter((p) => f.pairs.has(p)).length / qPairs.length : 0;
      const language = c.doc.language === qLang ? 1 : c.doc.language === 'mul' ? 0.5 : 0;
      const kind = shape === undefined ? 0.5 : shape === c.doc.kind ? 1 : 0;
      const prior = 1 / (rank + 1);
      const score =
        w.name * name +
        w.coverage * coverage +
        w.titleCoverage * titleCoverage +
        w.proximity * proximity +
        w.language * language +
        w.kind * kind +
        w.prior * prior +
        w.concepts * concepts;
      return { doc: c.doc, score, rank };
    });
    // Ties keep the incoming order so the reranker never shuffles equally good candidates.
    scored.sort((a, b) => b.score - a.score || a.rank - b.rank);
    return scored.map(({ doc, score }) => ({ doc, score }));
  }
}

function minNameLength(compactName: string): number {
  // Two kanji/kana are already a specific name; Latin names need a few letters.
  return /^[\x00-\x7f]*$/.test(compactName) ? 4 : 2;
}

/** Whether the query reads like a policy question ('kb'), a catalog search ('series'), or unclear. */
export function queryShape(query: string, terms: string[] = tokenize(query), concepts: string[] = conceptsOf(query)): 'kb' | 'series' | undefined {
  let policy = 0;
  let catalog = 0;
  for (const t of terms) {
    if (POLICY_EN.has(t)) policy++;
    if (CATALOG_EN.has(t)) catalog++;
  }
  const ja = query.normalize('NFKC');
  for (const cue of POLICY_JA) if (ja.includes(cue)) policy++;
  for (const cue of CATALOG_JA) if (ja.includes(cue)) catalog++;
  // A story told in several concepts uses store words as story words ("a kid becomes a devil
  // hunter to pay off debts"): one such word is then no policy question.
  if (concepts.length >= 2 && policy > 0) policy--;
  if (policy > catalog) return 'kb';
  if (catalog > policy) return 'series';
  return undefined;
}
