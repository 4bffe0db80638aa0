/**
 * Comparisons ("Naruto or Bleach?", 「AとBどっちがいい？」): every series named, in the order
 * named, side by side on the store's facts — status and length, demographic, genres, community
 * score and popularity, the year it began, a line of story. What the customer asked about (which
 * is older, longer, finished, better rated, cheaper) is said first, from those facts. No taste of
 * its own: scores are MyAnimeList's.
 */
import type { SeriesWithProducts } from '../types.ts';
import type { ComparisonAspect } from '../../understanding/comparison.ts';
import { authorNames, availabilityLines, firstSentence, nextPreorder, seriesTitle, type Composer, type ComposeContext } from './context.ts';
import { wholeSeriesOf } from './volume-asked.ts';

interface Phrases {
  lead(n: number): string;
  length(volumes: number | undefined, status: string): string;
  began(year: number): string;
  older(a: string, ay: number, b: string, by: number): string;
  oldest(a: string, ay: number, b: string, by: number): string;
  sameYear(titles: string[], y: number): string;
  sameAuthor(titles: string[], authors: string): string;
  otherAuthors(items: string[]): string;
  score(score: number): string;
  popularity(rank: number): string;
  item(title: string, authors: string, facts: string[], story: string | undefined): string;
  longer(a: string, av: number, b: string, bv: number): string;
  sameLength(titles: string[], v: number): string;
  longest(a: string, av: number, b: string, bv: number): string;
  rated(a: string, as: number, b: string, bs: number): string;
  popular(a: string, ar: number, b: string, br: number): string;
  /** Three or more compared (an author's works, a list just shown): the top one of all, then the next. */
  mostPopular(a: string, ar: number, b: string, br: number): string;
  bestRated(a: string, as: number, b: string, bs: number): string;
  cheapest(titles: string[], yen: string): string;
  /** Which costs least bought complete (every released volume at live prices). */
  cheapestWhole(titles: string[], yen: string): string;
  /** A franchise in numbered parts: how many the store has, which, and the latest. */
  parts(franchise: string, count: number, numbers: number[], latest: string): string;
  /** The spin-offs and sequels the store carries of one series (none: says so; 18+ ones left out: says that much). */
  spinOffs(of: string, count: number, withheld: number): string;
  /** A sequel asked about as planned: what the catalog knows of the series' future, and that the store knows no more. */
  plans(of: string, status: string, volumes: number | undefined, next: { volume: number; date: string } | undefined): string;
  finished(done: string[], running: string[], paused: string[], dropped: string[]): string;
  /** The next volume of one series compared: its number and release date, or that none is announced. */
  next(title: string, volume: number, date: string): string;
  noNext(title: string, finished: boolean): string;
  firstVolume(prices: string[]): string;
  price(title: string, yen: string): string;
  followUp: string;
  followUpOne: string;
  missing(names: string[], found: string[]): string;
  withheld(n: number, found: string[]): string;
  only(found: string[]): string;
}

const PHRASES: Record<'en' | 'ja', Phrases> = {
  en: {
    lead: (n) => (n === 2 ? "Here's how the two compare:" : `Here's how the ${n} compare:`),
    length: (v, status) => {
      if (v === undefined) return { finished: 'complete', publishing: 'ongoing', hiatus: 'on hiatus', discontinued: 'discontinued (unfinished)' }[status] ?? '';
      const vols = `${v} volume${v === 1 ? '' : 's'}`;
      return status === 'finished' ? `complete in ${vols}` : status === 'publishing' ? `ongoing, ${vols} so far` : status === 'hiatus' ? `on hiatus after ${vols}` : status === 'discontinued' ? `discontinued after ${vols}` : vols;
    },
    began: (y) => `began in ${y}`,
    older: (a, ay, b, by) => `${a} is the older of the two (it began in ${ay}); ${b} is the newer (it began in ${by}).`,
    oldest: (a, ay, b, by) => `The first to begin was ${a} (${ay}); the most recent is ${b} (${by}).`,
    sameYear: (t, y) => `${t.join(' and ')} both began in ${y}.`,
    next: (t, v, d) => `${t}: Vol. ${v} comes out ${d} (up for preorder).`,
    noNext: (t, finished) => (finished ? `${t}: complete, so no next volume.` : `${t}: no next volume has been announced yet.`),
    sameAuthor: (t, a) => `${t.join(' and ')} are ${t.length === 2 ? 'both' : 'all'} by the same author: ${a}.`,
    otherAuthors: (items) => `They are by different authors: ${items.join('; ')}.`,
    score: (s) => `rated ${s.toFixed(2)}/10 on MyAnimeList`,
    popularity: (r) => `#${r} in popularity`,
    item: (title, authors, facts, story) => `${title}${authors ? ` by ${authors}` : ''} — ${facts.join('; ')}.${story ? ` ${story}` : ''}`,
    longer: (a, av, b, bv) => `${a} is the longer read: ${av} volumes to ${b}'s ${bv}.`,
    sameLength: (t, v) => `${t.join(' and ')} have the same length: ${v} volumes each.`,
    longest: (a, av, b, bv) => `The longest is ${a} (${av} volumes); the shortest is ${b} (${bv}).`,
    rated: (a, as, b, bs) => `${a} has the higher community score (${as.toFixed(2)} against ${bs.toFixed(2)} for ${b}).`,
    popular: (a, ar, b, br) => `${a} is the more widely read (#${ar} in popularity; ${b} is #${br}).`,
    mostPopular: (a, ar, b, br) => `The most popular of them is ${a} (#${ar} in popularity), then ${b} (#${br}).`,
    bestRated: (a, as, b, bs) => `The best rated of them is ${a} (${as.toFixed(2)}/10), then ${b} (${bs.toFixed(2)}).`,
    cheapest: (titles, yen) => `The cheapest volume 1 is ${titles.join(' and ')}'s, at ${yen}.`,
    cheapestWhole: (titles, yen) => `The cheapest to buy complete is ${titles.join(' and ')}, at ${yen} for every volume out.`,
    spinOffs: (of, count, withheld) =>
      count === 0
        ? `We don't carry any spin-off or sequel of ${of}${withheld > 0 ? ' that I can show you here (the ones we have are age-restricted, 18+)' : ''}.`
        : `We carry ${count === 1 ? 'one spin-off or sequel' : `${count} spin-offs and sequels`} of ${of}${withheld > 0 ? ' that I can show you here' : ''}:`,
    plans: (of, status, n, next) =>
      status === 'finished'
        ? `${of} is complete${n ? ` in ${n} volumes` : ''}, and I have no news of a sequel beyond what we carry.`
        : status === 'hiatus'
          ? `${of} is on hiatus${n ? ` after ${n} volumes` : ''}: no next volume or sequel has been announced.`
          : next
            ? `I have no news of a sequel; ${of} itself is still running — Vol. ${next.volume} comes out ${next.date} (up for preorder).`
            : `I have no news of a sequel; ${of} itself is still running${n ? ` (${n} volumes so far)` : ''}, and no date for its next volume has been announced yet.`,
    parts: (franchise, count, numbers, latest) =>
      `${franchise} runs in numbered parts: we carry ${count} of them (${contiguous(numbers) ? `Parts ${numbers[0]} to ${numbers.at(-1)}` : `Parts ${numbers.join(', ')}`}). The latest is ${latest}.`,
    finished: (done, running, paused, dropped) => {
      const be = (t: string[]) => `${t.join(' and ')} ${t.length === 1 ? 'is' : 'are'}`;
      const n = done.length + running.length + paused.length + dropped.length;
      if (done.length === n) return n === 2 ? 'Both are complete.' : 'All of them are complete.';
      if (running.length === n) return n === 2 ? 'Both are still running.' : 'All of them are still running.';
      const parts = [done.length ? `${be(done)} complete` : '', running.length ? `${be(running)} still running` : '', paused.length ? `${be(paused)} on hiatus` : '', dropped.length ? `${be(dropped)} discontinued (unfinished)` : ''];
      return `${parts.filter(Boolean).join('; ')}.`;
    },
    firstVolume: (prices) => `Volume 1: ${prices.join('; ')}.`,
    price: (title, yen) => `${title} ${yen}`,
    followUp: 'Would you like prices or stock for volume 1 of either?',
    followUpOne: 'Would you like prices or stock for a particular volume?',
    withheld: (n, found) =>
      `${n === 1 ? 'The other title you named is' : `${n} of the titles you named are`} sold only to signed-in customers who have confirmed they are 18 or older, so I can't show or compare ${n === 1 ? 'it' : 'them'} here (age is confirmed when you sign in). Here's what I have on ${found.join(' and ')}:`,
    only: (found) => `Here's what I have on ${found.join(' and ')}:`,
    missing: (names, found) => `I couldn't find ${names.map((n) => `"${n}"`).join(' or ')} in our catalog, so I can't compare ${names.length === 1 ? 'it' : 'them'}. Here's what I have on ${found.join(' and ')}:`,
  },
  ja: {
    lead: (n) => `${n}作品を比べてご案内いたします。`,
    length: (v, status) => {
      if (v === undefined) return { finished: '完結', publishing: '連載中', hiatus: '休載中', discontinued: '未完（打ち切り）' }[status] ?? '';
      return status === 'finished' ? `全${v}巻・完結` : status === 'publishing' ? `既刊${v}巻・連載中` : status === 'hiatus' ? `既刊${v}巻・休載中` : status === 'discontinued' ? `全${v}巻・未完（打ち切り）` : `${v}巻`;
    },
    began: (y) => `${y}年連載開始`,
    older: (a, ay, b, by) => `先に始まったのは${a}（${ay}年開始）で、${b}（${by}年開始）の方が新しい作品です。`,
    oldest: (a, ay, b, by) => `いちばん早く始まったのは${a}（${ay}年）、いちばん新しいのは${b}（${by}年）です。`,
    sameYear: (t, y) => `${t.join('と')}はどちらも${y}年開始です。`,
    next: (t, v, d) => `${t}：次の${v}巻は${d}発売予定です（ご予約受付中）。`,
    noNext: (t, finished) => (finished ? `${t}：完結済みのため、次の巻はございません。` : `${t}：次の巻の発売日はまだ発表されていません。`),
    sameAuthor: (t, a) => `${t.join('と')}はどちらも${a}の作品です（同じ作者です）。`,
    otherAuthors: (items) => `作者は別々です（${items.join('、')}）。`,
    score: (s) => `MyAnimeList評価${s.toFixed(2)}`,
    popularity: (r) => `人気${r}位`,
    item: (title, authors, facts, story) => `${title}${authors ? `（${authors}）` : ''}：${facts.join('、')}。${story ?? ''}`,
    longer: (a, av, b, bv) => `巻数は${a}（${av}巻）の方が多く、${b}は${bv}巻です。`,
    sameLength: (t, v) => `${t.join('と')}はどちらも${v}巻です。`,
    longest: (a, av, b, bv) => `いちばん長いのは${a}（${av}巻）、いちばん短いのは${b}（${bv}巻）です。`,
    rated: (a, as, b, bs) => `評価は${a}（${as.toFixed(2)}）の方が${b}（${bs.toFixed(2)}）より高めです。`,
    popular: (a, ar, b, br) => `人気は${a}（${ar}位）の方が${b}（${br}位）より上です。`,
    mostPopular: (a, ar, b, br) => `いちばん人気があるのは${a}（人気${ar}位）で、次が${b}（${br}位）です。`,
    bestRated: (a, as, b, bs) => `いちばん評価が高いのは${a}（${as.toFixed(2)}）で、次が${b}（${bs.toFixed(2)}）です。`,
    cheapest: (titles, yen) => `1巻がいちばん安いのは${titles.join('と')}（${yen}）です。`,
    cheapestWhole: (titles, yen) => `全巻そろえていちばん安いのは${titles.join('と')}（既刊すべてで${yen}）です。`,
    spinOffs: (of, count, withheld) =>
      count === 0
        ? `当店では『${of}』のスピンオフ・続編${withheld > 0 ? 'でご案内できるもの' : ''}は取り扱っておりません${withheld > 0 ? '（取り扱いのあるものは18歳以上向けです）' : ''}。`
        : `当店で取り扱っている『${of}』のスピンオフ・続編${withheld > 0 ? '（ご案内できるもの）' : ''}は${count}作品です：`,
    plans: (of, status, n, next) =>
      status === 'finished'
        ? `『${of}』は${n ? `全${n}巻で` : ''}完結しています。続編の予定については、当店では情報がございません。`
        : status === 'hiatus'
          ? `『${of}』は${n ? `${n}巻まで刊行され、` : ''}現在休載中です。次の巻や続編の予定は発表されていません。`
          : next
            ? `続編の予定については、当店では情報がございません。『${of}』本編は連載中で、次の${next.volume}巻は${next.date}発売予定です（ご予約受付中）。`
            : `続編の予定については、当店では情報がございません。『${of}』本編は連載中${n ? `（既刊${n}巻）` : ''}で、次の巻の発売日はまだ発表されていません。`,
    parts: (franchise, count, numbers, latest) =>
      `『${franchise}』は部ごとに分かれたシリーズで、当店では${contiguous(numbers) ? `第${numbers[0]}部から第${numbers.at(-1)}部まで` : `第${numbers.join('・')}部`}の${count}部を取り扱っております。最新は${latest}です。`,
    finished: (done, running, paused, dropped) => {
      const n = done.length + running.length + paused.length + dropped.length;
      if (done.length === n) return 'いずれも完結しています。';
      if (running.length === n) return 'いずれも連載中です。';
      const parts = [done.length ? `${done.join('と')}は完結済み` : '', running.length ? `${running.join('と')}は連載中` : '', paused.length ? `${paused.join('と')}は休載中` : '', dropped.length ? `${dropped.join('と')}は未完（打ち切り）` : ''];
      return `${parts.filter(Boolean).join('、')}です。`;
    },
    firstVolume: (prices) => `1巻の価格：${prices.join('、')}。`,
    price: (title, yen) => `${title} ${yen}`,
    followUp: '気になる作品がございましたら、1巻の価格や在庫もお調べいたします。',
    followUpOne: '気になる巻がございましたら、価格や在庫もお調べいたします。',
    withheld: (n, found) =>
      `${n === 1 ? 'もう一方の作品' : `ご指定の作品のうち${n}作品`}は、18歳以上の年齢確認がお済みのログイン中のお客様にのみ販売している作品のため、ここではご案内・比較ができません（年齢確認はログイン時に行います）。${found.join('、')}についてご案内いたします。`,
    only: (found) => `${found.join('、')}についてご案内いたします。`,
    missing: (names, found) => `申し訳ございません、${names.map((n) => `「${n}」`).join('、')}は当店では見つかりませんでしたので、比較ができません。${found.join('、')}についてご案内いたします。`,
  },
};

function factsOf(ctx: ComposeContext, e: SeriesWithProducts, p: Phrases): string[] {
  const { m } = ctx;
  const s = e.series;
  const out = [p.length(s.volumeCount, s.status)].filter((x) => x !== '');
  const year = startYear(e);
  if (year !== undefined) out.push(p.began(year));
  const kind = [...(s.demographic ? [m.label(s.demographic)] : []), ...s.genres.filter((x) => x !== 'Award Winning').slice(0, 3).map(m.label)];
  if (kind.length > 0) out.push(kind.join(ctx.g.language === 'ja' ? '・' : ', '));
  if (s.score !== undefined) out.push(p.score(s.score));
  if (s.popularityRank !== undefined) out.push(p.popularity(s.popularityRank));
  return out;
}

/** The series' name in the customer's language; in Japanese, the name they wrote for a romaji-only import (『黒執事』（Kuroshitsuji）). */
function nameOf(ctx: ComposeContext, e: SeriesWithProducts): string {
  const written = ctx.g.language === 'ja' ? ctx.g.comparison?.written?.[e.series.id] : undefined;
  return written ? `${ctx.m.title(written)}（${e.series.title}）` : seriesTitle(ctx, e.series);
}

/** Part numbers with none missing (1, 2, 3): said as a range. */
function contiguous(numbers: number[]): boolean {
  return numbers.length > 1 && numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1);
}

/** The year a series began, when the catalog knows it. */
function startYear(e: SeriesWithProducts): number | undefined {
  const y = e.series.startDate ? Number(e.series.startDate.slice(0, 4)) : NaN;
  return Number.isFinite(y) && y > 0 ? y : undefined;
}

/** What the customer asked, said from the facts (a general comparison: length and score). */
function verdicts(ctx: ComposeContext, aspects: ComparisonAspect[], p: Phrases): string[] {
  const { g, m } = ctx;
  const all = g.series;
  const name = (e: SeriesWithProducts) => nameOf(ctx, e);
  const wanted = aspects.length > 0 ? aspects : (['volumes', 'rating'] as ComparisonAspect[]);
  const out: string[] = [];
  for (const aspect of wanted) {
    if (aspect === 'volumes') {
      const known = all.filter((e) => e.series.volumeCount !== undefined).sort((a, b) => b.series.volumeCount! - a.series.volumeCount!);
      if (known.length < 2) continue;
      const [top, bottom] = [known[0], known[known.length - 1]];
      if (top.series.volumeCount === bottom.series.volumeCount) out.push(p.sameLength(known.map(name), top.series.volumeCount!));
      else if (known.length === 2) out.push(p.longer(name(top), top.series.volumeCount!, name(bottom), bottom.series.volumeCount!));
      else out.push(p.longest(name(top), top.series.volumeCount!, name(bottom), bottom.series.volumeCount!));
    } else if (aspect === 'author') {
      const known = all.filter((e) => e.series.authors.length > 0);
      if (known.length < 2) continue;
      const shared = known[0].series.authors.filter((a) => known.every((e) => e.series.authors.includes(a)));
      const by = (e: SeriesWithProducts) => m.authors(authorNames(ctx, e.series));
      const first = known[0].series;
      const sharedJa = first.authorsJa ? first.authors.flatMap((a, i) => (shared.includes(a) ? [first.authorsJa![i]] : [])) : undefined;
      if (shared.length > 0) out.push(p.sameAuthor(known.map(name), by({ ...known[0], series: { ...first, authors: shared, authorsJa: sharedJa } })));
      else out.push(p.otherAuthors(known.map((e) => `${name(e)}${ctx.g.language === 'ja' ? '：' : ': '}${by(e)}`)));
    } else if (aspect === 'started') {
      const known = all.filter((e) => startYear(e) !== undefined).sort((a, b) => (a.series.startDate! < b.series.startDate! ? -1 : 1));
      if (known.length < 2) continue;
      const [first, last] = [known[0], known[known.length - 1]];
      const [fy, ly] = [startYear(first)!, startYear(last)!];
      if (fy === ly && known.length === 2) out.push(p.sameYear(known.map(name), fy));
      else if (known.length === 2) out.push(p.older(name(first), fy, name(last), ly));
      else out.push(p.oldest(name(first), fy, name(last), ly));
    } else if (aspect === 'rating') {
      const known = all.filter((e) => e.series.score !== undefined).sort((a, b) => b.series.score! - a.series.score!);
      if (known.length >= 2 && known[0].series.score !== known[1].series.score) out.push((known.length > 2 ? p.bestRated : p.rated)(name(known[0]), known[0].series.score!, name(known[1]), known[1].series.score!));
    } else if (aspect === 'popularity') {
      const known = all.filter((e) => e.series.popularityRank !== undefined).sort((a, b) => a.series.popularityRank! - b.series.popularityRank!);
      if (known.length >= 2) out.push((known.length > 2 ? p.mostPopular : p.popular)(name(known[0]), known[0].series.popularityRank!, name(known[1]), known[1].series.popularityRank!));
    } else if (aspect === 'status') {
      const by = (...st: string[]) => all.filter((e) => st.includes(e.series.status)).map(name);
      out.push(p.finished(by('finished'), by('publishing', 'unknown'), by('hiatus'), by('discontinued')));
    } else if (aspect === 'next') {
      // The announced volume after the latest out, from the catalog's dates; none for a finished series.
      for (const e of all) {
        const out_ = e.products.filter((x) => x.releaseDate.slice(0, 10) <= ctx.today).map((x) => x.volume);
        const upcoming = nextPreorder(e.products.filter((x) => x.format !== 'box_set'), ctx.today, out_.length > 0 ? Math.max(...out_) : 0);
        out.push(upcoming ? p.next(name(e), upcoming.volume, m.date(upcoming.releaseDate)) : p.noNext(name(e), e.series.status === 'finished'));
      }
    } else if (aspect === 'price' && g.wholeSeries && g.requestedVolume === undefined) {
      // "Which is cheapest to buy fully?": the whole runs' totals (each listed by wholeTotal), the lowest named.
      const totals = all.flatMap((e) => {
        const w = wholeSeriesOf(e.products, ctx.today);
        return w && w.count > 0 ? [{ e, yen: w.totalJpy }] : [];
      });
      const low = Math.min(...totals.map((t) => t.yen));
      if (totals.length > 1) out.push(p.cheapestWhole(totals.filter((t) => t.yen === low).map((t) => name(t.e)), m.yen(low)));
    } else if (aspect === 'price') {
      const firsts = all.flatMap((e) => {
        const first = e.products.filter((x) => x.volume === 1).sort((a, b) => Number(b.format === 'tankobon') - Number(a.format === 'tankobon'))[0];
        return first ? [{ e, yen: first.priceJpy }] : [];
      });
      // Three or more: which is cheapest first ("which is the cheapest?" after an author's works).
      const low = Math.min(...firsts.map((f) => f.yen));
      if (firsts.length > 2 && firsts.some((f) => f.yen !== low)) out.push(p.cheapest(firsts.filter((f) => f.yen === low).map((f) => name(f.e)), m.yen(low)));
      if (firsts.length > 0) out.push(p.firstVolume(firsts.map((f) => p.price(name(f.e), m.yen(f.yen)))));
    }
  }
  return out;
}

/** One series' whole run at live prices (print, else the format with most volumes), with a box set beside it. */
function wholeTotal(ctx: ComposeContext, e: SeriesWithProducts): string[] {
  const { g, m, today } = ctx;
  const w = wholeSeriesOf(e.products, today);
  if (!w || w.count === 0) return [];
  const name = nameOf(ctx, e);
  const boxes = w.boxSets.map((b) => (g.language === 'ja' ? `BOXセット${b.volume} ${m.yen(b.priceJpy)}` : `Box set ${b.volume} ${m.yen(b.priceJpy)}`));
  return g.language === 'ja'
    ? [`${name}：全${w.count}巻（${m.format(w.format)}）で${m.yen(w.totalJpy)}${boxes.length ? `（${boxes.join('、')}）` : ''}。`]
    : [`${name}: all ${w.count} volumes (${m.format(w.format)}) come to ${m.yen(w.totalJpy)}${boxes.length ? ` (${boxes.join('; ')})` : ''}.`];
}

/** The series compared, in the order named, with the answer to what was asked about them. */
export const composeComparison: Composer = (ctx) => {
  const { g, m } = ctx;
  const p = PHRASES[g.language] ?? PHRASES.en;
  const missing = g.comparison?.missing ?? [];
  const aspects = g.comparison?.aspects ?? [];
  // What was asked ("which is older?") is answered first; a general comparison ends with length and score.
  const asked = g.series.length > 1 && aspects.length > 0 ? verdicts(ctx, aspects, p) : [];
  const found = g.series.map((e) => nameOf(ctx, e));
  const withheld = g.comparison?.withheld ?? 0;
  // "Is volume 1 of each in stock?": that volume's price and stock for every series compared, first
  // (a box set has its own numbering: not an edition of volume 1 unless box sets were asked for).
  const volume = g.requestedVolume;
  const volumeLines =
    volume === undefined
      ? []
      : g.series.flatMap((e) => {
          const sold = e.products.filter((x) => (g.requestedFormat ? x.format === g.requestedFormat : x.format !== 'box_set'));
          const formats = availabilityLines(ctx, sold, volume);
          return formats.length > 0 ? [`${nameOf(ctx, e)}${g.language === 'ja' ? '：' : ' — '}${formats.join(' ')}`] : [];
        });
  // "How much to buy each complete?", 「それぞれ全巻買うといくら？」: every series' released volumes added up.
  const wholeLines = g.wholeSeries && volume === undefined ? g.series.flatMap((e) => wholeTotal(ctx, e)) : [];
  const lines = [...(missing.length > 0 ? [p.missing(missing, found)] : []), ...(withheld > 0 ? [g.comparison?.withheldTold ? p.only(found) : p.withheld(withheld, found)] : []), ...wholeLines, ...asked, ...volumeLines];
  const parts = g.comparison?.parts;
  const spinOffs = g.comparison?.spinOffs;
  if (spinOffs) {
    // Asked as planned: what the catalog knows of the series' own future leads (the store knows no more).
    const plans = spinOffs.plans;
    if (plans) lines.push(p.plans(spinOffs.of, plans.status, plans.volumes, plans.next ? { volume: plans.next.volume, date: m.date(plans.next.releaseDate) } : undefined));
    lines.push(p.spinOffs(spinOffs.of, g.series.length, spinOffs.withheld));
    if (g.series.length === 0) return lines;
  } else if (parts) lines.push(p.parts(parts.franchise, parts.count, parts.numbers, g.language === 'ja' ? `『${parts.latest}』` : parts.latest));
  else if (missing.length === 0 && withheld === 0) lines.push(p.lead(g.series.length));
  g.series.forEach((e, i) => {
    const synopsis = g.language === 'ja' ? e.series.synopsisJa : e.series.synopsis;
    const authors = e.series.authors.length ? m.authors(authorNames(ctx, e.series)) : '';
    lines.push(m.bullet(p.item(nameOf(ctx, e), authors, factsOf(ctx, e, p), synopsis ? firstSentence(synopsis) : undefined), i));
  });
  if (g.series.length > 1 && aspects.length === 0 && !parts && !spinOffs) lines.push(...verdicts(ctx, aspects, p));
  lines.push(...(volumeLines.length > 0 ? [] : [g.series.length > 1 ? p.followUp : p.followUpOne]));
  return lines;
};
