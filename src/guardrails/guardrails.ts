/**
 * The guardrails policy over the filters of filters.ts.
 *
 * Tiers: the cheap tier (term automaton over NFKC/case-folded text, personal-data patterns) runs
 * on every check; the expensive tier (obfuscation-tolerant terms, restricted titles) only when the
 * cheap tier found nothing blocking, so a text that already fails costs one pass.
 *
 * What blocks (Verdict.ok = false):
 * - checkInput: prompt_injection, abuse and adult (adult only for an audience not allowed:
 *   guest, or ageConfirmed !== true) block. personal_data never blocks a message: the customer
 *   typed their own card or My Number, so the message is answered and the finding tells the
 *   caller to store and prompt with redact(text) instead. The customer's own e-mail/phone
 *   (audience.own) and the store's public contacts are not findings at all.
 * - checkOutput: every finding blocks: adult and age_restricted (audience not allowed), abuse,
 *   and personal data that is neither the customer's own nor the store's public contacts.
 *   Adult category labels (成人向け, R18...) are not checked in answers; see ADULT_TERMS.
 * A listed adult/abuse term inside an all-ages catalog title (safeTitles) is not a finding.
 */
import type { Audience, Finding, GuardrailCategory, Guardrails, Verdict } from './types.ts';
import {
  ABUSE_TERMS,
  ADULT_TERMS,
  AhoCorasick,
  FILTERS,
  INJECTION_TERMS,
  PII_FINDERS,
  REDACTION_LABEL,
  cheapKey,
  deepKey,
  foldCheap,
  foldDeep,
  knownKeys,
  termFits,
  type CompiledTerm,
  type FilterDef,
  type PiiMatch,
  type TermSpec,
} from './filters.ts';

/** Options of createGuardrails. */
export interface GuardrailsOptions {
  /** Every spelling (romaji, English, Japanese, aliases) of the titles an audience not allowed must never be shown. */
  restrictedTitles?: string[];
  /**
   * Titles sold to everyone. A listed term inside one of them is the title, not the term
   * ("Hentai Ouji to Warawanai Neko.", "Zombitch wa Bitch ni Fukumaremasu ka?", "Boku to Kanojo no
   * XXX" are all-ages in the MAL import). Only the titles that contain a listed term are kept.
   */
  safeTitles?: string[];
  /** The store's own contacts that answers quote (support e-mail); never personal data. @default the support e-mail and international number of data/kb contact-support */
  publicContacts?: string[];
}

/** Guardrails with replaceable restricted and all-ages title lists. */
export type StoreGuardrails = Guardrails & {
  /** Replaces the restricted titles (e.g. after a catalog import). */
  setRestrictedTitles(titles: string[]): void;
  /** Replaces the all-ages titles whose names contain a listed term (see GuardrailsOptions.safeTitles). */
  setSafeTitles(titles: string[]): void;
  /** Filters defined, both tiers. */
  readonly filterCount: number;
};

/** Titles shorter than this (after folding, spaces not counted) are ignored: ガンツ would hit too much ordinary text. */
export const MIN_TITLE_CHARS = 4;

// The store's support address and international number, as data/kb/*/contact-support.md and built-in-knowledge.ts give them (0120 numbers are never personal anyway).
const DEFAULT_PUBLIC_CONTACTS = ['support@mangaassist-books.example', '+81-3-6823-4410'];

type Scope = 'input' | 'output';

const CHEAP_FILTER: Record<string, string> = { adult: 'adult.terms', abuse: 'abuse.terms', prompt_injection: 'injection.phrases' };
const DEEP_FILTER: Record<string, string> = { adult: 'adult.obfuscated', abuse: 'abuse.obfuscated', prompt_injection: 'injection.obfuscated' };
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

const TERM_LISTS: [GuardrailCategory, readonly TermSpec[]][] = [
  ['adult', ADULT_TERMS],
  ['abuse', ABUSE_TERMS],
  ['prompt_injection', INJECTION_TERMS],
];

function compileCheap(): AhoCorasick<CompiledTerm> {
  const patterns: { key: string; value: CompiledTerm }[] = [];
  for (const [category, list] of TERM_LISTS) {
    for (const spec of list) {
      const key = cheapKey(spec.term);
      patterns.push({ key, value: { filter: CHEAP_FILTER[category], category, key, spec, excepts: (spec.except ?? []).map(cheapKey) } });
    }
  }
  return new AhoCorasick(patterns);
}

/**
 * The expensive tier's two automata: terms of three or more characters with kana match on
 * kana-folded text (ころすぞ = コロスゾ); shorter ones keep their script, since folded えろ
 * would hit 考えろ and かえろう.
 */
function compileDeep(): { plain: AhoCorasick<CompiledTerm>; kana: AhoCorasick<CompiledTerm> } {
  const plain: { key: string; value: CompiledTerm }[] = [];
  const kana: { key: string; value: CompiledTerm }[] = [];
  for (const [category, list] of TERM_LISTS) {
    for (const spec of list) {
      const useKana = KANA.test(spec.term) && deepKey(spec.term, true).replace(/ /g, '').length >= 3;
      const key = deepKey(spec.term, useKana);
      const excepts = (spec.except ?? []).map((x) => deepKey(x, useKana));
      // "k i l l y o u r s e l f" folds to one word: a phrase also matches without its spaces.
      for (const k of new Set([key, key.replace(/ /g, '')])) {
        (useKana ? kana : plain).push({ key: k, value: { filter: DEEP_FILTER[category], category, key: k, spec, excepts } });
      }
    }
  }
  return { plain: new AhoCorasick(plain), kana: new AhoCorasick(kana) };
}

function compileTitles(titles: readonly string[]): AhoCorasick<CompiledTerm> {
  const seen = new Set<string>();
  const patterns: { key: string; value: CompiledTerm }[] = [];
  for (const title of titles) {
    const key = deepKey(title, true);
    if (key.replace(/ /g, '').length < MIN_TITLE_CHARS || seen.has(key)) continue;
    seen.add(key);
    patterns.push({ key, value: { filter: 'age.restricted_title', category: 'age_restricted', key, spec: { term: title }, excepts: [] } });
  }
  return new AhoCorasick(patterns);
}

type Matcher = AhoCorasick<CompiledTerm>;

interface SafeTitles {
  cheap: AhoCorasick<null>;
  plain: AhoCorasick<null>;
  kana: AhoCorasick<null>;
}

/** Term matches in `text` that stand as the term, leaving out those inside an all-ages title. */
function termHits(ac: Matcher, text: string, wanted: (t: CompiledTerm) => boolean, safe: AhoCorasick<null> | undefined): [number, number, CompiledTerm][] {
  const hits: [number, number, CompiledTerm][] = [];
  ac.scan(text, (s, e, term) => {
    if (wanted(term) && termFits(text, s, e, term)) hits.push([s, e, term]);
  });
  if (hits.length === 0 || !safe) return hits;
  const spans: [number, number][] = [];
  safe.scan(text, (s, e) => spans.push([s, e]));
  return spans.length === 0 ? hits : hits.filter(([s, e]) => !spans.some(([a, b]) => a <= s && e <= b));
}

function compileSafe(list: readonly string[], cheapTerms: Matcher, deep: { plain: Matcher; kana: Matcher }): SafeTitles {
  const any = () => true;
  const keep = (ac: Matcher, key: string) => key.length > 0 && termHits(ac, key, any, undefined).length > 0;
  const cheap = new Set<string>();
  const plain = new Set<string>();
  const kana = new Set<string>();
  for (const title of list) {
    const c = cheapKey(title);
    if (keep(cheapTerms, c)) cheap.add(c);
    const d = foldDeep(foldCheap(title));
    if (keep(deep.plain, d.text.trim())) plain.add(d.text.trim());
    if (keep(deep.kana, d.kana.trim())) kana.add(d.kana.trim());
  }
  const build = (keys: Set<string>) => new AhoCorasick([...keys].map((key) => ({ key, value: null })));
  return { cheap: build(cheap), plain: build(plain), kana: build(kana) };
}

/** Builds the guardrails. The term automata are built once here; the title ones again on each setRestrictedTitles / setSafeTitles. */
export function createGuardrails(opts: GuardrailsOptions = {}): StoreGuardrails {
  const cheapTerms = compileCheap();
  const deepTerms = compileDeep();
  let titles = compileTitles(opts.restrictedTitles ?? []);
  let safe = compileSafe(opts.safeTitles ?? [], cheapTerms, deepTerms);
  const publicKeys = knownKeys(opts.publicContacts ?? DEFAULT_PUBLIC_CONTACTS);
  const piiFilters = FILTERS.filter((f) => f.category === 'personal_data');

  function active(scope: Scope, allowed: boolean, tier: 'cheap' | 'expensive'): FilterDef[] {
    return FILTERS.filter((f) => f.tier === tier && f[scope] && !(f.ageGated && allowed));
  }

  function blocks(f: Finding, scope: Scope): boolean {
    return scope === 'output' || f.category !== 'personal_data';
  }

  function check(text: string, audience: Audience, scope: Scope): Verdict {
    const t0 = performance.now();
    const allowed = audience.kind !== 'guest' && audience.ageConfirmed === true;
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const add = (f: Finding) => {
      const k = `${f.filter}\u0000${f.start}\u0000${f.end}`;
      if (!seen.has(k)) {
        seen.add(k);
        findings.push(f);
      }
    };

    const cheapFilters = active(scope, allowed, 'cheap');
    const on = new Set(cheapFilters.map((f) => f.id));
    const cheap = foldCheap(text);
    const wantCheap = (term: CompiledTerm) => on.has(term.filter) && !(term.spec.inputOnly && scope !== 'input');
    for (const [s, e, term] of termHits(cheapTerms, cheap.text, wantCheap, safe.cheap)) {
      add({ category: term.category, filter: term.filter, tier: 'cheap', start: cheap.start[s], end: cheap.end[e - 1] });
    }
    const ownKeys = audience.own?.length ? knownKeys(audience.own) : undefined;
    for (const f of piiFilters) {
      if (!on.has(f.id)) continue;
      const matches: PiiMatch[] = [];
      PII_FINDERS[f.id as PiiMatch['filter']](cheap.text, matches);
      for (const m of matches) {
        if (publicKeys.has(m.key) || ownKeys?.has(m.key)) continue;
        add({ category: 'personal_data', filter: m.filter, tier: 'cheap', start: cheap.start[m.start], end: cheap.end[m.end - 1] });
      }
    }
    let filtersRun = cheapFilters.length;

    if (!findings.some((f) => blocks(f, scope))) {
      const expensive = active(scope, allowed, 'expensive');
      filtersRun += expensive.length;
      const deepOn = new Set(expensive.map((f) => f.id));
      const deep = foldDeep(cheap);
      const wantDeep = (term: CompiledTerm) => deepOn.has(term.filter) && !(term.spec.inputOnly && scope !== 'input');
      const hits = [
        ...termHits(deepTerms.plain, deep.text, wantDeep, safe.plain),
        ...termHits(deepTerms.kana, deep.kana, wantDeep, safe.kana),
        ...(deepOn.has('age.restricted_title') ? termHits(titles, deep.kana, wantDeep, undefined) : []),
      ];
      for (const [s, e, term] of hits) {
        add({ category: term.category, filter: term.filter, tier: 'expensive', start: deep.start[s], end: deep.end[e - 1] });
      }
    }

    findings.sort((a, b) => a.start - b.start || a.end - b.end);
    return { ok: !findings.some((f) => blocks(f, scope)), findings, filtersRun, ms: performance.now() - t0 };
  }

  return {
    checkInput: (text, audience) => check(text, audience, 'input'),
    checkOutput: (text, audience) => check(text, audience, 'output'),
    redact(text) {
      const cheap = foldCheap(text);
      const spans: { start: number; end: number; label: string }[] = [];
      for (const f of piiFilters) {
        const matches: PiiMatch[] = [];
        PII_FINDERS[f.id as PiiMatch['filter']](cheap.text, matches);
        for (const m of matches) {
          if (!publicKeys.has(m.key)) spans.push({ start: cheap.start[m.start], end: cheap.end[m.end - 1], label: REDACTION_LABEL[m.filter] });
        }
      }
      if (spans.length === 0) return text;
      spans.sort((a, b) => a.start - b.start || b.end - a.end);
      let out = '';
      let at = 0;
      for (const s of spans) {
        if (s.start < at) {
          at = Math.max(at, s.end); // overlaps a span already masked (a phone inside an address line)
          continue;
        }
        out += text.slice(at, s.start) + s.label;
        at = s.end;
      }
      return out + text.slice(at);
    },
    setRestrictedTitles(list) {
      titles = compileTitles(list);
    },
    setSafeTitles(list) {
      safe = compileSafe(list, cheapTerms, deepTerms);
    },
    get filterCount() {
      return FILTERS.length;
    },
  };
}
