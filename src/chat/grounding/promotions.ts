// Promotions: the running ones for a promotion question, and the series a promotion or points
// question is about, when the match is sure.
import { writtenInKatakana } from '../../catalog/name-index.ts';
import type { Series } from '../../catalog/types.ts';
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import { notRunningNamed, promotionTitleQuery } from '../../promotions/promotion-match.ts';
import { asksRuleAfterCampaign } from '../../retrieval/policy-sections.ts';
import { callDependency } from '../dependency-call.ts';
import { titleQuery } from '../title-query.ts';
import type { ResolvedReference } from '../../understanding/types.ts';
import { shed, type Lookup } from './lookup.ts';
import { foldName, localTitle } from './series.ts';

/** A title match this good is taken without the message spelling out one of the series' names. */
const SURE_TITLE_SCORE = 0.9;
/** A title match this good names a series whose name the message writes out (a promotion or points question). */
const SAID_TITLE_SCORE = 0.3;
/**
 * Words that point back at what the last answer was about ("on it", 「それって」), or at all of it
 * ("if I buy all 23?", "the whole series", 「全巻買ったら」): a discount asked right after one series
 * is asked of that series.
 */
const PRONOUN = /\b(?:it|that|this|them|these|those|that one|this one)\b|\ball (?:\d+|of (?:it|them)|the volumes|volumes)\b|\bthe (?:whole|entire|complete) (?:series|set|run|thing)\b|\bevery volume\b|それ|その|これ|この|あれ|全巻|全部/i;

/** The lookups of a promotion question: the running promotions (tier 3), and the series it asks about. */
export function promotionLookups(lk: Lookup, grounding: Grounding, text: string, history: StoredMessage[], reference: ResolvedReference, tier3: boolean): Promise<void>[] {
  const { deps, guard, fellBack, now, ctx } = lk;
  const lookups: Promise<void>[] = [];
  lookups.push(
    (tier3 ? callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now() })) : Promise.resolve(shed(deps, 'promotions'))).then((r) => {
      if (r.ok) grounding.promotions = r.value;
      else fellBack(grounding, 'promotions');
    }),
  );
  if (tier3) lookups.push(notRunningLookup(lk, grounding, text));
  // "Any promotions on it?", 「それってキャンペーン対象？」: the series the last answer was about, when the resolver left it open.
  const lastFocus = PRONOUN.test(text) ? history.filter((m) => m.role === 'assistant').at(-1)?.seriesIds?.[0] : undefined;
  if (tier3) lookups.push(promotionSeries(lk, grounding, text, reference.seriesId ?? lastFocus));
  return lookups;
}

/** How far back and ahead a question may name a promotion that is not running ("last summer's", "the New Year sale"). */
const NOT_RUNNING_WINDOW_MS = 800 * 24 * 3600 * 1000;

/**
 * The promotions a question names that are not running now ("is the Halloween sale still on?",
 * 「お正月のセールは？」): ended ones and coming ones, read from the same service over a window around now.
 */
export async function notRunningLookup(lk: Lookup, grounding: Grounding, text: string): Promise<void> {
  // (The rule outside campaigns, 「キャンペーン期間外の送料は？」, names no campaign of its own.)
  if (asksRuleAfterCampaign(text)) return;
  const { deps, guard, now, ctx } = lk;
  const at = now().getTime();
  const r = await callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: new Date(at - NOT_RUNNING_WINDOW_MS), until: new Date(at + NOT_RUNNING_WINDOW_MS) }));
  if (!r.ok) return;
  const running = r.value.filter((p) => Date.parse(p.startsAt) <= at && at < Date.parse(p.endsAt));
  const others = r.value.filter((p) => !running.includes(p));
  const named = notRunningNamed(text, running, others);
  if (named.length > 0) grounding.promotionsNotRunning = named.map((p) => ({ promotion: p, state: Date.parse(p.endsAt) <= at ? 'ended' : 'upcoming' }));
}

/**
 * The series a promotion question is about ("any deals on Slam Dunk?", "any promotions on it?"
 * after Haikyuu): named in the message, else the one the conversation is on. Only a sure match:
 * a wrong one would answer "no promotion for it" about a series nobody asked about.
 */
export async function promotionSeries(lk: Lookup, g: Grounding, text: string, referenced: string | undefined): Promise<void> {
  const { deps, guard, visible, ctx, customer } = lk;
  const query = promotionTitleQuery(text);
  let series: Series | undefined;
  if (query) series = await seriesSaidIn(lk, text);
  // No title found in the message: the one it refers to.
  if (!series && referenced) {
    const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.getSeries(referenced, { signal }));
    if (r.ok) series = r.value;
  }
  // The card gate's rule: a promotion answer names the series, so an 18+ one (spin-offs too) only for those who may see it.
  if (series && visible(series, customer)) g.promotionFor = { seriesId: series.id, title: localTitle(series, g.language) };
}

/**
 * True when the message writes out one of the series' names, or a name as customers shorten it:
 * the head before a subtitle ("Frieren"), the last part of a Japanese title after の (フリーレン of
 * 葬送のフリーレン), or a Latin name in katakana (ライアーゲーム). A name made only of promotion words ("Code" of "Code: Breaker", "Sale") is no
 * sign of the title in "do I need a code for that?".
 */
export function writesOutName(text: string, s: Pick<Series, 'title' | 'titleEn' | 'titleJa' | 'aliases'>): boolean {
  const folded = foldName(text);
  // ...and the head before の of a Japanese title, as customers shorten it (鬼滅 of 鬼滅の刃, 進撃 of 進撃の巨人): kanji only, 2+ of them.
  const shortNames = (n: string) => [n, n.split(/\s*[:：]\s*|\s+-\s+/)[0], ...n.split('の').slice(1).filter((p) => [...p].length >= 3), ...n.split('の').slice(0, -1).filter((p) => /^\p{Script=Han}{2,}$/u.test(p))];
  const promotionWordsOnly = (x: string) => foldName(x).length >= 3 && promotionTitleQuery(x) === '';
  // ...or a Latin name written out in katakana (ライアーゲーム for Liar Game: an import has no Japanese title).
  return [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].some((n) => n && (shortNames(n).some((x) => foldName(x).length >= 2 && folded.includes(foldName(x)) && !promotionWordsOnly(x)) || (writtenInKatakana(text, n) && !promotionWordsOnly(n))));
}

/** The series a promotion or points question names, when the match is sure (its name is in the message, or a near-exact title match). */
export async function seriesSaidIn(lk: Lookup, text: string): Promise<Series | undefined> {
  const { deps, guard, ctx } = lk;
  // The promotion words dropped, else the title as a title question reads it (「フリーレン買ったらポイントどれくらい付く？」).
  // ...and the words before a volume number (「フリーレンの1〜3巻を買ったら…」 → フリーレン), where the particles around it spoil both.
  const head = text.split(/[\d０-９]+\s*(?:巻|〜|~|～|-|−)|[\d０-９]/)[0].replace(/[のをはがも]\s*$/, '').trim();
  const beforeVolume = head.length < text.length && /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(head) ? head : '';
  // ...and each sentence of a message that says more than its question ("any isekai deals? I've been eyeing Mushoku Tensei").
  const sentences = text.split(/[?？!！。.;]+/).map((x) => promotionTitleQuery(x)).filter((x) => x !== '');
  for (const query of [...new Set([promotionTitleQuery(text), titleQuery(text), beforeVolume, ...(sentences.length > 1 ? sentences : [])])].filter(Boolean)) {
    const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 3 }));
    // A name written out in the message is the series even when the rest of the sentence lowers the match.
    const found = hits.ok ? hits.value.find((h) => (h.score >= SAID_TITLE_SCORE && writesOutName(text, h.series)) || h.score >= SURE_TITLE_SCORE)?.series : undefined;
    if (found) return found;
  }
  return undefined;
}
