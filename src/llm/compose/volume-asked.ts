/**
 * A volume asked for by its place: "when does the next volume come out?", 「最終巻はいくら？」. The
 * next volume is introduced as such; when there is none, the answer says so plainly — a finished
 * series has no next volume, a running one may not have it announced yet.
 */
import type { SeriesWithProducts } from '../types.ts';
import type { ProductFormat } from '../../catalog/types.ts';
import { seriesTitle, type ComposeContext } from './context.ts';

interface Phrases {
  next(title: string, volume: number): string;
  last(title: string, volume: number, finished: boolean): string;
  noneFinished(title: string, count: number): string;
  noneYet(title: string, next: number, latest: number): string;
}

const PHRASES: Record<'en' | 'ja', Phrases> = {
  en: {
    next: (title, v) => `The next volume of ${title} is Vol. ${v}:`,
    last: (title, v, finished) => (finished ? `The last volume of ${title} is Vol. ${v}:` : `The latest volume of ${title} is Vol. ${v}:`),
    noneFinished: (title, n) => `There is no next volume: ${title} is complete, and Vol. ${n} is the final volume.`,
    noneYet: (title, next, latest) => `No release date for Vol. ${next} of ${title} has been announced yet, so there's no upcoming volume to preorder. The latest is Vol. ${latest}:`,
  },
  ja: {
    next: (title, v) => `${title}の次の巻は${v}巻です。`,
    last: (title, v, finished) => (finished ? `${title}の最終巻は${v}巻です。` : `${title}の最新刊は${v}巻です。`),
    noneFinished: (title, n) => `${title}は全${n}巻で完結しているため、次の巻の予定はございません（${n}巻が最終巻です）。`,
    noneYet: (title, next, latest) => `${title}の${next}巻の発売日は、まだ発表されておりません。最新刊は${latest}巻です。`,
  },
};

/** The lead line for a volume asked by its place, or undefined when the message named none. */
export function volumeAskedLead(ctx: ComposeContext, top: SeriesWithProducts, shownVolume: number): string | undefined {
  const asked = ctx.g.volumeAsked;
  if (!asked) return undefined;
  const p = PHRASES[ctx.g.language] ?? PHRASES.en;
  const title = seriesTitle(ctx, top.series);
  const finished = top.series.status === 'finished';
  if (asked.ref === 'last') return p.last(title, shownVolume, finished);
  if (!asked.none) return p.next(title, shownVolume);
  const after = asked.after ?? shownVolume;
  return finished ? p.noneFinished(title, top.series.volumeCount ?? after) : p.noneYet(title, after + 1, after);
}

const WHICH: Record<'en' | 'ja', string> = {
  en: 'Which series do you mean? Tell me the title and I will check it for you.',
  ja: 'どの作品についてのお問い合わせでしょうか。タイトルを教えていただければ、お調べいたします。',
};

/** The message asks about "the next volume" or "volume 1" of no series in particular: which one? */
export function whichSeries(ctx: ComposeContext): string {
  return WHICH[ctx.g.language] ?? WHICH.en;
}

const AS_A: Record<ProductFormat, string> = { digital: 'a digital edition', tankobon: 'a paperback', kanzenban: 'a kanzenban edition', box_set: 'a box set' };
const FORMAT_MISSING: Record<'en' | 'ja', (volume: string, format: ProductFormat, name: string) => string> = {
  en: (volume, format) => `We don't sell ${volume} as ${AS_A[format]}; here is what we have:`,
  ja: (volume, _format, name) => `${volume}の${name}は、当店ではお取り扱いがございません。ご用意のある版をご案内いたします。`,
};

/** The format asked about is not sold for this volume ("the ebook?" of a volume with no digital edition): said first. */
export function formatMissing(ctx: ComposeContext, volume: number, format: ProductFormat): string {
  return (FORMAT_MISSING[ctx.g.language] ?? FORMAT_MISSING.en)(ctx.m.volume(volume), format, ctx.m.format(format));
}
