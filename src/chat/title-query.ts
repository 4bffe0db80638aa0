import { numbersAsDigits } from '../understanding/numerals.ts';

/**
 * Strips the request around a title so catalog search sees "one piece", not "do you have one
 * piece vol 3 in stock?". Conservative on purpose: only phrases that are never part of a title
 * are removed, and the fuzzy title search tolerates what is left.
 */
const EN_PHRASES = [
  /\b(do|does|did) (you|u) (guys )?(have|sell|carry|stock)\b/gi,
  /\b(i'?m|i am) (looking|searching) for\b/gi,
  /\b(can|could) (you|u) (find|show|tell me about|recommend)\b/gi,
  /\b(is|are|was) there\b/gi,
  /\b(what|how) (is|are|about)\b/gi,
  /\b(how much|how many|price of|the price|in stock|available|availability|out of stock|release date|when does|when is|come out|comes out)\b/gi,
  /\b(something|anything|manga|mangas|series|books?|comics?|titles?) (like|similar to)\b/gi,
  /\b(who (wrote|writes|drew|draws|made|is the author of)|written by|drawn by|the author of|what'?s (it|this|that) about|what happens in)\b/gi,
  /\b(is (it|this|that) (finished|complete|completed|over|ongoing|still running|done)|(finished|completed|complete|ongoing|how many volumes|how many books))\b/gi,
  /\b(recommend(ation)?s?|suggest(ion)?s?|please|pls|thanks|thank you|hi|hello|hey)\b/gi,
  /\b(also|too|as well|(i'?m |i am )?(also )?looking for|i (want|need)( to (buy|get|read|pre-?order|reserve))?|i'?d like( to (buy|get|read|pre-?order|reserve))?|(want|need) to (buy|get|read|pre-?order|reserve)|buy|purchase|searching for|find)\b/gi,
  /\b((to |can i |could i )?(pre-?order|reserve)( for)?)\b/gi,
  /\b(vol(ume)?\.?\s*#?\d+(st|nd|rd|th)?|#\d+|v\d+|\d+(st|nd|rd|th) (vol(ume)?|book))\b/gi,
  // A volume number corrected: "volume 13, not 30", "vol 30, sorry, 13".
  /\b(not|instead of|rather than|i mean|i meant|sorry|no wait)\s*,?\s*(vol(ume)?\.?\s*|#)?\d+\b/gi,
  /\b(prices?|costs?)\b/gi,
  // Formats and editions are asked about, never part of the title asked for.
  /\b(the )?(digital|e-?books?|kindle|paperback|tankobon|kanzenban|box ?sets?|boxed set)( (version|edition|copy|copies|format|one))?\b/gi,
  /\b(the )?(perfect|complete|deluxe|collector'?s|physical|print(ed)?) (version|edition|copy|copies|format)\b/gi,
  /\b(version|edition)( of)?\b/gi,
  /^(ok(ay)?|so|well|um+|yes|yeah|no|and|then|also|hmm+|great|cool|nice|never ?mind|actually|oh|wait|forget (it|that))\b/gi,
  // Not "next", "last" or "first": titles have them (Next Life, The Last Game); the search weighs them instead.
  /\b(coming|come out|out yet|released?)\b/gi,
  /\b(about|tell me|show me|the manga|the series|manga|series|any|have|got|sell|by|for|of|the|a|an|and|or|me|you|your|store|shop|do|is|it|in|still|new|latest|volume|volumes|who|what|wrote)\b/gi,
];

const JA_PHRASES = [
  // "マギは何巻まで出てますか": how far a series has got, before 巻 numbers and ますか go one by one.
  /(は|って)?(何巻|なんかん)まで(出て(い)?(ます|る)(か)?|(あり|出)ますか|ある)?/g,
  /第?[0-9０-９一二三四五六七八九十百]+巻(目)?/g,
  // A volume corrected: 「13巻じゃなくて14巻でした」「14巻の間違いです」.
  /(じゃなくて|じゃなく|ではなく|でなく)/g,
  /(の)?(間違い|誤り)(でした|です|だった)?|でした/g,
  /(ごめん(なさい)?|すみません|すいません|失礼しました)/g,
  /(ってありますか|はありますか|ありますか|あります？|ある？|あるの？|置いてますか|置いてる|売ってますか|売ってる|在庫(は|って)?|いくら(ですか)?|値段(は)?|価格(は)?|発売日(は)?|いつ発売|いつ出る|について(教えて)?(ください)?|を探して(います|る)|探してます|を教えて(ください)?|教えて(ください)?|ください|みたいな(漫画|マンガ|作品)?|のような(漫画|マンガ|作品)?|に似た(漫画|マンガ|作品)?|っぽい(漫画|マンガ|作品)?|おすすめ(は)?|オススメ|どんな話|どういう話|って何巻まで|何巻まで|完結(してますか|した)?|ですか|ますか|[？?！!。、]+)/g,
  /(の)?(電子版|電子書籍|完全版|愛蔵版|新装版|BOXセット|ボックスセット|box ?セット|紙の本|単行本|最新刊|新刊|最終巻|次の巻|続き|続刊)/gi,
  /^(じゃあ|では|それでは|あと|それと|ちなみに|なら|えっと|ところで)/g,
  // "井上雄彦さんの作品って何がありますか" → the author: honorifics and "works/books of" are never the name.
  /(さん|先生|氏)?の(作品|漫画|マンガ|まんが|本|シリーズ|コミック)(って|は|を|が)?(何|なに|どれ)?(が|か)?/g,
  /(って|は)?(何|なに|どれ)(が|か)$/g,
  // "サイレンって漫画", "ソウルイーターの漫画": the word for manga after a title is not the title.
  /(って|という|っていう|の)(漫画|マンガ|まんが)/g,
  /(は|って)?いつ(出|で|発売)[^\s]*\s*$/g,
  /(って|は)出(て(い)?(ます|る)?|ます|る)?(か)?\s*$/g,
  /の巻(って|は)?/g,
];

/** The part of a message that names a title or an author. */
export function titleQuery(text: string): string {
  // "volume twenty six", 十三巻: volume numbers as digits, so the volume phrases below remove them.
  let q = numbersAsDigits(text.normalize('NFKC'));
  q = q.replace(/MA-\d{8}-\d{4}/gi, ' ');
  for (const re of JA_PHRASES) q = q.replace(re, ' ');
  for (const re of EN_PHRASES) q = q.replace(re, ' ');
  q = q.replace(/[?!.,。、？！「」『』"]/g, ' ').replace(/\s+/g, ' ').trim();
  // Trailing Japanese particles left behind by a removed phrase ("ワンピースの" → "ワンピース").
  q = q.replace(/(は|って)?(ある|あります|ない|ありません)(か|の)?$/u, '').trim();
  q = q.replace(/[のはがをもって]+$/u, '').trim();
  return q;
}
