/**
 * The guardrails policy over the filters of filters.ts.
 *
 * Tiers: the cheap tier (term automaton over NFKC/case-folded text, personal-data patterns) runs
 * on every check; the expensive tier (obfuscation-tolerant terms, injection patterns, restricted
 * titles) only when the cheap tier found nothing blocking, so a text that already fails costs one
 * pass.
 *
 * What blocks (Verdict.ok = false):
 * - checkInput: prompt injection, threats and harassment (abuse.terms), adult requests (only for
 *   an audience not allowed: guest, or ageConfirmed !== true), and payment-card data or a My
 *   Number (the customer is warned never to post them; they are masked in storage, logs, prompts
 *   and cache keys by redact). Not blocking: insults (abuse.insult: the customer is answered,
 *   calmly) and the customer's own contact data (masked, then answered). The customer's own
 *   e-mail/phone (audience.own) and the store's public contacts are not findings at all.
 * - checkOutput: every finding blocks: adult and age_restricted (audience not allowed), abuse,
 *   and personal data that is neither the customer's own nor the store's public contacts.
 *   Adult category labels (成人向け, R18...) are not checked in answers; see ADULT_TERMS.
 * - mayShow: a series (a card, or a series in the grounding) passes the same audience rule as
 *   text: the catalog's audience (audience.ts: flag, adult genre, fan-service for older readers,
 *   spin-offs) and the adult/age-restricted filters over its names.
 *
 * All-ages titles: a listed term inside one ("Hentai Ouji to Warawanai Neko.") is the title, not
 * the term, but only where the text names that whole title (its words; case and punctuation
 * aside), and only when the title is more than the term: a series called "Hentai" never makes "hentai manga" an ordinary
 * request. The same goes for an adult series' name inside an all-ages title ("Battle Royale" in
 * "Fairy Tale Battle Royale"). An adult series whose name is a common word or is part of other
 * titles ("Blue", "Angel", "Thank You") is not matched in text at all: it would revise every
 * answer about Blue Lock; such a series is kept from guests by id (mayShow) instead.
 */
import type { Audience, Finding, GuardrailCategory, Guardrails, Verdict } from './types.ts';
import { adultBySelf, ageAllowed, catalogAudience, namesOf, type AudienceSeries, type CatalogAudience } from './audience.ts';
import {
  ABUSE_TERMS,
  ADULT_TERMS,
  AhoCorasick,
  FILTERS,
  FILTER_BY_ID,
  INJECTION_PATTERNS,
  INJECTION_TERMS,
  INSULT_TERMS,
  SPELLED_OUT,
  PII_FINDERS,
  REDACTION_LABEL,
  cheapKey,
  deepKey,
  foldCheap,
  foldDeep,
  knownKeys,
  termFits,
  type CompiledTerm,
  type DeepFolded,
  type FilterDef,
  type Folded,
  type PiiMatch,
  type TermSpec,
} from './filters.ts';

/** Options of createGuardrails. */
export interface GuardrailsOptions {
  /**
   * The catalog: the audience rule (audience.ts) gives the adult series, by id for mayShow and by
   * name for the text filters. Replaces restrictedTitles and safeTitles when given.
   */
  catalog?: readonly AudienceSeries[];
  /** Every spelling (romaji, English, Japanese, aliases) of the titles an audience not allowed must never be shown. */
  restrictedTitles?: string[];
  /**
   * Titles sold to everyone. A listed term (or an adult series' name) inside one of them is the
   * title, not the term, where the text names the whole title ("Hentai Ouji to Warawanai Neko.",
   * "Zombitch wa Bitch ni Fukumaremasu ka?" are all-ages in the MAL import).
   */
  safeTitles?: string[];
  /** The store's own contacts that answers quote (support e-mail); never personal data. @default the support e-mail and international number of data/kb contact-support */
  publicContacts?: string[];
  /**
   * Keeps the catalog's title lists between starts (persisted-plans.ts): returns `build()`, or
   * what it returned before for the same inputs. Used for the catalog given here, not for later
   * setCatalog calls. @default built every time
   */
  catalogPlans?: (inputs: CatalogPlanInputs, build: () => CatalogPlan) => CatalogPlan;
  /**
   * Keeps the audience rule's result for `catalog` between starts (persisted-plans.ts): returns
   * `build()`, or what it returned before for the same catalog. Used for the catalog given here,
   * not for later setCatalog calls. @default applied every time
   */
  catalogAudience?: (catalog: readonly AudienceSeries[], build: () => CatalogAudience) => CatalogAudience;
}

/** What the catalog's title lists are computed from. */
export interface CatalogPlanInputs {
  restricted: readonly string[];
  allAges: readonly string[];
  byName: ReadonlyMap<string, readonly string[]>;
}

/**
 * The catalog's title lists, the costly part of compiling it (every all-ages title folded and
 * scanned); the automata are built from them in a fraction of the time.
 */
export interface CatalogPlan {
  /** Adult series' names matched in answers. */
  kept: string[];
  /** All-ages titles (words form) that exempt a match inside them. */
  safe: string[];
  /** Adult series' names searched for in a customer's message. */
  named: NamedKey[];
  /** Words of all-ages titles (see Compiled.ordinary). */
  ordinary: string[];
}

/** Guardrails with replaceable catalog knowledge. */
export type StoreGuardrails = Guardrails & {
  /** Re-reads the catalog's audience (after an import or any catalog change). */
  setCatalog(series: readonly AudienceSeries[]): void;
  /** Replaces the restricted titles. */
  setRestrictedTitles(titles: string[]): void;
  /** Replaces the all-ages titles (see GuardrailsOptions.safeTitles). */
  setSafeTitles(titles: string[]): void;
  /** Filters defined, both tiers. */
  readonly filterCount: number;
};

/** Titles shorter than this (after folding, spaces not counted) are ignored: ガンツ would hit too much ordinary text. */
export const MIN_TITLE_CHARS = 4;
/**
 * An adult series' name that is also inside other, all-ages titles is matched in text only when
 * it is this long (spaces not counted) and at least two words (Latin) — "Battle Royale", not
 * "Blue" (Blue Lock) or "Angel" (Battle Angel Alita).
 */
export const MIN_SHARED_TITLE_CHARS = 10;

// The store's support address and international number, as data/kb/*/contact-support.md and built-in-knowledge.ts give them (0120 numbers are never personal anyway).
const DEFAULT_PUBLIC_CONTACTS = ['support@mangaassist-books.example', '+81-3-6823-4410'];

/**
 * Words an adult series' name must not consist of only, to be matched in text: "Thank You"
 * (Arigatou), "Happiness!", "Remote" would revise every answer that says them.
 */
const COMMON_WORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been am i you he she it we they me him her us them my your his its our their this that these those ' +
    'what who whom whose which when where why how all any some no not yes so too very can will would shall should may might must do does did done have has had get got make made ' +
    'go goes went come came see saw look find give take know think want like love live life day days night time times year world people man men woman women girl girls boy boys ' +
    'one two three first last new old good bad great little big small long short high low best better more most less only just also again ever never always still now then here there ' +
    'up down out over under after before about into through thank thanks please sorry hello hi bye happy happiness sweet kiss heart home school friend friends family ' +
    'beautiful pretty cute dear baby honey sister brother mother father mom dad blue red black white green pink gold silver dark light star stars sun moon sky sea fire water ' +
    'dream dreams game games play story stories secret secrets lesson lessons room house city town ok okay remote angel doll desire sense minimum'
  ).split(' '),
);

type Scope = 'input' | 'output';

/** A term list and the filters that report it: cheap tier (exact) and expensive tier (obfuscated). */
const TERM_LISTS: { category: GuardrailCategory; list: readonly TermSpec[]; cheap: string; deep: string }[] = [
  { category: 'adult', list: ADULT_TERMS, cheap: 'adult.terms', deep: 'adult.obfuscated' },
  { category: 'abuse', list: ABUSE_TERMS, cheap: 'abuse.terms', deep: 'abuse.obfuscated' },
  { category: 'abuse', list: INSULT_TERMS, cheap: 'abuse.insult', deep: 'abuse.insult_obfuscated' },
  { category: 'prompt_injection', list: INJECTION_TERMS, cheap: 'injection.phrases', deep: 'injection.obfuscated' },
];
/** The expensive-tier filter a base64-decoded finding is reported under. */
const OBFUSCATED: Record<string, string> = Object.fromEntries(TERM_LISTS.map((l) => [l.cheap, l.deep]));
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const LETTER = /[\p{L}\p{N}]/u;
const AUDIENCE_CATEGORIES: ReadonlySet<GuardrailCategory> = new Set(['adult', 'age_restricted']);
/** mayShow answers kept per catalog (a catalog's worth of series; cleared when full or when the catalog changes). */
const MAX_SHOWN_CACHE = 50_000;

/** The terms an automaton for this scope needs: answers never need input-only terms or the injection list. */
function inScope(scope: Scope, filter: string, spec: TermSpec): boolean {
  return scope === 'input' || (FILTER_BY_ID.get(filter)?.output === true && !spec.inputOnly);
}

function compileCheap(scope: Scope): AhoCorasick<CompiledTerm> {
  const patterns: { key: string; value: CompiledTerm }[] = [];
  for (const { category, list, cheap } of TERM_LISTS) {
    for (const spec of list) {
      if (!inScope(scope, cheap, spec)) continue;
      const key = cheapKey(spec.term);
      patterns.push({ key, value: { filter: cheap, category, key, spec, excepts: (spec.except ?? []).map(cheapKey) } });
    }
  }
  return new AhoCorasick(patterns);
}

/**
 * The expensive tier's two automata: terms of three or more characters with kana match on
 * kana-folded text (ころすぞ = コロスゾ); shorter ones keep their script, since folded えろ
 * would hit 考えろ and かえろう.
 */
function compileDeep(scope: Scope): { plain: AhoCorasick<CompiledTerm>; kana: AhoCorasick<CompiledTerm> } {
  const plain: { key: string; value: CompiledTerm }[] = [];
  const kana: { key: string; value: CompiledTerm }[] = [];
  for (const { category, list, deep } of TERM_LISTS) {
    for (const spec of list) {
      if (!inScope(scope, deep, spec)) continue;
      const useKana = KANA.test(spec.term) && deepKey(spec.term, true).replace(/ /g, '').length >= 3;
      const key = deepKey(spec.term, useKana);
      const excepts = (spec.except ?? []).map((x) => deepKey(x, useKana));
      // "k i l l y o u r s e l f" folds to one word: a phrase also matches without its spaces.
      for (const k of new Set([key, key.replace(/ /g, '')])) {
        (useKana ? kana : plain).push({ key: k, value: { filter: deep, category, key: k, spec, excepts } });
      }
    }
  }
  return { plain: new AhoCorasick(plain), kana: new AhoCorasick(kana) };
}

type Matcher = AhoCorasick<CompiledTerm>;

/** A title's key without leading/trailing punctuation: "neko." in the catalog is "neko?" in a question. */
function trimEdges(key: string): string {
  return key.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** True when text[a, b) stands as whole words: no ASCII letter or digit glued to either end of a Latin edge. */
function wordBounded(text: string, a: number, b: number): boolean {
  if (a > 0 && isAsciiAlnum(text.charCodeAt(a)) && isAsciiAlnum(text.charCodeAt(a - 1))) return false;
  if (b < text.length && isAsciiAlnum(text.charCodeAt(b - 1)) && isAsciiAlnum(text.charCodeAt(b))) return false;
  return true;
}

/** Term matches in `text` that stand as the term and not inside an ordinary word. */
function termHits(ac: Matcher, text: string, wanted: (t: CompiledTerm) => boolean): [number, number, CompiledTerm][] {
  const hits: [number, number, CompiledTerm][] = [];
  ac.scan(text, (s, e, term) => {
    if (wanted(term) && termFits(text, s, e, term)) hits.push([s, e, term]);
  });
  return hits;
}

/**
 * The words of a text: the deep form's kana text with every run of anything but letters and
 * digits made one space, and for each unit its index in the deep form. Titles are matched in this
 * form, so "kyuukyoku hentai kamen" names "Kyuukyoku!! Hentai Kamen".
 */
function wordsForm(deep: DeepFolded): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  const src = deep.kana;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    // Kana and the common CJK block without a regex test: Japanese text is mostly those.
    const word = isAsciiAlnum(c) || (c >= 0x3041 && c <= 0x30ff && c !== 0x30fb) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x80 && c < 0x3000 && LETTER.test(src[i])) || (c > 0x9fff && LETTER.test(src[i])) || (c >= 0xdc00 && c <= 0xdfff);
    if (word) {
      text += src[i];
      at.push(i);
    } else if (text.length > 0 && text[text.length - 1] !== ' ') {
      text += ' ';
      at.push(i);
    }
  }
  return { text, at };
}

/**
 * True when an abuse phrase found in the obfuscation-tolerant form is, as written, its words each
 * whole with a clause break between them ("akame ga kill - you have it now?", "…kill, you know"):
 * two clauses, not the phrase. Letters split apart ("k.i.l.l y.o.u", "kill-you") are still the phrase.
 */
function splitByClause(text: string, start: number, end: number, term: CompiledTerm): boolean {
  if (term.category !== 'abuse') return false;
  const words = term.spec.term.split(' ').length;
  if (words < 2) return false;
  const written = text.slice(start, end);
  const pieces = written.split(/[^\p{L}\p{N}']+/u).filter(Boolean);
  const gaps = written.match(/[^\p{L}\p{N}']+/gu) ?? [];
  return pieces.length === words && gaps.some((g) => /[,;:.!?]|\s[-‐–—]|[-‐–—]\s/.test(g));
}

/** A title's key in the words form (see wordsForm). */
function wordsKey(title: string): string {
  return wordsForm(foldDeep(foldCheap(title))).text.trim();
}

/** Where the text names, whole, an all-ages title that contains a listed word or an adult series' name, in the text's own offsets. */
function safeSpans(deep: DeepFolded, safe: AhoCorasick<null>): [number, number][] {
  const out: [number, number][] = [];
  const w = wordsForm(deep);
  safe.scan(w.text, (s, e) => {
    if (wordBounded(w.text, s, e)) out.push([deep.start[w.at[s]], deep.end[w.at[e - 1]]]);
  });
  return out;
}

/** True when `key` has a letter or digit outside the spans: the title is more than the term. */
function moreThan(key: string, spans: [number, number][]): boolean {
  let rest = '';
  let at = 0;
  for (const [s, e] of [...spans].sort((x, y) => x[0] - y[0])) {
    if (s > at) rest += key.slice(at, s);
    at = Math.max(at, e);
  }
  return LETTER.test(rest + key.slice(at));
}

/** An adult series' name as a customer's message is searched for it (restrictedNamed). */
export interface NamedKey {
  key: string;
  ids: string[];
  /** A three-character Japanese name (ガンツ): named only where it stands alone in its script. */
  short: boolean;
  /**
   * A head inside all-ages titles ("monster musume" in "Shokubutsu Monster Musume Nikki: …"): those
   * titles' keys, so a message naming the word before or after it as they do names that title.
   */
  inside?: string[];
}

interface Compiled {
  titles: Matcher;
  /** Adult series' names for the customer's message, with their ids. */
  named: AhoCorasick<NamedKey>;
  /** Words of all-ages titles, for telling a generic phrase from a title (built with the rest: ~45 ms on the import, never on a customer's message). */
  ordinary: Set<string>;
  /** All-ages titles (words form) that contain a listed term or a matched adult series' name. */
  safe: AhoCorasick<null>;
  /** mayShow's answers for an audience not allowed, by series id and names. */
  shown: Map<string, boolean>;
  restrictedIds: Set<string>;
}

/**
 * The adult series' names to match in text, and the all-ages titles that exempt a match inside
 * them. A name also inside another all-ages title is kept only when long enough to be a title and
 * not a word; a name that is an all-ages title too, or only common words, is dropped.
 */
function compileCatalog(
  restricted: readonly string[],
  allAges: readonly string[],
  cheapTerms: Matcher,
  deep: { plain: Matcher; kana: Matcher },
  restrictedIds: Set<string>,
  byName: ReadonlyMap<string, readonly string[]> = new Map(),
  plans?: GuardrailsOptions['catalogPlans'],
): Compiled {
  const build = (): CatalogPlan => planCatalog(restricted, allAges, cheapTerms, deep, byName);
  const plan = plans ? plans({ restricted, allAges, byName }, build) : build();
  return {
    titles: new AhoCorasick(plan.kept.map((key) => ({ key, value: { filter: 'age.restricted_title', category: 'age_restricted' as const, key, spec: { term: key }, excepts: [] } }))),
    named: new AhoCorasick(plan.named.map((value) => ({ key: value.key, value }))),
    ordinary: new Set(plan.ordinary),
    safe: new AhoCorasick(plan.safe.map((key) => ({ key, value: null }))),
    restrictedIds,
    shown: new Map(),
  };
}

/** The title lists of compileCatalog: a pure function of the titles (and the term automata, fixed by the code). */
function planCatalog(
  restricted: readonly string[],
  allAges: readonly string[],
  cheapTerms: Matcher,
  deep: { plain: Matcher; kana: Matcher },
  byName: ReadonlyMap<string, readonly string[]>,
): CatalogPlan {
  const candidates = new Map<string, boolean>(); // key -> shared with an all-ages title
  for (const title of restricted) {
    const key = trimEdges(deepKey(title, true));
    if (key.replace(/ /g, '').length < MIN_TITLE_CHARS) continue;
    const words = key.split(' ');
    if (/^[a-z0-9 ]+$/.test(key) && words.every((w) => COMMON_WORDS.has(w) || /^\d+$/.test(w))) continue;
    candidates.set(key, false);
  }
  const restrictedAc = new AhoCorasick([...candidates.keys()].map((key) => ({ key, value: key })));
  const any = () => true;
  const spansOf = (ac: Matcher, key: string) => termHits(ac, key, any).map(([s, e]): [number, number] => [s, e]);
  const safe = new Set<string>();
  const allAgesKeys = new Set<string>();
  const exempting = new Map<string, string[]>(); // all-ages title -> restricted names inside it
  for (const title of allAges) {
    // Each title folded once; the three keys are its cheap, deep and kana forms.
    const cf = foldCheap(title);
    const d = foldDeep(cf);
    const c = trimEdges(cf.text);
    const p = trimEdges(d.text);
    const k = trimEdges(d.kana);
    if (!k || allAgesKeys.has(k)) continue;
    allAgesKeys.add(k);
    // A title with a listed term is an exception only when it is more than the term ("Hentai" is not).
    const forms = [[c, spansOf(cheapTerms, c)], [p, spansOf(deep.plain, p)], [k, spansOf(deep.kana, k)]] as const;
    const withTerm = forms.filter(([, spans]) => spans.length > 0);
    if (withTerm.length > 0 && withTerm.every(([key, spans]) => moreThan(key, spans))) safe.add(wordsKey(title));
    restrictedAc.scan(k, (s, e, name) => {
      if (!wordBounded(k, s, e)) return;
      candidates.set(name, true);
      const list = exempting.get(title);
      if (list) list.push(name);
      else exempting.set(title, [name]);
    });
  }
  const kept: string[] = [];
  for (const [key, shared] of candidates) {
    if (!shared) {
      kept.push(key);
      continue;
    }
    if (allAgesKeys.has(key)) continue; // an all-ages series has this very name
    const latin = /^[a-z0-9 ]+$/.test(key);
    if (key.replace(/ /g, '').length >= MIN_SHARED_TITLE_CHARS && (!latin || key.includes(' '))) kept.push(key);
  }
  const keptSet = new Set(kept);
  for (const [k, names] of exempting) if (names.some((n) => keptSet.has(n))) safe.add(wordsKey(k));
  return { kept, named: namedKeys(byName, keptSet, allAgesKeys), ordinary: [...ordinaryWords(allAges)], safe: [...safe].filter(Boolean) };
}

const JAPANESE_NAME = /^[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー]+$/u;

/** A head inside more all-ages titles than this is an ordinary phrase, not searched for. */
const MAX_TITLES_AROUND_HEAD = 20;

/**
 * The names a customer's message is searched for: those answers are checked for (a name that is
 * common words, an all-ages title, or short and inside all-ages titles is left out for the same
 * reasons), plus names answers are not checked for: heads before a subtitle ("Monster Musume")
 * and three-character Japanese names (ガンツ), named where they stand alone in their script
 * (ガンツって…, not エレガンツ). A short name inside an all-ages title is left out; a head inside
 * a few (a Latin phrase of two words or more) is kept with them, to be told apart in the message.
 */
function namedKeys(byName: ReadonlyMap<string, readonly string[]>, kept: ReadonlySet<string>, allAgesKeys: ReadonlySet<string>): NamedKey[] {
  const extra = new Map<string, string[]>(); // key -> the all-ages titles it is inside
  for (const name of byName.keys()) {
    const key = trimEdges(deepKey(name, true));
    if (kept.has(key) || allAgesKeys.has(key)) continue;
    const short = key.length === MIN_TITLE_CHARS - 1 && JAPANESE_NAME.test(key);
    if (!short && key.replace(/ /g, '').length < MIN_TITLE_CHARS) continue;
    if (/^[a-z0-9 ]+$/.test(key) && key.split(' ').every((w) => COMMON_WORDS.has(w) || /^\d+$/.test(w))) continue;
    extra.set(key, []);
  }
  if (extra.size > 0) {
    const ac = new AhoCorasick([...extra.keys()].map((key) => ({ key, value: key })));
    for (const k of allAgesKeys) {
      ac.scan(k, (s, e, key) => {
        const around = extra.get(key)!;
        if (around.length <= MAX_TITLES_AROUND_HEAD && !around.includes(k)) around.push(k);
      });
    }
  }
  const byKey = new Map<string, NamedKey>();
  for (const [name, ids] of byName) {
    const key = trimEdges(deepKey(name, true));
    const around = kept.has(key) ? undefined : extra.get(key);
    if (!kept.has(key) && around === undefined) continue;
    const short = !kept.has(key) && key.length === MIN_TITLE_CHARS - 1 && JAPANESE_NAME.test(key);
    const inside = around && around.length > 0 ? around : undefined;
    if (inside && (short || !/^[a-z0-9]+(?: [a-z0-9]+)+$/.test(key) || inside.length > MAX_TITLES_AROUND_HEAD)) continue;
    const entry = byKey.get(key);
    if (entry) entry.ids.push(...ids.filter((id) => !entry.ids.includes(id)));
    else byKey.set(key, { key, ids: [...ids], short, ...(inside ? { inside } : {}) });
  }
  // A name several series share (a head: "Monster Musume") names the main one first: the shortest id
  // (ids are slugs of titles; its spin-offs and anthologies have longer ones).
  for (const e of byKey.values()) e.ids.sort((a, b) => a.length - b.length);
  return [...byKey.values()];
}

/** Words after a name that make it a kind of manga rather than a title ("monster girl manga"). */
const GENERIC_HEADS = new Set('manga mangas manhwa manhua comic comics series book books story stories title titles anime ones stuff genre genres type types kind kinds themed'.split(' '));
/** Words before a name that make it a kind rather than a title ("any monster girl", "a prison school"). */
const GENERIC_LEADS = new Set('any some a an more other another good best great recommend about with featuring'.split(' '));
const QUOTE_OPEN = /["'“‘「『]/;
const QUOTE_CLOSE = /["'”’」』]/;

/**
 * Words common enough in all-ages titles (twice or more) to make a phrase of them ordinary
 * language: "monster girl" is, "elfen lied" and "gantz" are not.
 */
function ordinaryWords(allAges: readonly string[]): Set<string> {
  const seen = new Map<string, number>();
  for (const title of allAges) {
    const words = new Set(title.normalize('NFKC').toLowerCase().split(/[^a-z0-9]+/));
    for (const w of words) if (w.length >= 2) seen.set(w, (seen.get(w) ?? 0) + 1);
  }
  const out = new Set(COMMON_WORDS);
  for (const [w, n] of seen) if (n >= 2) out.add(w);
  return out;
}

/**
 * True when a name made of ordinary words is used as a kind of manga, not as a title: followed by
 * "manga"/"series"/漫画, or after "any"/"some"/"a", and not in quotes. "do you have Monster
 * Girl?" names the title; "any good monster girl manga?" asks for a kind.
 */
function genericUse(text: string, start: number, end: number, key: string, words: ReadonlySet<string>): boolean {
  if (!/^[a-z0-9 ]+$/.test(key)) return false;
  if (start > 0 && QUOTE_OPEN.test(text[start - 1]) && QUOTE_CLOSE.test(text[end] ?? '')) return false;
  if (!key.split(' ').every((w) => words.has(w) || /^\d+$/.test(w))) return false;
  const after = text.slice(end);
  const next = /^[\s-]*([a-z]+)/i.exec(after)?.[1]?.toLowerCase();
  const prev = /([a-z]+)[\s-]*$/i.exec(text.slice(0, start))?.[1]?.toLowerCase();
  return (next !== undefined && GENERIC_HEADS.has(next)) || (prev !== undefined && GENERIC_LEADS.has(prev)) || /^\s*(?:の)?(?:漫画|マンガ|まんが|系|もの)/.test(after);
}

/** True when the words next to a head in the message continue it as one of the all-ages titles it is inside ("shokubutsu monster musume nikki"). */
function partOfLongerTitle(kana: string, s: number, e: number, name: NamedKey): boolean {
  const before = /([a-z0-9]+)[^a-z0-9]*$/.exec(kana.slice(Math.max(0, s - 40), s))?.[1];
  const after = /^[^a-z0-9]*([a-z0-9]+)/.exec(kana.slice(e, e + 40))?.[1];
  return name.inside!.some((t) => (before !== undefined && t.includes(`${before} ${name.key}`)) || (after !== undefined && t.includes(`${name.key} ${after}`)));
}

/** True when text[start, end) is not glued to more characters of its own script (ガンツって, not エレガンツ). */
function standsAlone(text: string, start: number, end: number): boolean {
  const script = (c: string | undefined) => (c === undefined ? '' : /[\p{Script=Katakana}ー]/u.test(c) ? 'k' : /\p{Script=Han}/u.test(c) ? 'h' : /\p{Script=Hiragana}/u.test(c) ? 'r' : '');
  const first = script(text[start]);
  const last = script(text[end - 1]);
  return !(start > 0 && first && script(text[start - 1]) === first) && !(end < text.length && last && last !== 'r' && script(text[end]) === last);
}

/** The deep form without its spaces ("i g n o r e a l l" spelled out), with each unit's index in the deep form. */
function squeeze(deep: DeepFolded): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < deep.text.length; i++) {
    if (deep.text[i] === ' ') continue;
    text += deep.text[i];
    at.push(i);
  }
  return { text, at };
}

// Runs of base64 long enough to hide a sentence; decoded and checked like the message itself.
const BASE64_RUN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,2}(?![A-Za-z0-9+/=_-])/g;

/** The text a base64 run decodes to, when it decodes to readable text. */
function decodeBase64(run: string): string | undefined {
  // Plain words and numbers are not base64 worth decoding: it mixes case or has digits/symbols.
  if (/^[a-z]+$/.test(run) || /^[A-Z]+$/.test(run) || /^\d+$/.test(run)) return undefined;
  const body = run.replace(/=+$/, '');
  if (body.length % 4 === 1) return undefined;
  let decoded: string;
  try {
    decoded = Buffer.from(body, /[-_]/.test(body) ? 'base64url' : 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  if (decoded.length < 8 || decoded.includes('\uFFFD') || /[\u0000-\u0008\u000e-\u001f\u007f]/.test(decoded)) return undefined;
  return /[\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(decoded) ? decoded : undefined;
}

// The term automata depend on nothing but the lists: built once per process, shared by every
// instance. Answers (every streamed chunk) are scanned by automata without the input-only terms:
// common openings like "you are", "this is", "so" would keep a bigger one out of its root state.
type TermAutomata = { cheap: Matcher; deep: { plain: Matcher; kana: Matcher } };
let terms: Record<Scope, TermAutomata> | undefined;

/** Builds the guardrails. The term automata are built on first use; the catalog ones again on each setCatalog / setRestrictedTitles / setSafeTitles. */
export function createGuardrails(opts: GuardrailsOptions = {}): StoreGuardrails {
  terms ??= { input: { cheap: compileCheap('input'), deep: compileDeep('input') }, output: { cheap: compileCheap('output'), deep: compileDeep('output') } };
  const byScope = terms;
  // The catalog's title exceptions are found with every term (a title may hold an input-only one).
  const { cheap: cheapTerms, deep: deepTerms } = byScope.input;
  let restricted: readonly string[] = opts.restrictedTitles ?? [];
  let allAges: readonly string[] = opts.safeTitles ?? [];
  let restrictedIds = new Set<string>();
  let byName = new Map<string, string[]>();
  if (opts.catalog) {
    const catalog = opts.catalog;
    const a = opts.catalogAudience ? opts.catalogAudience(catalog, () => catalogAudience(catalog)) : catalogAudience(catalog);
    ({ restrictedTitles: restricted, allAgesTitles: allAges, restrictedIds, restrictedByName: byName } = a);
  }
  let compiled = compileCatalog(restricted, allAges, cheapTerms, deepTerms, restrictedIds, byName, opts.catalogPlans);
  const publicKeys = knownKeys(opts.publicContacts ?? DEFAULT_PUBLIC_CONTACTS);
  // The customer's own name and id, folded once per audience (one per message), not on every
  // check of it (the input, and each chunk of the answer).
  const ownKeysByList = new WeakMap<readonly string[], Set<string>>();
  const ownKeysOf = (own: readonly string[]): Set<string> => {
    let keys = ownKeysByList.get(own);
    if (!keys) ownKeysByList.set(own, (keys = knownKeys(own)));
    return keys;
  };
  const piiFilters = FILTERS.filter((f) => f.category === 'personal_data');

  function select(scope: Scope, allowed: boolean, tier: 'cheap' | 'expensive', only: ReadonlySet<GuardrailCategory> | undefined): { filters: FilterDef[]; ids: Set<string> } {
    const filters = FILTERS.filter((f) => f.tier === tier && f[scope] && !(f.ageGated && allowed) && (!only || only.has(f.category)));
    return { filters, ids: new Set(filters.map((f) => f.id)) };
  }
  // Without `only` (every check but a series' names) the filters that run depend on scope, age and
  // tier alone: chosen once per combination, not on every check (several per message).
  const selected = new Map<string, { filters: FilterDef[]; ids: Set<string> }>();
  function active(scope: Scope, allowed: boolean, tier: 'cheap' | 'expensive', only: ReadonlySet<GuardrailCategory> | undefined): { filters: FilterDef[]; ids: ReadonlySet<string> } {
    if (only) return select(scope, allowed, tier, only);
    const key = `${scope}:${allowed}:${tier}`;
    let hit = selected.get(key);
    if (!hit) selected.set(key, (hit = select(scope, allowed, tier, undefined)));
    return hit;
  }

  function blocks(f: Finding, scope: Scope): boolean {
    return scope === 'output' || FILTER_BY_ID.get(f.filter)?.blocksInput !== false;
  }

  function check(text: string, audience: Audience, scope: Scope, only?: ReadonlySet<GuardrailCategory>, decoding = false): Verdict {
    const t0 = performance.now();
    const allowed = ageAllowed(audience);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const add = (f: Finding) => {
      const k = `${f.filter}\u0000${f.start}\u0000${f.end}`;
      if (seen.has(k)) return;
      // The expensive tier finds again what the cheap one found (an insult that does not block): reported once.
      if (f.tier === 'expensive' && findings.some((g) => g.category === f.category && g.start <= f.start && f.end <= g.end)) return;
      seen.add(k);
      findings.push(f);
    };

    const { filters: cheapFilters, ids: on } = active(scope, allowed, 'cheap', only);
    const cheap = foldCheap(text);
    let deepForm: DeepFolded | undefined;
    const deepOf = () => (deepForm ??= foldDeep(cheap));
    const { titles, safe } = compiled;
    // Hits inside an all-ages title the text names whole are that title (found once, on the first hit).
    let titleSpans: [number, number][] | undefined;
    const named = (start: number, end: number) => (titleSpans ??= safeSpans(deepOf(), safe)).some(([a, b]) => a <= start && end <= b);
    const wantCheap = (term: CompiledTerm) => on.has(term.filter) && !(term.spec.inputOnly && scope !== 'input');
    const automata = byScope[scope];
    for (const [s, e, term] of termHits(automata.cheap, cheap.text, wantCheap)) {
      const start = cheap.start[s];
      const end = cheap.end[e - 1];
      if (!named(start, end)) add({ category: term.category, filter: term.filter, tier: 'cheap', start, end });
    }
    const ownKeys = audience.own?.length ? ownKeysOf(audience.own) : undefined;
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

    // A series' names (only) are always checked in full: a listed word in a title must not hide a restricted name.
    if (only || !findings.some((f) => blocks(f, scope))) {
      const { filters: expensive, ids: deepOn } = active(scope, allowed, 'expensive', only);
      filtersRun += expensive.length;
      const deep = deepOf();
      const wantDeep = (term: CompiledTerm) => deepOn.has(term.filter) && !(term.spec.inputOnly && scope !== 'input');
      const hits = [
        ...termHits(automata.deep.plain, deep.text, wantDeep),
        ...termHits(automata.deep.kana, deep.kana, wantDeep),
        ...(deepOn.has('age.restricted_title') ? termHits(titles, deep.kana, wantDeep) : []),
      ];
      for (const [s, e, term] of hits) {
        const start = deep.start[s];
        const end = deep.end[e - 1];
        if (!named(start, end) && !splitByClause(text, start, end, term)) add({ category: term.category, filter: term.filter, tier: 'expensive', start, end });
      }
      if (deepOn.has('injection.patterns')) injectionPatterns(cheap, deep, add);
      if (!decoding && scope === 'input') decoded(text, audience, scope, only, add);
    }

    findings.sort((a, b) => a.start - b.start || a.end - b.end);
    return { ok: !findings.some((f) => blocks(f, scope)), findings, filtersRun, ms: performance.now() - t0 };
  }

  function injectionPatterns(cheap: Folded, deep: DeepFolded, add: (f: Finding) => void): void {
    let squeezed: { text: string; at: number[] } | undefined;
    for (const p of INJECTION_PATTERNS) {
      if (p.form === 'squeezed') {
        if (!SPELLED_OUT.test(cheap.text)) continue;
        squeezed ??= squeeze(deep);
        const m = p.re.exec(squeezed.text);
        if (m) add({ category: 'prompt_injection', filter: 'injection.patterns', tier: 'expensive', start: deep.start[squeezed.at[m.index]], end: deep.end[squeezed.at[m.index + m[0].length - 1]] });
        continue;
      }
      const folded = p.form === 'cheap' ? cheap : deep;
      const m = p.re.exec(p.form === 'cheap' ? cheap.text : p.form === 'kana' ? deep.kana : deep.text);
      if (m && m[0].length > 0) add({ category: 'prompt_injection', filter: 'injection.patterns', tier: 'expensive', start: folded.start[m.index], end: folded.end[m.index + m[0].length - 1] });
    }
  }

  /** Base64 runs in a message decoded and checked like the message; a finding covers the whole run. */
  function decoded(text: string, audience: Audience, scope: Scope, only: ReadonlySet<GuardrailCategory> | undefined, add: (f: Finding) => void): void {
    for (const m of text.matchAll(BASE64_RUN)) {
      const plain = decodeBase64(m[0]);
      if (plain === undefined) continue;
      for (const f of check(plain, audience, scope, only, true).findings) {
        add({ category: f.category, filter: OBFUSCATED[f.filter] ?? f.filter, tier: 'expensive', start: m.index, end: m.index + m[0].length });
      }
    }
  }

  return {
    checkInput: (text, audience) => check(text, audience, 'input'),
    checkOutput: (text, audience) => check(text, audience, 'output'),
    mayShow(series, audience) {
      if (ageAllowed(audience)) return true;
      // The answer for an audience not allowed depends only on the series and the catalog: kept until the catalog changes.
      const names = namesOf(series).join('\n');
      const key = `${series.id}\u0000${names}`;
      let shown = compiled.shown.get(key);
      if (shown === undefined) {
        shown = !compiled.restrictedIds.has(series.id) && !adultBySelf(series) && !check(names, audience, 'output', AUDIENCE_CATEGORIES).findings.some((f) => AUDIENCE_CATEGORIES.has(f.category));
        if (compiled.shown.size >= MAX_SHOWN_CACHE) compiled.shown.clear();
        compiled.shown.set(key, shown);
      }
      return shown;
    },
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
    restrictedNamed(text) {
      const c = compiled;
      const deep = foldDeep(foldCheap(text));
      const hits: { start: number; end: number; ids: string[] }[] = [];
      const generic: string[] = [];
      c.named.scan(deep.kana, (s, e, name) => {
        if (!wordBounded(deep.kana, s, e)) return;
        const start = deep.start[s];
        const end = deep.end[e - 1];
        if (name.short && !standsAlone(text, start, end)) return;
        if (name.inside && partOfLongerTitle(deep.kana, s, e, name)) return;
        if (genericUse(text, start, end, name.key, c.ordinary)) generic.push(...name.ids.filter((id) => !generic.includes(id)));
        else hits.push({ start, end, ids: name.ids });
      });
      if (hits.length === 0) return { named: [], generic };
      // Inside an all-ages title named whole ("Fairy Tale Battle Royale"): that title. Inside a longer adult name (Gantz in Gantz:G): the longer one.
      const spans = safeSpans(deep, c.safe);
      const named: string[] = [];
      for (const h of hits.sort((a, b) => a.start - b.start)) {
        if (spans.some(([a, b]) => a <= h.start && h.end <= b)) continue;
        if (hits.some((o) => o !== h && o.start <= h.start && h.end <= o.end && o.end - o.start > h.end - h.start)) continue;
        if (!named.includes(h.ids[0])) named.push(h.ids[0]);
      }
      return { named, generic: generic.filter((id) => !named.includes(id)) };
    },
    setCatalog(series) {
      const a = catalogAudience(series);
      restricted = a.restrictedTitles;
      allAges = a.allAgesTitles;
      byName = a.restrictedByName;
      compiled = compileCatalog(restricted, allAges, cheapTerms, deepTerms, a.restrictedIds, byName);
    },
    setRestrictedTitles(list) {
      restricted = list;
      compiled = compileCatalog(restricted, allAges, cheapTerms, deepTerms, compiled.restrictedIds, byName);
    },
    setSafeTitles(list) {
      allAges = list;
      compiled = compileCatalog(restricted, allAges, cheapTerms, deepTerms, compiled.restrictedIds, byName);
    },
    get filterCount() {
      return FILTERS.length;
    },
  };
}
