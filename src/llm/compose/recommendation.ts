/**
 * Recommendations: 3-5 series, each with why it was picked and how long it is, under a lead that
 * says what was asked for ("finished, Romance, 9 volumes or fewer"). When nothing in the catalog
 * fits, no list: a plain "nothing fits" and the nearest request that does, by name.
 */
import type { RecommendationAsk, SeriesWithProducts } from '../types.ts';
import type { Series } from '../../catalog/types.ts';
import { authorNames, seriesTitle, type Composer, type ComposeContext } from './context.ts';

const MAX_PICKS = 5;
const MAX_REASONS = 2;

/** Splits 'genre:Romance' (optionally prefixed 'recommendation:') into kind and value. */
function parseReason(raw: string): [string, string] {
  const r = raw.startsWith('recommendation:') ? raw.slice('recommendation:'.length) : raw;
  const i = r.indexOf(':');
  return i < 0 ? [r, ''] : [r.slice(0, i), r.slice(i + 1)];
}

function isPopularity(raw: string): boolean {
  const [kind] = parseReason(raw);
  return kind === 'popular' || kind === 'trending' || kind === 'popularity_rank';
}

function reasonsFor(ctx: ComposeContext, e: SeriesWithProducts): string[] {
  const { m } = ctx;
  const out: string[] = [];
  // Reasons of one kind are said once, their values together ('great if you enjoy Fantasy and
  // Adventure', 「ファンタジー・冒険がお好きな方に…」), not the same phrase twice.
  const byKind = new Map<string, string[]>();
  for (const raw of e.reasons ?? []) {
    const [kind, value] = parseReason(raw);
    if (!m.reason(kind, value)) continue;
    const values = byKind.get(kind);
    if (values) {
      if (value && !values.includes(value) && values.length < MAX_REASONS) values.push(value);
    } else if (byKind.size < MAX_REASONS) byKind.set(kind, value ? [value] : []);
  }
  for (const [kind, values] of byKind) {
    const labels = values.map(m.label);
    const text = m.reason(kind, ctx.g.language === 'ja' ? labels.join('・') : list('en', labels));
    if (text && !out.includes(text)) out.push(text);
  }
  // Without a usable reason, the series' own genres still tell the customer why it might fit.
  if (out.length === 0 && e.series.genres.length) out.push(m.genresReason(e.series.genres.slice(0, 2).map(m.label)));
  return out;
}

/** The request's own words for this answer's lead and its "nothing fits" line. */
interface Phrases {
  like(titles: string[]): string;
  sameAuthor(authors: string[]): string;
  tags(labels: string[]): string;
  demographic(label: string): string;
  status(s: 'finished' | 'publishing'): string;
  maxVolumes(n: number, shorterThan?: { title: string; volumes: number }): string;
  minVolumes(n: number): string;
  /** The years the series began within. */
  started(from: number | undefined, to: number | undefined): string;
  /** Demographics ruled out. */
  notDemographic(labels: string[]): string;
  excludedAuthors(names: string[]): string;
  audience(a: 'child' | 'teen' | 'adult'): string;
  excluded(titles: string[]): string;
  lighter: string;
  lead(parts: string[]): string;
  nothingFits(parts: string[]): string;
  noOtherWorks(authors: string[]): string;
  nearest(without: string, titles: string[]): string;
  without: Record<NonNullable<RecommendationAsk['nearest']>['without'], string>;
  length(s: Series): string | undefined;
  noneAtAll(link: string): string;
}

const list = (language: 'en' | 'ja', items: string[]): string => {
  if (language === 'ja') return items.join('、');
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
};

const PHRASES: Record<'en' | 'ja', Phrases> = {
  en: {
    like: (t) => `similar to ${list('en', t)}`,
    sameAuthor: (a) => `by ${list('en', a)}`,
    tags: (l) => l.join(' and '),
    demographic: (l) => l,
    status: (s) => (s === 'finished' ? 'complete' : 'still running'),
    maxVolumes: (n, than) => (than ? `shorter than ${than.title} (${n} volumes or fewer; it has ${than.volumes})` : `of ${n} volume${n === 1 ? '' : 's'} or fewer`),
    minVolumes: (n) => `of ${n} volumes or more`,
    started: (from, to) => (from !== undefined && to !== undefined ? (to - from === 9 && from % 10 === 0 ? `from the ${from}s` : `begun ${from}–${to}`) : from !== undefined ? `begun in ${from} or later` : `begun in ${to} or earlier`),
    notDemographic: (labels) => `not ${labels.join(' or ')}`,
    excludedAuthors: (names) => `not by ${list('en', names)}`,
    audience: (a) => (a === 'child' ? 'for children' : a === 'teen' ? 'for teenagers' : 'for adult readers'),
    excluded: (t) => `other than ${list('en', t)}`,
    lighter: 'lighter in tone (no horror, gore or psychological darkness)',
    lead: (parts) => `Here are some picks — ${parts.join(', ')}:`,
    nothingFits: (parts) => `Sorry, I couldn't find a series in our catalog that fits all of this: ${parts.join(', ')}.`,
    noOtherWorks: (authors) => `Sorry, I couldn't find other works by ${list('en', authors)} in our catalog.`,
    nearest: (without, titles) => `Without the ${without}, I can suggest ${list('en', titles)}. Would you like details on any of them?`,
    without: { maxVolumes: 'length limit', status: 'finished/ongoing requirement', tags: 'genre', demographic: 'demographic', like: 'similarity requirement' },
    length: (s) => {
      if (s.volumeCount === undefined) return s.status === 'finished' ? 'complete' : undefined;
      const v = `${s.volumeCount} volume${s.volumeCount === 1 ? '' : 's'}`;
      return s.status === 'finished' ? `complete in ${v}` : s.status === 'publishing' ? `ongoing, ${v} so far` : v;
    },
    noneAtAll: (link) => `Sorry, I can't get personalised picks right now, and none of our popular titles fit what you asked. You can browse our catalog here: ${link}`,
  },
  ja: {
    like: (t) => `${t.join('、')}に似た`,
    sameAuthor: (a) => `${a.join('・')}先生の`,
    tags: (l) => l.join('・'),
    demographic: (l) => `${l}漫画`,
    status: (s) => (s === 'finished' ? '完結済み' : '連載中'),
    maxVolumes: (n, than) => (than ? `${than.title}（全${than.volumes}巻）より短い${n}巻以内` : `${n}巻以内`),
    minVolumes: (n) => `${n}巻以上`,
    started: (from, to) => (from !== undefined && to !== undefined ? (to - from === 9 && from % 10 === 0 ? `${from}年代に始まった作品` : `${from}〜${to}年に始まった作品`) : from !== undefined ? `${from}年以降に始まった作品` : `${to}年以前に始まった作品`),
    notDemographic: (labels) => `${labels.join('・')}以外`,
    excludedAuthors: (names) => `${names.join('・')}先生以外`,
    audience: (a) => (a === 'child' ? 'お子さまにも安心して読める' : a === 'teen' ? '中高生向け' : '大人向け'),
    excluded: (t) => `${t.join('、')}以外`,
    lighter: '明るめの作風（ホラー・グロ・サイコ系を除く）',
    lead: (parts) => `ご希望（${parts.join('・')}）に合う作品をご紹介いたします。`,
    nothingFits: (parts) => `申し訳ございません、ご希望（${parts.join('・')}）に合う作品は当店では見つかりませんでした。`,
    noOtherWorks: (authors) => `申し訳ございません、${authors.map((a) => `${a}先生`).join('・')}のほかの作品は、当店では見つかりませんでした。`,
    nearest: (without, titles) => `${without}の条件を外すと、${titles.join('、')}がございます。いかがでしょうか。`,
    without: { maxVolumes: '巻数', status: '完結・連載', tags: 'ジャンル', demographic: '対象読者', like: '作品の傾向' },
    length: (s) => {
      if (s.volumeCount === undefined) return s.status === 'finished' ? '完結' : undefined;
      return s.status === 'finished' ? `全${s.volumeCount}巻・完結` : s.status === 'publishing' ? `既刊${s.volumeCount}巻・連載中` : `${s.volumeCount}巻`;
    },
    noneAtAll: (link) => `申し訳ございません、ただいまおすすめをご用意できず、人気作品の中にもご希望に合うものがございませんでした。こちらからカタログをご覧いただけます：${link}`,
  },
};

/** An author as the customer reads the name (Japanese script in Japanese, when a listed series has it). */
function authorAsWritten(ctx: ComposeContext, author: string): string {
  const s = ctx.g.series.find((x) => x.series.authors.includes(author))?.series;
  return s ? (authorNames(ctx, s)[s.authors.indexOf(author)] ?? author) : author;
}

/** What was asked, in the customer's words: the lead of the list, or of "nothing fits". */
function askedParts(ctx: ComposeContext, ask: RecommendationAsk, p: Phrases): string[] {
  const { m } = ctx;
  const parts: string[] = [];
  const likeTitles = ask.like.map((s) => seriesTitle(ctx, s));
  if (ask.sameAuthor && ask.like.length > 0) parts.push(p.sameAuthor([...new Set(ask.like.flatMap((s) => authorNames(ctx, s)))]));
  else if (ask.authors?.length) parts.push(p.sameAuthor(ask.authors.map((a) => authorAsWritten(ctx, a))));
  else if (likeTitles.length > 0) parts.push(p.like(likeTitles));
  const labels = [...ask.genres, ...ask.themes].map(m.label);
  if (labels.length > 0) parts.push(p.tags(labels));
  if (ask.demographic) parts.push(p.demographic(m.label(ask.demographic)));
  if (ask.status) parts.push(p.status(ask.status));
  if (ask.maxVolumes !== undefined) {
    const seed = ask.shorter ? ask.like.find((s) => s.volumeCount !== undefined) : undefined;
    parts.push(p.maxVolumes(ask.maxVolumes, seed ? { title: seriesTitle(ctx, seed), volumes: seed.volumeCount! } : undefined));
  }
  if (ask.minVolumes !== undefined) parts.push(p.minVolumes(ask.minVolumes));
  if (ask.excludedDemographics?.length) parts.push(p.notDemographic(ask.excludedDemographics.map(m.label)));
  if (ask.started) parts.push(p.started(ask.started.from, ask.started.to));
  if (ask.audience) parts.push(p.audience(ask.audience));
  if (ask.lighter) parts.push(p.lighter);
  if (ask.excludedAuthors?.length) parts.push(p.excludedAuthors(ask.excludedAuthors));
  if (ask.excluded.length > 0) parts.push(p.excluded(ask.excluded.map((s) => seriesTitle(ctx, s))));
  return parts;
}

/** Lists the recommended series with why each was picked; says plainly when nothing fits what was asked. */
/** Asked for sales figures ("best selling this week", 売れ筋): the store has popularity, not a sales chart. */
const SALES_ASKED = /best[- ]?sell|top[- ]?sell|sell(?:s|ing)? (?:the )?(?:most|best)|sold (?:the )?most|sales (?:chart|rank|figure|number)|(?:weekly|this week'?s?) (?:chart|ranking|top|best)|売れ筋|売上|売り上げ|売れて(?:る|いる)|一番売れ|よく売れ|週間(?:ランキング|売上)|ランキング/i;

export const composeRecommendation: Composer = (ctx) => {
  const { g, m } = ctx;
  const p = PHRASES[g.language] ?? PHRASES.en;
  const ask = g.recommendation;
  const parts = ask ? askedParts(ctx, ask, p) : [];
  if (g.series.length === 0) {
    if (g.degraded.includes('catalog')) return [m.catalogDown(g.links.search)];
    if (ask?.nothingFits && g.degraded.includes('recommendations')) return [p.noneAtAll(g.links.search)];
    if (ask?.nothingFits && ask.sameAuthor && ask.like.length > 0 && parts.length === 1) return [p.noOtherWorks([...new Set(ask.like.flatMap((s) => authorNames(ctx, s)))])];
    if (ask?.nothingFits && parts.length > 0) {
      const lines = [p.nothingFits(parts)];
      if (ask.nearest && ask.nearest.series.length > 0) lines.push(p.nearest(p.without[ask.nearest.without], ask.nearest.series.map((s) => seriesTitle(ctx, s))));
      return lines;
    }
    return [m.noRecommendations(g.links.search)];
  }
  const picks = g.series.slice(0, MAX_PICKS);
  const popular = picks.some((e) => (e.reasons ?? []).some(isPopularity));
  let lead = parts.length > 0 ? p.lead(parts) : m.recommendLead;
  if (g.degraded.includes('recommendations')) lead = popular ? m.popularFallbackLead : lead;
  else if (parts.length === 0 && popular && picks.every((e) => (e.reasons ?? []).some(isPopularity))) lead = SALES_ASKED.test(g.text) ? m.popularNotSales : m.popularLead;
  const lines = [lead];
  picks.forEach((e, i) => {
    const authors = e.series.authors.length ? m.authors(authorNames(ctx, e.series)) : '';
    const length = p.length(e.series);
    lines.push(m.bullet(m.recommendItem(seriesTitle(ctx, e.series), authors, [...(length ? [length] : []), ...reasonsFor(ctx, e)]), i));
  });
  lines.push(m.recommendFollowUp);
  return lines;
};
