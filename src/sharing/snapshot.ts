import type { StoredMessage } from '../memory/types.ts';
import type { LeftOut, SharedCard, SharedMessage } from './types.ts';

/** What decides what a stranger may read: the guardrails' finders and audience rule, for an anonymous guest. */
export interface SnapshotRules {
  /** The text with personal data masked (cards, phones, e-mail, addresses, My Number): the guardrails' redact. */
  redact(text: string): string;
  /** True when the text is not for an anonymous guest: adult or age-restricted content, abuse (the guardrails' output check). */
  notForEveryone(text: string, language: 'ja' | 'en'): boolean;
  /** Of these series, the ones whose cards an anonymous guest may be shown (the audience rule, from the catalog). */
  seriesForEveryone(seriesIds: string[]): Promise<ReadonlySet<string>>;
}

/** What one conversation's snapshot also needs to know. */
export interface SnapshotContext {
  /** The series (of the conversation's cards) an anonymous guest may see: rules.seriesForEveryone. */
  allowedSeries: ReadonlySet<string>;
  /** The owner's own names and e-mail, masked wherever they appear. */
  ownNames?: readonly string[];
}

/** Order numbers as the store writes them (MA-20261005-0003). */
const ORDER_NUMBER = /MA-\d{8}-\d{4}/gi;
const ORDER_MASK = '[order number]';
const NAME_MASK = '[name]';

/**
 * The shared copy of a conversation: its turns (a question and its answer, paired by message id)
 * in order, each either kept — text masked, cards without price or stock — or replaced, whole, by
 * a note saying what kind of thing was left out:
 * - `orders`: anything about an order (the order-status intent, an answer about an order, an
 *   order number anywhere in the turn): order details are the customer's own;
 * - `handoff`: a request for a human (it opens a ticket in the customer's name);
 * - `not_for_everyone`: text an anonymous guest may not be shown (adult or 18+ titles, which an
 *   age-confirmed owner may have talked about; abuse), or an answer that withheld such a title.
 * Consecutive notes of one kind are one note. Cards of series an anonymous guest may not see are
 * dropped; the owner's names (whole and in parts) are masked on top of the guardrails' finders.
 */
export function snapshotMessages(history: readonly StoredMessage[], rules: Pick<SnapshotRules, 'redact' | 'notForEveryone'>, context: SnapshotContext): SharedMessage[] {
  const names = maskableNames(context.ownNames ?? []);
  const out: SharedMessage[] = [];
  for (const turn of turnsOf(history)) {
    const leftOut = leftOutWhy(turn, rules);
    if (leftOut) {
      const last = out.at(-1);
      if (!(last?.role === 'note' && last.leftOut === leftOut)) out.push({ role: 'note', leftOut, at: turn[0].at });
      continue;
    }
    for (const m of turn) {
      const text = mask(rules.redact(m.text), names);
      const cards = (m.cards ?? []).filter((c) => context.allowedSeries.has(c.seriesId)).map(publicCard);
      out.push({ role: m.role, text, at: m.at, ...(m.language ? { language: m.language } : {}), ...(cards.length > 0 ? { cards } : {}) });
    }
  }
  return out;
}

/** Messages grouped into turns: consecutive messages of one message id (a question and its answer). */
function turnsOf(history: readonly StoredMessage[]): StoredMessage[][] {
  const turns: StoredMessage[][] = [];
  for (const m of history) {
    const current = turns.at(-1);
    if (current && current[0].messageId === m.messageId) current.push(m);
    else turns.push([m]);
  }
  return turns;
}

function leftOutWhy(turn: readonly StoredMessage[], rules: Pick<SnapshotRules, 'notForEveryone'>): LeftOut | undefined {
  // Stateful regexes (g): test a fresh copy each time.
  const orderNumber = (text: string) => new RegExp(ORDER_NUMBER.source, 'i').test(text);
  if (turn.some((m) => m.intent === 'order_status' || m.about?.orderId !== undefined || orderNumber(m.text))) return 'orders';
  if (turn.some((m) => m.intent === 'escalation')) return 'handoff';
  if (turn.some((m) => (m.about?.withheld !== undefined) || rules.notForEveryone(m.text, m.language ?? 'en'))) return 'not_for_everyone';
  return undefined;
}

/** A card as a stranger sees it: what it is, never the price or stock of that moment. */
function publicCard(c: NonNullable<StoredMessage['cards']>[number]): SharedCard {
  return { id: c.id, seriesId: c.seriesId, title: c.title, ...(c.titleEn !== undefined ? { titleEn: c.titleEn } : {}), titleJa: c.titleJa, authors: [...c.authors], volume: c.volume };
}

/**
 * The owner's names worth masking: each whole, and each part of two characters or more ("John",
 * "Smith"; 佐藤, 花子), longest first so a whole name is masked before its parts.
 */
function maskableNames(ownNames: readonly string[]): string[] {
  const all = new Set<string>();
  for (const n of ownNames) {
    const whole = n.normalize('NFKC').trim();
    if (whole.length < 2) continue;
    all.add(whole);
    for (const part of whole.split(/[\s\u3000・,.]+/)) if (part.length >= 2) all.add(part);
  }
  return [...all].sort((a, b) => b.length - a.length);
}

function mask(text: string, names: readonly string[]): string {
  let out = text.replace(ORDER_NUMBER, ORDER_MASK);
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // Latin names as whole words only ("Ken" must not eat "Kenshin"); Japanese has no spaces to go by.
    const re = /^[\p{Script=Latin}\d'’-]+$/u.test(name) ? new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu') : new RegExp(escaped, 'gu');
    out = out.replace(re, NAME_MASK);
  }
  return out;
}
