/**
 * Guardrails for a Japanese manga store's chat: adult content, personal data, abusive language,
 * prompt injection and age-restricted titles, checked on the customer's message before it
 * reaches a model and on the answer while it streams. Tiered: cheap checks first, expensive
 * ones only when the cheap ones pass.
 */
import type { Language } from '../understanding/types.ts';
import type { AudienceSeries } from './audience.ts';

/** What a filter looks for. Stable strings: metrics labels and the `revise` frame's reason. */
export type GuardrailCategory = 'adult' | 'personal_data' | 'abuse' | 'prompt_injection' | 'age_restricted';

/** One thing a filter found. */
export interface Finding {
  category: GuardrailCategory;
  /** The filter that found it (stable id, e.g. 'pii.card_number'). */
  filter: string;
  tier: 'cheap' | 'expensive';
  /** Where in the checked text (UTF-16 offsets), for redaction. */
  start: number;
  end: number;
}

/** The result of checking one text. */
export interface Verdict {
  /** True when nothing blocking was found. */
  ok: boolean;
  findings: Finding[];
  /** Filters that ran (the expensive tier runs only when the cheap one passed). */
  filtersRun: number;
  /** Evaluation time, ms. */
  ms: number;
}

/** Who the answer is for: age-restricted titles need a signed-in customer who confirmed their age; their own name/e-mail is not a leak. */
export interface Audience {
  language: Language;
  kind: 'guest' | 'member' | 'prime';
  ageConfirmed?: boolean;
  /** Personal data of the customer themself (name, e-mail, phone) that may appear in the answer. */
  own?: string[];
}

/** The filters. */
export interface Guardrails {
  /** The customer's message, before any model sees it: injection, abuse, adult requests, personal data typed in. */
  checkInput(text: string, audience: Audience): Verdict;
  /** A piece of the answer (a chunk, or the whole): adult content, personal data, abuse, age-restricted titles for this audience. */
  checkOutput(text: string, audience: Audience): Verdict;
  /**
   * Whether a series may be shown to this audience — as a card, or in the grounding a model
   * sees: the same audience rule as checkOutput applies to text, before anything is sent.
   */
  mayShow(series: AudienceSeries, audience: Audience): boolean;
  /**
   * The adult series a customer's message names by one of their names, anywhere in it ("I'm 17,
   * can I buy Elfen Lied?", 「ガンツって中学生でも読めますか？」), in the order named: their ids
   * (`named`; one per name, the main series when several share it). A generic phrase that
   * happens to be a title ("monster girl manga", "any prison school manga?") names none: those
   * series are `generic`, so a title search that lands on them is no request for them either.
   * An all-ages title named whole that contains an adult name is that title.
   */
  restrictedNamed(text: string): { named: string[]; generic: string[] };
  /** The text with personal data (card numbers and their expiry/security code, My Number, phone, e-mail, address) masked, for storage, logs, prompts and cache keys. */
  redact(text: string): string;
}
