/**
 * A plain question about one fact of a series — is it finished, who wrote it, how many volumes —
 * answered first and plainly ("No — Berserk is ongoing, with 42 volumes so far."), not with the
 * series' whole summary where the answer sits somewhere inside (lead's finding L6).
 */
import type { SeriesWithProducts } from '../types.ts';
import { authorNames, latestVolume, seriesTitle, type ComposeContext } from './context.ts';

// The status a yes/no question asks about: "is it finished?", "still ongoing?", "on hiatus?",
// 「完結してる？」「まだ続いてる？」「休載中？」. Both asked ("finished or still going?"): no yes/no, the status said.
const EN_FINISHED = /\b(?:finished|complete[d]?|ended|concluded|wrapped up|(?:come|came) to an end)\b|\b(?:is it|it's|its|is the series|is that) (?:all )?(?:over|done)\b|\b(?:did|does|will|has) (?:it|the series|the story|the manga) (?:ever )?(?:end|finish|conclude)\b/;
const EN_ONGOING = /\b(?:ongoing|on-going|continuing)\b|\bstill (?:going|running|coming out|publishing|being published|serialized|serialised|out|releasing)\b|\b(?:is it|it's|its) (?:still )?(?:running|going on|publishing|being published|coming out)\b/;
const EN_HIATUS = /\b(?:on hiatus|hiatus|on (?:a )?break|paused)\b/;
const JA_FINISHED = /完結|終わ(?:っ|り|る)|おわ(?:っ|り|る)|終了/;
const JA_ONGOING = /続い|つづい|続く|つづく|連載中|連載して|連載され|まだ出て|今も出て|出続け/;
const JA_HIATUS = /休載|休止/;
// Who made it: "who wrote it?", "who's the author", "who drew Berserk", 「作者は誰？」「誰が描いてるの」.
const EN_AUTHOR = /\bwho(?:'s| is| was)? (?:wrote|writes|written|drew|draws|drawn|made|makes|created|creates|did)\b|\bwho(?:'s| is) (?:it|this|that|the (?:series|manga)) by\b|\bwho(?:'s| is| are)(?: the)? (?:author|artist|mangaka|creator|writer)s?\b|\b(?:author|mangaka|artist|creator|writer)s?\??$|\bby whom\b|\bwho(?:'s| is) behind\b/;
const JA_AUTHOR = /作者|著者|原作者|漫画家|作家|誰が(?:描|書|かい|作)|だれが(?:描|書|かい|作)|誰の作品|描いて(?:る|いる)の(?:は|って)(?:誰|だれ)|書いて(?:る|いる)の(?:は|って)(?:誰|だれ)|先生(?:は|って)(?:誰|だれ)/;
// How long it is: "how many volumes?", "how long is it?", 「全何巻？」「何巻まで出てる？」; "how long" on its own as one of
// several things asked of the series ("who is the author, how long", "how long? and is it done") — not "how long does shipping take".
const EN_COUNT = /\bhow many (?:volumes?|vols?|books?|tankobon|issues)\b|\bhow long is (?:it|this|that|the series)\b|\bhow long\s*(?:[?,;!.]|and\b|$)|\bwhat volume is it (?:up )?to\b|\bnumber of volumes\b|\b(?:volume|vol) count\b/;
const JA_COUNT = /(?:何巻|なんかん|何冊)(?!から|目|め)|巻数/;
// Its story asked with the fact ("who wrote it and what's it about?"): the synopsis stays.
const EN_STORY = /\babout\b|\bstory\b|\bplot\b|\bpremise\b|\bsynopsis\b/;
const JA_STORY = /あらすじ|どんな(?:話|内容|作品|漫画|ストーリー)|ストーリー|内容/;

export interface FactsAsked {
  /** Which status a yes/no question asks about; 'either' when it asks which ("finished or ongoing?"). */
  status?: 'finished' | 'ongoing' | 'hiatus' | 'either';
  author: boolean;
  count: boolean;
  story: boolean;
  /** Author asked before the status or the length: said first. */
  authorFirst: boolean;
}

/** The plain facts a question about one series asks, or undefined when it asks none of them. */
export function factsAskedOf(text: string): FactsAsked | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  const finished = EN_FINISHED.test(t) || JA_FINISHED.test(t);
  const ongoing = EN_ONGOING.test(t) || JA_ONGOING.test(t);
  const hiatus = EN_HIATUS.test(t) || JA_HIATUS.test(t);
  const asked = [finished && 'finished', ongoing && 'ongoing', hiatus && 'hiatus'].filter(Boolean) as ('finished' | 'ongoing' | 'hiatus')[];
  // 「完結してる？休載中って聞いたけど」: a hiatus heard of beside a finished question is still the finished question.
  // "Will it ever end?", 「いつ完結する？」: the future, which the catalog does not know — the status said, no yes or no.
  const future = /\b(?:will|ever|going to|gonna)\b/.test(t) || /いつ|予定/.test(t);
  const status = asked.length === 0 ? undefined : asked.length === 1 && !future ? asked[0] : finished && hiatus && !ongoing && !future ? 'finished' : 'either';
  const authorAt = firstIndex(t, [EN_AUTHOR, JA_AUTHOR]);
  const countAt = firstIndex(t, [EN_COUNT, JA_COUNT]);
  if (status === undefined && authorAt < 0 && countAt < 0) return undefined;
  const statusAt = firstIndex(t, [EN_FINISHED, EN_ONGOING, EN_HIATUS, JA_FINISHED, JA_ONGOING, JA_HIATUS]);
  const other = [statusAt, countAt].filter((i) => i >= 0);
  return {
    status,
    author: authorAt >= 0,
    count: countAt >= 0,
    story: EN_STORY.test(t) || JA_STORY.test(t),
    authorFirst: authorAt >= 0 && (other.length === 0 || authorAt < Math.min(...other)),
  };
}

function firstIndex(t: string, patterns: RegExp[]): number {
  const at = patterns.map((p) => t.search(p)).filter((i) => i >= 0);
  return at.length ? Math.min(...at) : -1;
}

const ANSWER: Record<'en' | 'ja', { yes: string; no: string }> = { en: { yes: 'Yes — ', no: 'No — ' }, ja: { yes: 'はい、', no: 'いいえ、' } };
const AUTHOR_LINE: Record<'en' | 'ja', (title: string, authors: string, none: boolean) => string> = {
  en: (t, a, none) => (none ? `Our catalog doesn't list who wrote ${t}.` : `${t} is by ${a}.`),
  ja: (t, a, none) => (none ? `${t}の作者は、当店のデータに登録がございません。` : `${t}の作者は${a}です。`),
};

const NO_COUNT: Record<'en' | 'ja', (latest: string | undefined) => string> = {
  en: (v) => `Our catalog doesn't list how many volumes it has${v ? `; the latest we carry is ${v}` : ''}.`,
  ja: (v) => `全何巻かは当店のデータに登録がございません${v ? `（当店でお取り扱いの最新刊は${v}です）` : ''}。`,
};

/** The answer lines for the facts asked, first: yes/no and the status, the author, the length. */
export function factLines(ctx: ComposeContext, top: SeriesWithProducts, asked: FactsAsked): string[] {
  const { m, g } = ctx;
  const lang = g.language === 'ja' ? 'ja' : 'en';
  const s = top.series;
  const title = seriesTitle(ctx, s);
  const lines: string[] = [];
  // The status and the length in one sentence, without the authors (said only when asked).
  if (asked.status || asked.count) {
    const line = m.seriesIntro(title, [], s.status, s.volumeCount);
    // 「何巻で完結？」, "how many volumes until it's finished?": the length is asked, not a yes or no.
    const said = asked.status && asked.status !== 'either' && !asked.count ? yesNo(asked.status, s.status) : undefined;
    lines.push(said === undefined ? line : `${said ? ANSWER[lang].yes : ANSWER[lang].no}${line}`);
    // The length asked of a series whose count the catalog lacks (much of an import): said so, with the latest volume sold.
    if (asked.count && s.volumeCount === undefined) {
      const latest = latestVolume(top.products, ctx.today);
      lines.push(NO_COUNT[lang](latest === undefined ? undefined : m.volume(latest)));
    }
  }
  if (asked.author) {
    const authors = authorNames(ctx, s);
    const line = AUTHOR_LINE[lang](title, m.authors(authors), authors.length === 0);
    if (asked.authorFirst) lines.unshift(line);
    else lines.push(line);
  }
  return lines;
}

/** Whether the status asked is the series' status; undefined when the catalog does not know it. */
function yesNo(asked: 'finished' | 'ongoing' | 'hiatus', status: string): boolean | undefined {
  if (status === 'unknown') return undefined;
  if (asked === 'finished') return status === 'finished';
  if (asked === 'ongoing') return status === 'publishing';
  return status === 'hiatus';
}

