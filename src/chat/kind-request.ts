// "Detective manga?", 「探偵ものの漫画ってある？」, "need a proper tearjerker pls": a search for a
// KIND of manga. Every word of its title query is a genre, theme, mood or audience word of the
// lexicon, or a word of the wish itself, so it asks for the store's picks of that kind, not for
// the one series whose description or title happens to contain the word. A plot description
// ("宮廷で薬師の少女が謎を解く漫画", "a detective cat who lives in a library") or an unknown title
// ("Quantum Samurai Bakery") has words of its own and stays a search. One rule, used by the title
// lookup (grounding/series.ts, gather.ts) and by understand.ts when it re-reads a misread intent.
import { EN_LEXICON, JA_LEXICON } from '../understanding/genre-lexicon.ts';
import { titleQuery } from './title-query.ts';

/** Words of a wish or a request ("I need a proper…", "a few options", "give me some picks"): no kind, no title. */
const WISH_WORDS = new Set([
  'i', "i'm", 'im', 'me', 'need', 'want', 'wanna', 'like', 'looking', 'for', 'a', 'an', 'the', 'real', 'proper', 'really', 'truly', 'good', 'great', 'nice', 'solid', 'decent', 'actual', 'pls', 'plz', 'please',
  'manga', 'manhwa', 'comic', 'comics', 'series', 'one', 'ones', 'something', 'anything', 'some', 'any', 'story', 'stories', 'read', 'book', 'books', 'kind', 'of', 'type', 'genuine', 'very', 'super',
  'option', 'options', 'pick', 'picks', 'suggestion', 'suggestions', 'idea', 'ideas', 'rec', 'recs', 'recommendation', 'recommendations', 'title', 'titles', 'stuff', 'few', 'couple', 'instead', 'maybe', 'best', 'new', 'other', 'more', 'give', 'got', 'about', 'with',
  // The title query drops "about": "a seinen manga about history" is left as "seinen history" (the lexicon's 'about history').
  'history',
  // How strongly it is wished, and what joins the kinds ("young jump type stuff, mystery preferably", "fantasy and comedy ideally").
  'preferably', 'ideally', 'prefer', 'possible', 'if', 'and', 'or', 'plus', 'also', 'too', 'style', 'vibe', 'vibes', 'kinda', 'sorta',
]);

/** English lexicon phrases, longest first ("make me cry" before "cry"). */
const EN_PHRASES = Object.keys(EN_LEXICON).sort((a, b) => b.length - a.length);

/** What a Japanese kind word may carry after it: 探偵もの, ホラー漫画, 少女漫画で, 異世界系の, グルメ漫画なら, 音楽がテーマ, 料理が題材. */
const JA_TAIL = /(?:漫画|マンガ|まんが|もの|物|系|作品|って|で|の|が|は|を|も|なら|だったら|でしたら|とか|テーマ|題材|ジャンル|にした|にしてる|にしている)$/u;

function isJapaneseKind(word: string): boolean {
  let w = word;
  for (let before = ''; before !== w && w !== ''; ) {
    before = w;
    w = w.replace(JA_TAIL, '');
  }
  return w !== '' && JA_LEXICON[w] !== undefined;
}

/** True when a title query holds at least one kind word and nothing but kind words and words of the wish. */
export function kindWordsOnly(query: string): boolean {
  const t = query.normalize('NFKC').toLowerCase();
  let kinds = 0;
  // English phrases are taken out longest first, so "slice of life" or "make me cry" is one kind.
  let rest = ` ${t.replace(/[^\p{L}\p{N}' -]+/gu, ' ')} `;
  for (const phrase of EN_PHRASES) {
    for (const form of [` ${phrase} `, ` ${phrase}s `]) {
      // Nearly every phrase is absent: then the split and join below change nothing.
      if (!rest.includes(form)) continue;
      const parts = rest.split(form);
      kinds += parts.length - 1;
      rest = parts.join(' ');
    }
  }
  for (const w of rest.split(/\s+/)) {
    if (!w || WISH_WORDS.has(w)) continue;
    if (!isJapaneseKind(w)) return false;
    kinds++;
  }
  return kinds > 0;
}

/** True when the message asks for manga of a kind and names nothing but that kind. */
export function asksForAKind(text: string): boolean {
  return kindWordsOnly(titleQuery(text));
}
