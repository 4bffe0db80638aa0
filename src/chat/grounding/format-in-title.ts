// A format word that is only part of the series' own name: "Blue Box 21" and 「ブルーボックス」 name
// the series Blue Box (アオのハコ), not a box set of it. The understanding reads formats from the
// whole message before any series is found; once the series is known, its names (and a katakana
// spelling of a Latin name) are taken out and the format is read again from what is left.
import type { Series } from '../../catalog/types.ts';
import { writtenInKatakana } from '../../catalog/name-index.ts';
import { extractFormat } from '../../understanding/constraints.ts';

const KATAKANA_RUN = /[\p{Script=Katakana}ー・]{3,}/gu;

/** The message with every name of the series taken out (case-insensitive, and katakana spellings of its Latin names). */
function withoutSeriesNames(text: string, series: Series): string {
  const names = [series.title, series.titleEn, series.titleJa, ...(series.aliases ?? [])].filter((n): n is string => !!n && n.length >= 2);
  let t = text.normalize('NFKC').toLowerCase();
  for (const name of names.sort((a, b) => b.length - a.length)) t = t.split(name.normalize('NFKC').toLowerCase()).join(' ');
  return t.replace(KATAKANA_RUN, (run) => (names.some((n) => writtenInKatakana(run, n)) ? ' ' : run));
}

/** True when the format read from the message is only a word of the series' name (Blue Box's "box"). */
export function formatOnlyInTitle(text: string, format: string | undefined, series: Series | undefined): boolean {
  if (format === undefined || series === undefined) return false;
  return extractFormat(text.normalize('NFKC').toLowerCase()) === format && extractFormat(withoutSeriesNames(text, series)) !== format;
}
