/**
 * The guardrail filters: term lists, personal-data patterns, the text folding both tiers match
 * on, and a small Aho-Corasick matcher. guardrails.ts decides which filters run and what blocks.
 *
 * Every finding is reported in the checked text's own UTF-16 offsets, so folding keeps, for each
 * unit of folded text, the span of original text it came from.
 */
import type { GuardrailCategory } from './types.ts';

// ---------------------------------------------------------------------------------------------
// Filter registry
// ---------------------------------------------------------------------------------------------

/** One filter: a stable id (metrics label, `revise` reason), what it finds, its tier and where it runs. */
export interface FilterDef {
  id: string;
  category: GuardrailCategory;
  tier: 'cheap' | 'expensive';
  /** Runs on the customer's message. */
  input: boolean;
  /** Runs on the answer. */
  output: boolean;
  /** Runs only for an audience not allowed age-restricted content (guest, or age not confirmed). */
  ageGated: boolean;
}

/** All filters, cheap tier first. */
export const FILTERS: readonly FilterDef[] = [
  { id: 'adult.terms', category: 'adult', tier: 'cheap', input: true, output: true, ageGated: true },
  { id: 'abuse.terms', category: 'abuse', tier: 'cheap', input: true, output: true, ageGated: false },
  { id: 'injection.phrases', category: 'prompt_injection', tier: 'cheap', input: true, output: false, ageGated: false },
  { id: 'pii.card_number', category: 'personal_data', tier: 'cheap', input: true, output: true, ageGated: false },
  { id: 'pii.my_number', category: 'personal_data', tier: 'cheap', input: true, output: true, ageGated: false },
  { id: 'pii.phone', category: 'personal_data', tier: 'cheap', input: true, output: true, ageGated: false },
  { id: 'pii.email', category: 'personal_data', tier: 'cheap', input: true, output: true, ageGated: false },
  { id: 'pii.address', category: 'personal_data', tier: 'cheap', input: true, output: true, ageGated: false },
  { id: 'adult.obfuscated', category: 'adult', tier: 'expensive', input: true, output: true, ageGated: true },
  { id: 'abuse.obfuscated', category: 'abuse', tier: 'expensive', input: true, output: true, ageGated: false },
  { id: 'injection.obfuscated', category: 'prompt_injection', tier: 'expensive', input: true, output: false, ageGated: false },
  { id: 'age.restricted_title', category: 'age_restricted', tier: 'expensive', input: false, output: true, ageGated: true },
];

// ---------------------------------------------------------------------------------------------
// Term lists
// ---------------------------------------------------------------------------------------------

/** A listed term and the context that keeps it from firing inside ordinary words. */
export interface TermSpec {
  term: string;
  /**
   * 'start': only the start needs an ASCII word boundary (porn → porno, pornography). By default
   * each edge of the term that is an ASCII letter or digit needs a boundary (kill you ≠ kill your).
   */
  boundary?: 'start';
  /** The character before a match must not match this (ダークソウル is not クソ). */
  notBefore?: RegExp;
  /** The character after a match must not match this (死ねない is not 死ね). */
  notAfter?: RegExp;
  /** Longer words that contain the term and are fine (エロマンガ先生 is an all-ages title). */
  except?: string[];
  /** Checked on the customer's message only: a label the store's own age policy answers use. */
  inputOnly?: boolean;
}

const KATAKANA = /[\p{Script=Katakana}ー]/u;
const t = (term: string, extra: Omit<TermSpec, 'term'> = {}): TermSpec => ({ term, ...extra });

/**
 * Adult content. Two kinds: explicit terms (block for an audience not allowed, in the message and
 * in the answer) and category labels (成人向け, R18...) that are checked on the customer's
 * message only, because the store's own age policy answers say them ("18+/成人向けの作品は
 * 年齢確認済みの会員のみ"); what must not reach a guest's answer, the titles themselves, is the
 * restricted-title filter's job. Ecchi/エッチ is absent on purpose: ecchi titles are sold to all ages here.
 */
export const ADULT_TERMS: readonly TermSpec[] = [
  // explicit, EN
  t('porn', { boundary: 'start' }),
  t('hentai', { boundary: 'start' }),
  t('erotic', { boundary: 'start' }),
  t('explicit sex'),
  t('sex scene', { boundary: 'start' }),
  // BL/yuri descriptions say "same-sex romance".
  t('sex', { except: ['same-sex', 'same sex', 'opposite sex', 'sex education'] }),
  t('xxx'),
  t('nsfw'),
  t('x-rated'),
  t('smut', { boundary: 'start' }),
  // explicit, JA
  t('エロ', { notBefore: KATAKANA, except: ['エロマンガ先生'] }), // ラファエロ; Eromanga Sensei is all-ages
  t('セックス'),
  t('ポルノ'),
  t('無修正'),
  t('淫乱'),
  t('官能小説'),
  t('中出し'),
  // labels (customer's message only)
  t('成人向け', { inputOnly: true }),
  t('成年コミック', { inputOnly: true }),
  t('アダルト', { inputOnly: true, except: ['ヤングアダルト', 'アダルトチルドレン'] }),
  t('18禁', { inputOnly: true }),
  t('r18', { inputOnly: true }),
  t('r-18', { inputOnly: true }),
  t('adult manga', { inputOnly: true }),
  t('adult comics', { inputOnly: true }),
  t('adult content', { inputOnly: true }),
  t('adults only', { inputOnly: true }),
  t('adult only', { inputOnly: true }),
];

/**
 * Abusive language: insults and threats aimed at someone, not dark subject matter. Bare 殺す,
 * "kill", "die" and "death" are absent because synopses use them (鬼を殺す, "vows to kill every
 * Titan"); バカ, アホ and "bastard" alone are absent because they are in titles
 * (バカとテストと召喚獣, 天才バカボン, アホガール, Bastard!!), and 役立たず because synopses use it
 * (宝石の国: 脆く役立たずのフォスフォフィライト). Checked against every synopsis in data/catalog.
 */
export const ABUSE_TERMS: readonly TermSpec[] = [
  // JA
  t('死ね', { notAfter: /[なるばずまたれ]/u }), // 死ねない, 死ねる, 死ねば are ordinary
  t('殺すぞ'),
  t('殺してやる'),
  t('ぶっ殺'),
  t('ころすぞ'),
  t('バカ野郎'),
  t('馬鹿野郎'),
  t('ばかやろう'),
  t('バカヤロー'),
  t('クソ野郎'),
  t('くそ野郎'),
  t('くそったれ'),
  // ジャクソン, ダークソウル, ロックソング; クソゲー is a genre word (シャングリラ・フロンティア's synopsis).
  t('クソ', { notBefore: KATAKANA, except: ['クソゲー'] }),
  t('きもい', { notAfter: /り/u }), // 肝煎り written きもいり
  t('キモい'),
  t('キモイ'),
  t('うざい'),
  t('ウザい'),
  t('消えろ'),
  t('ふざけるな'),
  t('ふざけんな'),
  // EN
  t('fuck', { boundary: 'start' }),
  t('f*ck', { boundary: 'start' }),
  t('f**k', { boundary: 'start' }),
  t('sh*t'),
  t('shit'),
  t('shitty'),
  t('bullshit'),
  t('bitch', { boundary: 'start' }),
  t('asshole', { boundary: 'start' }),
  t('cunt', { boundary: 'start' }),
  t('dumbass'),
  t('idiot', { boundary: 'start' }),
  t('moron', { boundary: 'start' }),
  t('retard', { boundary: 'start' }),
  t('stupid bot'),
  t('you are stupid'),
  t("you're stupid"),
  t('kill you'),
  t('kill yourself'),
  t('kys'),
  t('go die'),
  t('die in a fire'),
];

function combos(...parts: string[][]): string[] {
  return parts.reduce<string[]>((acc, part) => acc.flatMap((a) => part.map((p) => a + p)), ['']);
}

/**
 * Prompt injection, customer's message only. "ignore (all )?(previous|prior) instructions" and
 * its usual variants are expanded into literal phrases so one automaton pass finds them all.
 * "You are now" alone is not listed: it starts ordinary questions ("you are now open on Sundays?").
 */
export const INJECTION_TERMS: readonly TermSpec[] = [
  ...combos(['ignore ', 'disregard ', 'forget '], ['all ', 'all the ', 'any ', 'your ', 'the ', 'all your '], ['previous ', 'prior ', 'above ', 'earlier ', 'preceding '], ['instruction', 'rule', 'prompt', 'direction', 'guideline']).map((term) => t(term, { boundary: 'start' })),
  ...combos(['ignore ', 'disregard ', 'forget '], ['previous ', 'prior ', 'your ', 'all '], ['instruction', 'rule', 'prompt', 'direction', 'guideline']).map((term) => t(term, { boundary: 'start' })),
  t('system prompt'),
  t('developer mode'),
  t('jailbreak', { boundary: 'start' }),
  t('do anything now'),
  t('you are now dan'),
  t('you are now an ai'),
  t('you are now unrestricted'),
  t('you are now free from'),
  t('from now on you are'),
  t('from now on, you are'),
  t('pretend you have no restrictions'),
  t('reveal your instructions'),
  t('repeat your instructions'),
  t('以前の指示を無視'),
  t('前の指示を無視'),
  t('これまでの指示を無視'),
  t('上記の指示を無視'),
  t('指示を無視して'),
  t('命令を無視'),
  t('指示を忘れて'),
  t('ルールを無視'),
  t('システムプロンプト'),
  t('あなたは今から'),
  t('今からあなたは'),
  t('開発者モード'),
  t('脱獄モード'), // bare 脱獄 is a genre (prison-break stories)
  t('ジェイルブレイク'),
  t('制限を解除して'),
];

/** The 47 prefectures, as an address after a postal code starts. */
export const PREFECTURES: readonly string[] = [
  '北海道', '青森県', '岩手県', '宮城県', '秋田県', '山形県', '福島県', '茨城県', '栃木県', '群馬県', '埼玉県', '千葉県',
  '東京都', '神奈川県', '新潟県', '富山県', '石川県', '福井県', '山梨県', '長野県', '岐阜県', '静岡県', '愛知県', '三重県',
  '滋賀県', '京都府', '大阪府', '兵庫県', '奈良県', '和歌山県', '鳥取県', '島根県', '岡山県', '広島県', '山口県', '徳島県',
  '香川県', '愛媛県', '高知県', '福岡県', '佐賀県', '長崎県', '熊本県', '大分県', '宮崎県', '鹿児島県', '沖縄県',
];

// ---------------------------------------------------------------------------------------------
// Folding
// ---------------------------------------------------------------------------------------------

/** Folded text with, for each of its UTF-16 units, the span of original text it came from. */
export interface Folded {
  text: string;
  start: number[];
  end: number[];
}

/** The obfuscation-tolerant form: `text` keeps kana as written, `kana` has katakana folded to hiragana (same length and spans). */
export interface DeepFolded extends Folded {
  kana: string;
}

// NFKC per code point is the slow part of folding; characters repeat, so their forms are kept.
const nfkcCache = new Map<number, string>();
const COMBINING = /^\p{M}/u;

function isNfkcStable(c: number): boolean {
  // Hiragana, katakana, the long-vowel mark, CJK ideographs and 、。「」『』 are their own NFKC form.
  return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) || c === 0x30fc || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3001 && c <= 0x3002) || (c >= 0x300c && c <= 0x300f);
}

/**
 * The cheap tier's form: NFKC (full-width letters/digits, half-width kana, ①, ＠ fold to their
 * ordinary forms), lower case, and each whitespace run as one space.
 */
export function foldCheap(src: string): Folded {
  const parts: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let lastSpace = false;
  let i = 0;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    let len = 1;
    let form: string;
    if (c < 0x80) {
      form = c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : c === 9 || c === 10 || c === 13 || c === 12 || c === 11 ? ' ' : src[i];
    } else if (isNfkcStable(c)) {
      form = src[i];
    } else {
      const cp = src.codePointAt(i)!;
      len = cp > 0xffff ? 2 : 1;
      let cached = nfkcCache.get(cp);
      if (cached === undefined) {
        cached = String.fromCodePoint(cp).normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ');
        if (nfkcCache.size < 20_000) nfkcCache.set(cp, cached);
      }
      form = cached;
      // A half-width voiced mark (ｶﾞ) or a combining accent folds into the character before it.
      if (COMBINING.test(form) && parts.length > 0) {
        const prev = parts[parts.length - 1];
        const composed = (prev + form).normalize('NFC');
        if (composed.length === 1 && prev.length === 1) {
          parts[parts.length - 1] = composed;
          end[end.length - 1] = i + len;
          i += len;
          continue;
        }
      }
    }
    if (form === ' ') {
      if (lastSpace) {
        end[end.length - 1] = i + len;
      } else {
        parts.push(' ');
        start.push(i);
        end.push(i + len);
        lastSpace = true;
      }
      i += len;
      continue;
    }
    lastSpace = false;
    for (let k = 0; k < form.length; k++) {
      parts.push(form[k]);
      start.push(i);
      end.push(i + len);
    }
    i += len;
  }
  return { text: parts.join(''), start, end };
}

const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad, 0x034f, 0x180e]);
// Characters people put between the letters of a word to get it past a filter.
const SEPARATORS = new Set(' .·・_*-‐‑‒–—―/|,~+:;\'"`^'.split('').map((s) => s.charCodeAt(0)));
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

function isAsciiWord(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x40 || c === 0x24;
}

function isLetterLike(ch: string): boolean {
  return /[\p{L}\p{N}]/u.test(ch);
}

/**
 * The expensive tier's form, from the cheap one: zero-width characters dropped; a separator run
 * between two single characters dropped (p.o.r.n, エ・ロ, 死 ね), any other separator run made
 * one space (ignore-previous-instructions); leetspeak inside words that have a letter (p0rn, s3x,
 * k1ll); and, in `kana`, katakana folded to hiragana.
 */
export function foldDeep(cheap: Folded): DeepFolded {
  const src = cheap.text;
  const n = src.length;
  // Length of the ASCII word run each position belongs to (0 outside one): "single" letters are runs of 1.
  const runLen = new Int32Array(n);
  for (let i = 0; i < n; ) {
    if (!isAsciiWord(src.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isAsciiWord(src.charCodeAt(j))) j++;
    for (let k = i; k < j; k++) runLen[k] = j - i;
    i = j;
  }
  const single = (i: number): boolean => {
    const c = src.charCodeAt(i);
    if (isAsciiWord(c)) return runLen[i] === 1;
    return c >= 0x80 && isLetterLike(src[i]);
  };
  const parts: string[] = [];
  const start: number[] = [];
  const end: number[] = [];
  let lastEmitted = -1; // index in src of the last emitted unit
  for (let i = 0; i < n; ) {
    const c = src.charCodeAt(i);
    if (ZERO_WIDTH.has(c)) {
      i++;
      continue;
    }
    if (SEPARATORS.has(c)) {
      let j = i;
      while (j < n && (SEPARATORS.has(src.charCodeAt(j)) || ZERO_WIDTH.has(src.charCodeAt(j)))) j++;
      const joins = lastEmitted >= 0 && j < n && single(lastEmitted) && single(j);
      if (!joins && parts.length > 0 && parts[parts.length - 1] !== ' ' && j < n) {
        parts.push(' ');
        start.push(cheap.start[i]);
        end.push(cheap.end[j - 1]);
      }
      i = j;
      continue;
    }
    parts.push(src[i]);
    start.push(cheap.start[i]);
    end.push(cheap.end[i]);
    lastEmitted = i;
    i++;
  }
  // Leetspeak only inside runs that have a letter: prices, ISBNs and order numbers stay digits.
  for (let i = 0; i < parts.length; ) {
    if (!isAsciiWord(parts[i].charCodeAt(0))) {
      i++;
      continue;
    }
    let j = i;
    let letter = false;
    while (j < parts.length && parts[j].length === 1 && isAsciiWord(parts[j].charCodeAt(0))) {
      const c = parts[j].charCodeAt(0);
      if (c >= 0x61 && c <= 0x7a) letter = true;
      j++;
    }
    if (letter) for (let k = i; k < j; k++) parts[k] = LEET[parts[k]] ?? parts[k];
    i = Math.max(j, i + 1);
  }
  const text = parts.join('');
  let kana = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    kana += c >= 0x30a1 && c <= 0x30f6 ? String.fromCharCode(c - 0x60) : text[i];
  }
  return { text, kana, start, end };
}

/** The cheap tier's form of a term or title. */
export function cheapKey(s: string): string {
  return foldCheap(s).text.trim();
}

/** The expensive tier's form of a term or title; `kana` folds katakana to hiragana. */
export function deepKey(s: string, kana: boolean): string {
  const d = foldDeep(foldCheap(s));
  return (kana ? d.kana : d.text).trim();
}

// ---------------------------------------------------------------------------------------------
// Aho-Corasick
// ---------------------------------------------------------------------------------------------

/**
 * Multi-pattern matcher over UTF-16 code units. Hand-written because the npm automata
 * (modern-ahocorasick) segment every text into grapheme clusters, which measured ~10x slower on a
 * chunk-sized window, and they would only see our folded text anyway: the offsets and context
 * rules are ours.
 */
export class AhoCorasick<T> {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: { value: T; length: number }[][] = [[]];

  constructor(patterns: Iterable<{ key: string; value: T }>) {
    for (const { key, value } of patterns) {
      if (key.length === 0) continue;
      let node = 0;
      for (let i = 0; i < key.length; i++) {
        const c = key.charCodeAt(i);
        let child = this.next[node].get(c);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[node].set(c, child);
        }
        node = child;
      }
      this.out[node].push({ value, length: key.length });
    }
    const queue: number[] = [...this.next[0].values()];
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q];
      for (const [c, child] of this.next[node]) {
        queue.push(child);
        let f = this.fail[node];
        while (f !== 0 && !this.next[f].has(c)) f = this.fail[f];
        const target = this.next[f].get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.out[this.fail[child]];
        if (inherited.length > 0) this.out[child] = this.out[child].concat(inherited);
      }
    }
  }

  /** Calls `hit` for every occurrence (overlapping ones too) with its [start, end) in `text`. */
  scan(text: string, hit: (start: number, end: number, value: T) => void): void {
    let node = 0;
    const { next, fail, out } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let to = next[node].get(c);
      while (to === undefined && node !== 0) {
        node = fail[node];
        to = next[node].get(c);
      }
      node = to ?? 0;
      const o = out[node];
      for (let k = 0; k < o.length; k++) hit(i + 1 - o[k].length, i + 1, o[k].value);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Term matching
// ---------------------------------------------------------------------------------------------

/** A listed term compiled for one folded form. */
export interface CompiledTerm {
  filter: string;
  category: GuardrailCategory;
  key: string;
  spec: TermSpec;
  excepts: string[];
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
}

/** True when a match of `term` at [s, e) of `text` stands as the term and not inside an ordinary word. */
export function termFits(text: string, s: number, e: number, term: CompiledTerm): boolean {
  const { key, spec } = term;
  if (isAsciiAlnum(key.charCodeAt(0)) && s > 0 && isAsciiAlnum(text.charCodeAt(s - 1))) return false;
  if (spec.boundary !== 'start' && isAsciiAlnum(key.charCodeAt(key.length - 1)) && e < text.length && isAsciiAlnum(text.charCodeAt(e))) return false;
  if (spec.notBefore && s > 0 && spec.notBefore.test(text[s - 1])) return false;
  if (spec.notAfter && e < text.length && spec.notAfter.test(text[e])) return false;
  for (const x of term.excepts) {
    for (let at = x.indexOf(key); at >= 0; at = x.indexOf(key, at + 1)) {
      if (s - at >= 0 && text.startsWith(x, s - at)) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Personal data
// ---------------------------------------------------------------------------------------------

/** A personal-data span in folded text, with the key that identifies it (digits, address postcode, lower-case e-mail). */
export interface PiiMatch {
  filter: 'pii.card_number' | 'pii.my_number' | 'pii.phone' | 'pii.email' | 'pii.address';
  start: number;
  end: number;
  key: string;
}

/** Luhn checksum, as every payment card number carries. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** EAN-13 check digit (weights 1 and 3), as ISBN-13 and JAN barcodes carry. */
export function ean13Valid(digits: string): boolean {
  if (!/^\d{13}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(12) - 48;
}

/** My Number (個人番号) check digit: weights 2-7 then 2-6 from the right of the first 11 digits, mod 11. */
export function myNumberValid(digits: string): boolean {
  if (!/^\d{12}$/.test(digits)) return false;
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = digits.charCodeAt(11 - n) - 48;
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const r = sum % 11;
  return (r <= 1 ? 0 : 11 - r) === digits.charCodeAt(11) - 48;
}

const DASHES = '\\-‐‑‒–—―−ー';
// A number glued to letters or digits by a dash is part of an ID (ORD-2024-000123, MA-20261101-0001); ー after a word is a long vowel (マイナンバー).
const NOT_IN_ID = `(?<![0-9a-z]|[0-9a-z][${DASHES}]|\\d[ ${DASHES}])`;
// 13-19 digits, single spaces or dashes allowed between them.
const CARD_RE = new RegExp(`${NOT_IN_ID}\\d(?:[ ${DASHES}]?\\d){12,18}(?![0-9a-z])`, 'g');
// 12 digits, plain or 4-4-4; not part of a longer number such as a card number.
const MY_NUMBER_RE = new RegExp(`${NOT_IN_ID}\\d{4}([ ${DASHES}]?)\\d{4}\\1\\d{4}(?![0-9a-z${DASHES}]|[ ${DASHES}]\\d)`, 'g');
const PHONE_CANDIDATE_RE = new RegExp(`${NOT_IN_ID}(?<![+./])(?:\\+81|\\(?0)[0-9() ${DASHES}]{7,20}`, 'g');
const EMAIL_RE = /(?<![a-z0-9._%+-])[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?![a-z0-9-])/g;
const POSTCODE = `(?:(?:〒|郵便番号:?) ?\\d{3}[${DASHES}]?\\d{4}|(?<![0-9${DASHES}])\\d{3}[${DASHES}]\\d{4})`;
const ADDRESS_RE = new RegExp(`${POSTCODE} ?(?:${PREFECTURES.join('|')})`, 'g');
// The rest of an address line: kanji, katakana, digits, Latin, dashes and spaces (hiragana or punctuation ends it).
const ADDRESS_TAIL = new RegExp(`[\\p{Script=Han}\\p{Script=Katakana}ー0-9a-z ${DASHES}#]`, 'u');
// Card and ISBN-13 both carry a check digit; a number right after "ISBN" is a book.
const ISBN_BEFORE = /isbn[- :]*(?:-?1[03])?[- :]*$/;
// Carriers' tracking numbers are 12 digits too, and one in fifteen of the store's passes the My Number check.
const TRACKING_BEFORE = /(?:追跡|問い?合わ?せ番号|伝票|配送番号|tracking|track)[^0-9]{0,12}$/;
// Toll-free and navigation numbers are businesses (the store's own 0120), never personal.
const BUSINESS_PHONE = /^(?:0120|0800|0570|0990|0180)/;

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

function before(text: string, at: number, n: number): string {
  return text.slice(Math.max(0, at - n), at);
}

/** The national form of a Japanese phone number in `digits` (+81 folded to a leading 0), or undefined. */
function nationalPhone(groups: string[], international: boolean): string | undefined {
  const first = international ? '0' + groups[0].replace(/^0/, '') : groups[0];
  const national = first + groups.slice(1).join('');
  if (!/^0\d{9,10}$/.test(national)) return undefined;
  if (BUSINESS_PHONE.test(national)) return 'business';
  if (national.length === 11 && !/^0[5789]0/.test(national)) return undefined;
  if (national.length === 10 && /^0[5789]0/.test(national)) return undefined;
  if (groups.length > 1) {
    // Area code (with its 0) 2-5 digits, subscriber number 4: an ISBN-10 like 0-306-40615-2 is not a phone.
    if (first.length < 2 || first.length > 5 || groups[groups.length - 1].length !== 4 || groups.length > 3) return undefined;
  }
  return national;
}

function findPhones(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(PHONE_CANDIDATE_RE)) {
    const s = m.index;
    let body = m[0];
    let international = false;
    let offset = 0;
    if (body.startsWith('+81')) {
      international = true;
      const prefix = /^\+81[ -]?(?:\(0\))?/.exec(body)![0];
      offset = prefix.length;
      body = body.slice(offset);
    }
    // Digit groups and where each ends; at most two separator characters between groups ("03) 1234").
    const groups: string[] = [];
    const ends: number[] = [];
    let cur = '';
    let gap = 0;
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch >= '0' && ch <= '9') {
        cur += ch;
        gap = 0;
        continue;
      }
      if (cur) {
        groups.push(cur);
        ends.push(s + offset + i);
        cur = '';
      }
      if (++gap > 2) break;
    }
    if (cur) {
      groups.push(cur);
      ends.push(s + offset + body.length);
    }
    if (groups.length === 0) continue;
    for (let k = groups.length; k >= 1; k--) {
      const end = ends[k - 1];
      // Followed by a dash and more digits: an ID with more groups than a phone has.
      if (new RegExp(`^[${DASHES}]\\d`).test(text.slice(end, end + 2))) continue;
      const national = nationalPhone(groups.slice(0, k), international);
      if (national === undefined) continue;
      if (national !== 'business' && !ISBN_BEFORE.test(before(text, s, 12))) out.push({ filter: 'pii.phone', start: s, end, key: national });
      break;
    }
  }
}

function findCards(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(CARD_RE)) {
    if (ISBN_BEFORE.test(before(text, m.index, 12))) continue;
    // Try the whole digit run, then shorter prefixes ending at a group boundary (a card followed by " 2 books").
    const positions: number[] = [];
    for (let i = 0; i < m[0].length; i++) if (m[0][i] >= '0' && m[0][i] <= '9') positions.push(i);
    const digits = digitsOf(m[0]);
    for (let len = digits.length; len >= 13; len--) {
      const endInMatch = positions[len - 1] + 1;
      if (len < digits.length && !/[ \-‐‑‒–—―−ー]/.test(m[0][endInMatch])) continue;
      const d = digits.slice(0, len);
      // Issuer prefixes 2-6 (Mastercard 2-series, Amex/JCB/Diners 3, Visa 4, Mastercard 5, Discover/UnionPay 6): ISBN-13s (978/979) are not cards.
      if (d[0] < '2' || d[0] > '6' || !luhnValid(d)) continue;
      // 13-digit Visa numbers are long retired; a 13-digit number with a valid EAN check is a barcode (JAN 45/49...).
      if (len === 13 && ean13Valid(d)) continue;
      out.push({ filter: 'pii.card_number', start: m.index, end: m.index + endInMatch, key: d });
      break;
    }
  }
}

function findMyNumbers(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(MY_NUMBER_RE)) {
    const d = digitsOf(m[0]);
    if (!myNumberValid(d)) continue;
    const pre = before(text, m.index, 24);
    if (TRACKING_BEFORE.test(pre) || ISBN_BEFORE.test(pre)) continue;
    out.push({ filter: 'pii.my_number', start: m.index, end: m.index + m[0].length, key: d });
  }
}

function findEmails(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(EMAIL_RE)) out.push({ filter: 'pii.email', start: m.index, end: m.index + m[0].length, key: m[0] });
}

function findAddresses(text: string, out: PiiMatch[]): void {
  for (const m of text.matchAll(ADDRESS_RE)) {
    let end = m.index + m[0].length;
    const limit = Math.min(text.length, m.index + 60);
    while (end < limit && ADDRESS_TAIL.test(text[end])) end++;
    while (end > m.index && text[end - 1] === ' ') end--;
    out.push({ filter: 'pii.address', start: m.index, end, key: postcodeOf(m[0]) });
  }
}

function postcodeOf(s: string): string {
  const m = new RegExp(`(\\d{3})[${DASHES}]?(\\d{4})`).exec(s);
  return m ? m[1] + m[2] : '';
}

/** Personal-data finders by filter id, each over cheap-folded text. */
export const PII_FINDERS: Record<PiiMatch['filter'], (text: string, out: PiiMatch[]) => void> = {
  'pii.card_number': findCards,
  'pii.my_number': findMyNumbers,
  'pii.phone': findPhones,
  'pii.email': findEmails,
  'pii.address': findAddresses,
};

/**
 * The keys a piece of known data (the customer's own e-mail/phone/address, the store's public
 * contacts) is recognised by: its folded text, its digits (a phone in any format), its postcode.
 */
export function knownKeys(values: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const v of values) {
    const folded = cheapKey(v);
    if (!folded) continue;
    keys.add(folded);
    const digits = digitsOf(folded);
    if (digits.length >= 7) {
      keys.add(digits);
      if (folded.startsWith('+81')) keys.add('0' + digits.slice(2).replace(/^0/, ''));
    }
    const post = postcodeOf(folded);
    if (post) keys.add(post);
  }
  return keys;
}

/** The text a redaction puts in place of each kind of personal data. */
export const REDACTION_LABEL: Record<PiiMatch['filter'], string> = {
  'pii.card_number': '[card]',
  'pii.my_number': '[my number]',
  'pii.phone': '[phone]',
  'pii.email': '[email]',
  'pii.address': '[address]',
};
