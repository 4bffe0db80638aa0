// Turns the store's knowledge base and catalog into the documents of the one retrieval index.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { Series } from '../catalog/types.ts';
import type { IndexedDoc } from './types.ts';

/** Splits one knowledge-base markdown file (`# Title`, then `## Section`s) into one doc per section (a heading and its paragraph). */
export function chunkMarkdown(markdown: string, lang: 'en' | 'ja', topic: string): IndexedDoc[] {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let docTitle = topic;
  const sections: { heading: string; body: string[] }[] = [];
  let current: { heading: string; body: string[] } | undefined;
  const intro: string[] = [];
  for (const line of lines) {
    const h1 = /^#\s+(.*)$/.exec(line);
    const h2 = /^##\s+(.*)$/.exec(line);
    if (h1 && !current && sections.length === 0 && docTitle === topic) {
      docTitle = h1[1].trim();
    } else if (h2) {
      current = { heading: h2[1].trim(), body: [] };
      sections.push(current);
    } else if (current) {
      current.body.push(line);
    } else {
      intro.push(line);
    }
  }
  const chunks: { heading: string; body: string }[] = [];
  // Text before the first section is a chunk of its own: it often states the policy in one line.
  const introText = readable(intro, lang).trim();
  if (introText) chunks.push({ heading: '', body: introText });
  for (const s of sections) {
    const body = readable(s.body, lang).trim();
    if (body || s.heading) chunks.push({ heading: s.heading, body });
  }
  return chunks.map((c, n) => ({
    id: `kb:${lang}/${topic}#${n}`,
    kind: 'kb',
    language: lang,
    title: c.heading ? `${docTitle} — ${c.heading}` : docTitle,
    text: c.body,
    ref: topic,
  }));
}

// The knowledge base holds no customer's order: an order number in it ("an order number like
// MA-20261104-0007") is an example, which a reply quoting it would show as if it were an order. The
// format says the same and names no order.
const EXAMPLE_ORDER_NUMBER = /\bMA-\d{8}-\d{4}\b/g;
const ORDER_NUMBER_FORMAT = 'MA-YYYYMMDD-NNNN';

/**
 * A section's lines as plain sentences: emphasis markers dropped, and each table row written out
 * with its column headings ("Hokkaido: 2 to 3 days", "North America, Europe, Oceania — Up to
 * 1 kg: ¥1,800; Each extra kg: ¥600"), so a row can be quoted as the answer on its own.
 */
function readable(lines: string[], lang: 'en' | 'ja'): string {
  const out: string[] = [];
  let header: string[] | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\*\*(.+?)\*\*/g, '$1').replace(EXAMPLE_ORDER_NUMBER, ORDER_NUMBER_FORMAT);
    const row = /^\s*\|(.*)\|\s*$/.exec(line);
    if (!row) {
      header = undefined;
      out.push(line);
      continue;
    }
    const cells = row[1].split('|').map((c) => c.trim());
    if (cells.every((c) => /^:?-{2,}:?$/.test(c))) continue;
    if (!header) {
      header = cells;
      continue;
    }
    out.push(tableRow(header, cells, lang));
  }
  return out.join('\n');
}

/** One table row as a sentence in the section's language. */
function tableRow(header: string[], cells: string[], lang: 'en' | 'ja'): string {
  const [key, ...values] = cells;
  const end = (s: string) => (lang === 'ja' ? (/[。！？]$/.test(s) ? s : `${s}。`) : /[.!?]$/.test(s) ? s : `${s}.`);
  if (values.length === 1) return end(lang === 'ja' ? `${key}：${values[0]}` : `${key}: ${values[0]}`);
  const parts = values.map((v, i) => (lang === 'ja' ? `${header[i + 1]} ${v}` : `${header[i + 1]}: ${v}`));
  return end(lang === 'ja' ? `${key}：${parts.join('、')}` : `${key} — ${parts.join('; ')}`);
}

/** Reads `<dir>/en/*.md` and `<dir>/ja/*.md` and chunks each file by `##` section. */
export function loadKnowledgeBase(dir: string): IndexedDoc[] {
  const docs: IndexedDoc[] = [];
  for (const lang of ['en', 'ja'] as const) {
    const langDir = join(dir, lang);
    if (!existsSync(langDir)) continue;
    for (const file of readdirSync(langDir).filter((f) => f.endsWith('.md')).sort()) {
      docs.push(...chunkMarkdown(readFileSync(join(langDir, file), 'utf8'), lang, basename(file, '.md')));
    }
  }
  return docs;
}

/** One catalog series as a 'mul' document carrying every name, author, genre and both synopses. */
export function seriesToDoc(series: Series): IndexedDoc {
  const names = unique([series.title, series.titleEn, series.titleJa, ...(series.aliases ?? [])]);
  const lines = [
    names.join(' / '),
    series.authors.length ? `Authors: ${series.authors.join(', ')}` : '',
    series.genres.length ? `Genres: ${series.genres.join(', ')}` : '',
    series.themes.length ? `Themes: ${series.themes.join(', ')}` : '',
    series.demographic ? `Demographic: ${series.demographic}` : '',
    series.magazine ? `Magazine: ${series.magazine}` : '',
    series.synopsis ?? '',
    series.synopsisJa ?? '',
  ];
  return {
    id: `series:${series.id}`,
    kind: 'series',
    language: 'mul',
    title: series.titleJa && series.titleJa !== series.title ? `${series.title} (${series.titleJa})` : series.title,
    text: lines.filter(Boolean).join('\n'),
    ref: series.id,
    names,
  };
}

/**
 * The catalog's documents for retrieval: the series a description can find, i.e. those with a
 * synopsis. A bare imported record (names, authors, genres) would only match on those words,
 * which the title search judges better, and findSeries discards it anyway; leaving the ~15,000
 * of them out keeps start-up (and a remote embedding model's bill) to the few hundred that matter.
 */
export function catalogDocs(series: Series[]): IndexedDoc[] {
  return series.filter((s) => s.synopsis || s.synopsisJa).map(seriesToDoc);
}

function unique(values: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = v?.trim();
    if (t && !seen.has(t)) {
      seen.add(t);
      out.push(t);
    }
  }
  return out;
}
