// "Detective manga?", 「探偵ものの漫画ってある？」, "got any samurai manga? a few options": a search
// for a KIND of manga. Every word of its title query is a genre, theme or audience word of the
// lexicon (or a word of the request itself), so it asks for the store's picks of that kind, not
// for the one series whose description or title happens to contain the word. A plot description
// ("宮廷で薬師の少女が謎を解く漫画", "a detective cat who lives in a library") has words of its own
// and stays a search.
import { EN_LEXICON, JA_LEXICON } from '../understanding/genre-lexicon.ts';
import { titleQuery } from './title-query.ts';

/** Words of the request itself ("a few options", "give me some picks"), which name no kind and no title. */
const REQUEST_WORDS = new Set(['option', 'options', 'pick', 'picks', 'suggestion', 'suggestions', 'idea', 'ideas', 'rec', 'recs', 'recommendation', 'recommendations', 'title', 'titles', 'series', 'stuff', 'one', 'ones', 'book', 'books', 'few', 'couple', 'instead', 'maybe', 'pls', 'plz', 'please', 'good', 'great', 'best', 'new', 'other', 'more', 'give', 'some', 'any', 'got']);

/** What a Japanese kind word may carry after it: 探偵もの, ホラー漫画, 少女漫画で, 異世界系の. */
const JA_TAIL = /(?:漫画|マンガ|まんが|もの|物|系|作品|って|で|の|が|は|を|も)$/u;

function isKindPhrase(phrase: string): boolean {
  if (EN_LEXICON[phrase] || (phrase.endsWith('s') && EN_LEXICON[phrase.slice(0, -1)])) return true;
  let ja = phrase;
  for (let before = ''; before !== ja && ja !== ''; ) {
    before = ja;
    ja = ja.replace(JA_TAIL, '');
  }
  return ja !== '' && JA_LEXICON[ja] !== undefined;
}

/** True when the message asks for manga of a kind and names nothing but that kind. */
export function asksForAKind(text: string): boolean {
  const words = titleQuery(text).normalize('NFKC').toLowerCase().split(/\s+/).filter((w) => w && !REQUEST_WORDS.has(w));
  if (words.length === 0) return false;
  // A kind of more than one word ("slice of life", "romantic comedy") is one lexicon phrase.
  return isKindPhrase(words.join(' ')) || words.every(isKindPhrase);
}
