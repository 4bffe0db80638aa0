// What the chat page (chat.js) and the shared-conversation page (shared.js) both draw with: text
// only ever through textContent (both pages show text a customer or a stranger typed), URLs as
// safe links, and a book's generated cover.

/** Small element factory: text always goes through textContent. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Only http(s) URLs become links; the trailing punctuation of a sentence stays outside the link.
const URL_RE = /https?:\/\/[^\s<>"'）」】]+/g;

/** Fills `target` with `text`, turning URLs into safe anchors. */
export function renderRichText(target, text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(URL_RE)) {
    let url = match[0].replace(/[.,;:!?。、！？)\]]+$/, '');
    if (match.index > last) parts.push(document.createTextNode(text.slice(last, match.index)));
    try {
      const parsed = new URL(url);
      const a = el('a', 'link', url);
      a.href = parsed.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parts.push(a);
    } catch {
      parts.push(document.createTextNode(url));
    }
    last = match.index + url.length;
  }
  if (last < text.length) parts.push(document.createTextNode(text.slice(last)));
  target.replaceChildren(...parts);
}

/** A book's cover: a gradient from its title and its initials (the catalog has no images). */
export function coverFor(item) {
  let hash = 0;
  for (const ch of item.title) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  const hue = hash % 360;
  const cover = el('div', 'cover');
  cover.style.background = `linear-gradient(150deg, hsl(${hue} 70% 42%), hsl(${(hue + 50) % 360} 65% 28%))`;
  const words = item.title.replace(/\(.*?\)/g, '').split(/[\s:・\-]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const initials = words.length > 1 ? words[0][0] + words[1][0] : (words[0] ?? item.titleJa ?? '?').slice(0, 2);
  cover.append(el('span', 'cover-initials', initials.toUpperCase()));
  cover.setAttribute('aria-hidden', 'true');
  return cover;
}

/**
 * A card's title lines in the reply's language: the title its readers know first (the English
 * title, else the romaji one; the Japanese title in a Japanese reply) as the heading, the other
 * beneath. Both pages' cards use it, so a customer and whoever they share with read the same card.
 */
export function cardTitles(item, language) {
  const japanese = typeof item.titleJa === 'string' && item.titleJa ? item.titleJa : undefined;
  const english = String(item.titleEn || item.title || '');
  const [main, other] = language === 'ja' && japanese ? [japanese, english] : [english, japanese];
  const heading = el('h3', 'card-title', main);
  if (main === japanese) heading.lang = 'ja';
  const lines = [heading];
  if (other && other !== main) {
    const sub = el('p', 'card-title-ja', other);
    if (other === japanese) sub.lang = 'ja';
    lines.push(sub);
  }
  return lines;
}
