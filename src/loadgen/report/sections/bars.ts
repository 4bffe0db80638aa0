// Small inline bars for table cells: a figure with a proportional bar reads faster than a column of numbers.
import { escapeHtml } from '../escape.ts';
import { isNum } from '../format.ts';

/** A table cell with the formatted value and a bar sized to `value / max`, coloured by `kind` (a CSS class); `title` becomes a tooltip. */
export function barCell(value: unknown, max: number, kind: string, text: string, title = ''): string {
  const ratio = isNum(value) && max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  // Keep a sliver for non-zero values so a small figure is still visibly not zero.
  const width = ratio === 0 ? 0 : Math.max(2, Math.round(ratio * 100));
  return `<td class="num"${title ? ` title="${escapeHtml(title)}"` : ''}><div class="bar-cell"><span>${escapeHtml(text)}</span><span class="bar-track"><span class="bar ${escapeHtml(kind)}" style="width:${width}%"></span></span></div></td>`;
}
