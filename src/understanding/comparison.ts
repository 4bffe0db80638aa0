// Comparisons: "Naruto or Bleach?", "X vs Y", "What's the difference between A and B?",
// "compare One Piece, Naruto and Bleach", 「AとBどっちがいい？」, 「AとBって、それぞれ何巻？」.
// The message is cut into the phrases that name each series, in order; the pipeline looks each
// one up. Hand-written: the forms are few and the cut must keep titles whole ("Spice and Wolf"
// is one title: a part that names nothing is tried again joined to its neighbour).

import { leftoverOf } from './follow-up-words.ts';
import { EN_LEXICON } from './genre-lexicon.ts';

import { asksAboutAssistant } from './small-talk.ts';

/** What the customer wants the series compared on (none: everything the store knows). */
export type ComparisonAspect = 'volumes' | 'rating' | 'popularity' | 'status' | 'price' | 'started' | 'author' | 'next';

// An either-or or "versus" between names is a comparison on its own; "and" or a comma needs a cue.
const EN_EITHER = /\s(?:or|vs\.?|versus)\s|\s\/\s/;
const EN_CUE =
  /\b(?:compare|comparison|compared|difference|differences|differ|which(?: one)?(?: is| would| should| do)?|better|worse|versus|vs|both|each|either|between|torn|decide|deciding|older|newer|same (?:author|mangaka|artist|writer|creator|person|guy))\b/;
// 「AとBって同じ作者？」「AとBとC、一番長いのは？」「AとBの巻数を教えて」 compare as surely as どっち.
// (...and the same author asked noun first: 「AとB、作者同じ？」「AとBって作者一緒？」.)
const JA_CUE = /どっち|どちら|どれ|比べ|くらべ|比較|違い|違う|違います|それぞれ|両方|迷って|迷う|悩んで|悩む|派|vs|ＶＳ|同じ(?:作者|作家|漫画家|人|先生)|(?:作者|作家|漫画家|描いてる人|描いた人|書いてる人|書いた人)(?:さん)?(?:が|は|って|も)?(?:同じ|おなじ|一緒|いっしょ)|一番|いちばん|最も|の(?:巻数|作者|連載開始|開始年|始まった年)/i;

// Phrases around the names: removed before cutting.
const EN_LEAD = [
  /^(?:so|ok|okay|hmm|well|hey|hi)[,!]?\s+/,
  // "for someone new to manga: Death Note, Monster or Pluto?": the names come after the colon.
  /^(?![^:]*(?:\s(?:or|and|vs\.?|versus)\s|,))[^:]{2,60}:\s+(?=\S+.*(?:\s(?:or|and|vs\.?|versus)\s|,))/,
  /^(?:can|could) you\s+/,
  /^(?:please\s+)?(?:help me\s+)?(?:compare|choose between|decide between|pick between)\s+/,
  /^(?:what'?s|what is|what are|tell me|explain)\s+(?:the\s+)?(?:main\s+)?(?:differences?|comparison)\s+(?:between|of)\s+/,
  /^(?:the\s+)?(?:differences?|comparison)\s+(?:between|of)\s+/,
  /^(?:which(?: one)? (?:is|would be|'s) (?:better|best|longer|shorter|more popular|cheaper)|which should i (?:read|start|buy|get|pick)|should i (?:read|start|buy|get|pick))[,:]?\s+/,
  /^(?:i'?m )?(?:torn|deciding|choosing) between\s+/,
  /^between\s+/,
  // "which is better for a beginner, A or B?": the reader named before the names.
  /^for (?:a |an |my |the )?(?:beginners?|newbies?|new readers?|first[- ]timers?|someone new(?: to manga)?|starters?|newcomers?|kids?|teens?)[,:]?\s+/,
  // "thinking about getting either Haikyuu or Kuroko's Basketball": the choice starts after "either"/"between".
  /^(?:.*?\s)?(?:either|between)\s+(?=\S+.*\s(?:or|and|vs\.?|versus)\s)/,
  /^how (?:is|does|do|are)\s+/,
  /^(?:is|are|was|were|would|do|does|did|has|have)\s+/,
  /^how many volumes (?:do|does|are there (?:of|in)|in)\s+/,
  /^who (?:wrote|drew|made)\s+/,
];
const EN_TAIL =
  /(?:\s*[,;:]\s*|\s+)(?:which|what|who|how|should|would|for me|please|pls|thanks|is it|are they|do you|differ)\b.*$|\s+for (?:a |an |my |the )?(?:beginners?|newbies?|new readers?|first[- ]timers?|someone|somebody|starters?|newcomers?|kids?|teens?)\b.*$|\s+(?:better|worse|longer|shorter|cheaper|more popular|more famous|older|newer|compare|differ|stack up|match up)$|\s+(?:by|from) the same\b.*$|\s+(?:both |all )?(?:finished|complete|completed|over|ended|ongoing|still (?:going|running|ongoing|publishing))\b.*$|\s+(?:both |all )?(?:shounen|shonen|seinen|shoujo|shojo|josei|kodomomuke)\b.*$|\s+(?:have|has)$|[?!。？！]+(?!\s+(?:or|vs\.?|versus)\s).*$|\.$/;
// "X better than Y", "X compared to Y" name two series as surely as "X or Y".
const EN_SEPARATOR = /\s*(?:,|;|\/|(?<=\s)&(?=\s)|\bvs\.?(?=\s)|\bversus\b|\bor\b|\band\b|\b(?:been (?:running|going|out|around|published) )?(?:better|worse|longer|shorter|cheaper|more popular|older|newer|earlier|later) than\b|\bcompared? (?:to|with)\b|\b(?:different|differ|differs) (?:from|than)\b|\b(?:come|came|start|started|begin|began) (?:out )?(?:before|after)\b)\s*/;
const EN_THAN = /\b(?:better|worse|longer|shorter|cheaper|more popular|older|newer|earlier|later) than\b|\bcompared? (?:to|with)\b|\b(?:different|differ|differs) (?:from|than)\b|\b(?:come|came|start|started|begin|began) (?:out )?(?:before|after)\b/;
const JA_TAIL = /(?:って|は|の|なら|では|だと|だったら|を|で|で迷|か迷|か悩)?[、,\s]*(?:どっち|どちら|どれ|それぞれ|両方|比べ|くらべ|比較|の違い|何が違|なにが違|どう違|違い|違う|違います|迷って|迷う|迷い|悩んで|悩む|派|同じ(?:作者|作家|漫画家|人|先生)|(?:作者|作家|漫画家|描いてる人|描いた人|書いてる人|書いた人)(?:さん)?(?:が|は|って|も)?(?:同じ|おなじ|一緒|いっしょ)|(?:で|の中で)?(?:一番|いちばん|最も)|の(?:巻数|作者|連載開始|開始年|始まった年)).*$/;
const JA_SEPARATOR = /\s*(?:と|、|,|／|\/|\bvs\.?\b|ＶＳ)\s*/i;
// 「AかBで迷ってます」: in a choice か joins the names, as と does.
const JA_SEPARATOR_CHOICE = /\s*(?:と|、|,|／|\/|\bvs\.?\b|ＶＳ|か)\s*/i;
// ...also who they are written for: 「AとBって、少年漫画？青年漫画？」「AとBは誰向け？」.
const JA_DEMOGRAPHIC_ASKED = '(?:少年|青年|少女|女性|児童)(?:漫画|マンガ|誌|向け)?(?=[？?、,。\\s]|です|なの|でしょう|か|$)|誰向け|何向け|対象(?:年齢|読者)';
const JA_DEMOGRAPHIC_WORDS = /(?:少年|青年|少女|女性|児童)(?:漫画|マンガ|誌|向け)/g;
const JA_FACT = new RegExp(`(?:って|は|の|が|も)[、,\\s]*(?:完結|何巻|巻数|作者|連載|いつから|いつ始ま|${JA_DEMOGRAPHIC_ASKED})`);
const JA_FACT_TAIL = new RegExp(`(?:って|は|の|が|も)[、,\\s]*(?:完結|何巻|巻数|作者|連載|いつから|いつ始ま|${JA_DEMOGRAPHIC_ASKED}).*$`);
const JA_SEARCH_WORDS = /漫画|マンガ|まんが|作品|本|おすすめ|オススメ|探して|欲しい|ほしい|ある？|ありますか|ない？/;
// (「少年漫画？青年漫画？」 asks who titles are for; it is no search for manga.)
const JA_SEARCH = { test: (t: string): boolean => JA_SEARCH_WORDS.test(t.replace(JA_DEMOGRAPHIC_WORDS, '')) };
// (「AとBはどっちも青年？」: どっちも／どちらも is 'both' after the names, no name of its own.)
const JA_BOTH = /^(?!.{0,40}?(?:どっち|どちら|両方|いずれ)も)(.{1,30}?)も[、,\s]*(.{1,30}?)も(?=.*(?:[？?]|か$|完結|何巻|長い|古い|新しい|連載|同じ|終わ|続))/;
const JA_SIDES = /^(.{1,30}?)派[？?、,\s]*(.{1,30}?)派/;
const JA_PARTICLE_END = /(?:って|は|が|を|の|なら|では|だと|も)$/;

/** One named part of a comparison, and what joins it to the next. */
export interface ComparisonPart {
  text: string;
  /** The separator written before the next part (to rejoin "Spice" + " and " + "Wolf"). */
  joiner: string;
}

function sentences(t: string): string[] {
  // "Frieren vs. Dungeon Meshi" is one sentence; "X vs Y - same author right?" is two clauses;
  // "Yotsuba&! or Azumanga Daioh" goes on after the title's "!"; "Dragon Ball or Dr. Slump?", "Kaiju No. 8
  // or Sakamoto Days?" after an abbreviation's point.
  return t.split(/(?<=(?<!\b(?:vs|dr|mr|mrs|ms|st|jr|no))[.!?。！？])\s+(?!(?:or|vs\.?|versus)\s)|(?<=\bno\.)\s+(?!\d)|\s+[-–—]+\s+/).map((s) => s.trim()).filter(Boolean);
}

// A fact asked of titles named together, and words of a search for a kind of manga (no titles then).
const EN_FACT = /^(?:are|were|is|did|do|does|have|has|how many volumes (?:do|does|are there (?:of|in)|in))\s.*\b(?:shounen|shonen|seinen|shoujo|shojo|josei|finished|complete|completed|over|ended|ongoing|still (?:going|running|ongoing|publishing)|have|started|start|begin|by the same)\b|\bwho (?:wrote|drew|made)\b/;
const EN_SEARCH = /\b(?:manga|comics?|books?|anything|something|recommend\w*|suggest\w*|any (?:finished|complete|good)|do you (?:have|sell|carry|stock))\b/;

// A sentence right after a list of names that asks about them: "which is the newest?", "how do they compare?".
const EN_ASKS_ABOUT_THEM = /^(?:and\s+|so\s+)?(?:which(?: one)?\b|what'?s the difference|what are the differences|how do (?:they|these|the (?:two|three)) (?:compare|differ)|compare|who\b.*\b(?:first|older|newer|longer)\b)/;

// 「AのほうがBより…」「AはBより…」, 「Aのほうが…？Bより？」, 「BよりAのほうが…」 (the order as written).
const JA_THAN: RegExp[] = [
  /^(.{1,30}?)(?:のほう|の方)(?:が|は)[^？?。]*[？?。]\s*(.{1,30}?)(?:と比べ(?:て|ると)?|より)/,
  /^(.{1,30}?)(?:と比べ(?:て|ると)|より)(?:も)?[、,\s]*(.{1,30}?)(?:のほう|の方)/,
  /^(.{1,30}?)(?:のほう|の方)(?:が|は)[、,\s]*(.{1,30}?)(?:と比べ(?:て|ると)?|より)/,
  /^(.{1,30}?)(?:って|は|が)[、,\s]*(.{1,30}?)(?:と比べ(?:て|ると)?|より)/,
];

function jaThan(t: string): ComparisonPart[] | undefined {
  for (const re of JA_THAN) {
    const m = re.exec(t.replace(/^.*?(?:けど|けれど|ですが|んですが|なんだけど)[、,]\s*/, ''));
    if (!m) continue;
    const clean = (s: string) => s.replace(/^[「『]|[」』]$/g, '').replace(JA_PARTICLE_END, '').trim();
    const parts = [m[1], m[2]].map(clean).filter((p) => p.length > 0 && !followUpOnly(p));
    if (parts.length === 2) return [{ text: parts[0], joiner: '、' }, { text: parts[1], joiner: '' }];
  }
  return undefined;
}

// One title weighed against the series in play ("it", unnamed): "compared with Chainsaw Man, which
// is more popular?", "is it longer than Naruto?", "how does it compare to Bleach?", "vs Bleach?",
// 「チェンソーマンと比べてどっちが人気？」「ナルトより長い？」「それとナルト、どっちが長い？」.
const EN_WITH_IN_PLAY: RegExp[] = [
  /^(?:(?:and|so|ok|okay|but|hmm)[,\s]+)?(?:compared? (?:to|with)|as opposed to|vs\.?|versus|against)\s+(.+?)\s*(?:[,?!.:;]|$)/,
  /\b(?:it|this|this one|that|that one|the series)\b(?:'s|\s+(?:is|was|been|more|less|any|much|a lot|way|even))*\s+(?:more popular|less popular|more famous|better(?:[- ]rated)?|worse|higher[- ]rated|longer|shorter|older|newer|cheaper|pricier|more expensive|earlier|later)\s+than\s+(.+?)\s*[?!.]*$/,
  /\b(?:how does|how do) (?:it|this|this one|that|that one) (?:compare|stack up|measure up) (?:to|with|against)\s+(.+?)\s*[?!.]*$/,
  // "compare it with Naruto, how many volumes each", "can you compare this to Bleach?"
  /\bcompare (?:it|this|this one|that|that one|the series)\s+(?:to|with|against|and)\s+(.+?)\s*(?:[,?!.:;]|$)/,
  /\b(?:this|it|this one|that one|that)\s+or\s+(.+?)\s*[?!.]*$/,
  // Its author checked by another work of theirs: "is it by the same person who did A Silent Voice?",
  // "is this from the author of Chainsaw Man?", "is it by the silent voice guy?", "same author as Naruto?".
  /\b(?:is|was|isn'?t|wasn'?t) (?:it|this|this one|that|that one|the series) (?:also )?(?:by|from) (?:the )?(?:same (?:author|mangaka|artist|writer|creator|person|guy) (?:as|who (?:did|made|wrote|drew|does)|that (?:did|made|wrote|drew))|(?:author|mangaka|creator|person|guy|artist|writer) (?:of|behind|who (?:did|made|wrote|drew)))\s+(.+?)\s*[?!.]*$/,
  /\b(?:is|was) (?:it|this|this one|that|that one) (?:by|from) the\s+(.+?)\s+(?:guy|person|author|mangaka|creator|artist)\s*[?!.]*$/,
  /^(?:(?:and|so|ok|okay|but|hmm|wait)[,\s]+)?(?:(?:is it|it's|its) )?(?:by )?(?:the )?same (?:author|mangaka|artist|writer|creator|person|guy) as\s+(.+?)\s*[?!.]*$/,
];
const JA_WITH_IN_PLAY: RegExp[] = [
  // Its author checked by another work of theirs: 「作者って聲の形の人だよね？」「これ聲の形と同じ作者？」.
  /^(?:(?:それ|これ|この作品|その作品|この漫画|その漫画)の)?(?:作者|著者|作家|漫画家)(?:さん|先生)?(?:って|は)[、,\s]*(.{1,30}?)(?:の|を(?:描|書)いた)(?:人|作者|先生|作家|漫画家)/,
  /^(?:(?:それ|これ|この作品|その作品|この漫画|その漫画)(?:って|は|も)?[、,\s]*)?(.{1,30}?)(?:と|の作者と)同じ(?:作者|人|先生|漫画家|作家)/,
  /^(?:じゃあ|では|で|それで|ちなみに)?[、,\s]*(?:それ|これ|あれ|こっち|そっち|この作品|その作品|この漫画|その漫画)と[、,\s]*(.{1,30}?)(?:って|は|なら|だと)?[、,\s]*(?:どっち|どちら|比べ|比較)/,
  /^(?:じゃあ|では|で|それで|ちなみに)?[、,\s]*(.{1,30}?)(?:と比べ(?:て|ると|たら)|と比較(?:して|すると)|より(?:も)?)[、,\s]*(?:どっち|どちら|人気|長|短|古|新し|安|高|評価|面白|おもしろ|売れ|有名|巻数|先|後)/,
];
const PRONOUN_PART = /^(?:it|this|that|this one|that one|それ|これ|あれ|こっち|そっち|この作品|その作品|この漫画|その漫画)$/;

/**
 * The phrase naming the one title a message weighs against the series in play, which it does
 * not name ("compared with Chainsaw Man, which is more popular?", 「チェンソーマンと比べてどっちが人気？」);
 * undefined when it names two or none.
 */
export function comparedWithInPlay(text: string): string | undefined {
  const t = text.normalize('NFKC').trim();
  if (comparisonParts(t)) return undefined;
  const japanese = /[\u3040-\u30ff\u3400-\u9fff]/.test(t);
  for (const re of japanese ? [...JA_WITH_IN_PLAY, ...EN_WITH_IN_PLAY] : EN_WITH_IN_PLAY) {
    const m = re.exec(japanese ? t : t.toLowerCase());
    if (!m) continue;
    const name = m[1].replace(/^[「『]|[」』]$/g, '').replace(/^(?:the|a|an)\s+/, '').replace(/\s+(?:manga|series)$/, '').replace(JA_PARTICLE_END, '').trim();
    if (name.length > 0 && !PRONOUN_PART.test(name) && !followUpOnly(name)) return name;
  }
  return undefined;
}

/** The phrases naming each series compared, in order, or undefined when the message compares nothing. */
export function comparisonParts(text: string): ComparisonPart[] | undefined {
  const t = text.normalize('NFKC').trim();
  // "Are you human or AI?" asks about the assistant, not about two titles.
  if (asksAboutAssistant(t)) return undefined;
  const japanese = /[\u3040-\u30ff\u3400-\u9fff]/.test(t);
  if (!japanese) return englishParts(t, capitalizedWords(t));
  // Japanese titles in an English sentence ("進撃の巨人 or 鬼滅の刃, which one is older?") are cut as English.
  return japaneseParts(t) ?? (EN_WORDS.test(t) ? englishParts(t, capitalizedWords(t)) : undefined);
}

// English words that make a message with Japanese titles an English comparison.
const EN_WORDS = /\b(?:or|vs|versus|than|which|compare|compared|difference|different|better|older|newer|longer|shorter)\b/i;

/** A comparison written in Japanese: the names before the cue, or around より. */
function japaneseParts(t: string): ComparisonPart[] | undefined {
  {
    const again = japaneseAgain(t);
    if (again) return again;
    // 「ワンピースのほうがナルトより長い？」「Aのほうが長い？Bより？」「BよりAのほうが古い？」: two names around より.
    const than = jaThan(t);
    if (than) return than;
    // 「ワンピースもナルトも完結してる？」: both asked about at once.
    const both = JA_BOTH.exec(t);
    if (both) {
      const clean = (s: string) => s.replace(/^[「『]|[」』]$/g, '').trim();
      const parts = [both[1], both[2]].map(clean).filter((p) => p.length > 0 && !followUpOnly(p));
      if (parts.length === 2) return [{ text: parts[0], joiner: '、' }, { text: parts[1], joiner: '' }];
    }
    // 「鬼滅の刃と呪術廻戦は完結してますか？」: a fact asked of each title named (not a search for a kind of manga).
    if (!JA_CUE.test(t) && !/\bvs\b/i.test(t)) {
      if (!JA_FACT.test(t) || JA_SEARCH.test(t)) return undefined;
      const head = t.replace(JA_FACT_TAIL, '').replace(/^.*?(?:けど|けれど|ですが|んですが|なんだけど)[、,]\s*/, '');
      return cut(head, JA_SEPARATOR, (s) => s.replace(/^[「『]|[」』]$/g, '').replace(JA_PARTICLE_END, '').trim());
    }
    // 「ワンピース派？ナルト派？」
    const sides = JA_SIDES.exec(t);
    if (sides) return [{ text: sides[1].trim(), joiner: '、' }, { text: sides[2].trim(), joiner: '' }];
    let head = t.replace(JA_TAIL, '').replace(/^[「『]|[」』]$/g, '');
    // "AとB、どっちが…": the names are what comes before the cue; a leading clause ("迷ってるんだけど、") is dropped.
    head = head.replace(/^.*?(?:けど|けれど|ですが|んですが|なんだけど)[、,]\s*/, '');
    return cut(head, /迷|悩/.test(t) ? JA_SEPARATOR_CHOICE : JA_SEPARATOR, (s) => s.replace(/^[「『]|[」』]$/g, '').replace(JA_PARTICLE_END, '').trim());
  }
}

/** A comparison written in English: the sentence that holds the names, its lead and tail words removed. */
function englishParts(t: string, proper: ReadonlySet<string>): ComparisonPart[] | undefined {
  // "not Naruto or Bleach" rules titles out, it does not weigh them: exclusions are no choice.
  // "compare Naruto to Bleach", "compare naruto with bleach": the names either side of to/with.
  const lower = t
    .toLowerCase()
    .replace(EN_RULED_OUT, ' ')
    .replace(EN_OR_BOUND, ' ')
    .replace(/\bcompare\s+(.+?)\s+(?:to|with|against)\s+/, 'compare $1 vs ');
  // The sentence that holds the names ("I like historical stuff. Vinland Saga or Vagabond?").
  const either = (s: string) => EN_EITHER.test(` ${s} `) || EN_THAN.test(s);
  const all = sentences(lower);
  // "Chainsaw Man, Jujutsu Kaisen and Demon Slayer - which is the newest?": the names, then the question about them.
  const asksNext = (i: number) => i + 1 < all.length && EN_ASKS_ABOUT_THEM.test(all[i + 1]);
  // "Are Naruto and Bleach finished?", "how many volumes do Naruto and Bleach have?": a fact asked of each.
  const factOfEach = (s: string) => EN_FACT.test(s) && !EN_SEARCH.test(s);
  // "Is Naruto finished? And Bleach?": the fact asked of one title, then of another in a sentence of its own.
  const again = englishAgain(all, factOfEach, proper);
  if (again) return again;
  const candidates = all.filter((s, i) => either(s) || ((EN_CUE.test(s) || asksNext(i) || factOfEach(s)) && EN_SEPARATOR.test(s)));
  const sentence = candidates.find(either) ?? candidates[0];
  if (!sentence) return undefined;
  return cut(namesOf(sentence), EN_SEPARATOR, (s) => s.replace(/^(?:the|a|an)\s+/, '').replace(/\s+(?:manga|series)$/, '').trim(), proper);
}

/** An English sentence without the words around its names (its lead and tail). */
function namesOf(sentence: string): string {
  let head = sentence;
  for (let changed = true; changed; ) {
    changed = false;
    for (const re of EN_LEAD) {
      const next = head.replace(re, '');
      if (next !== head) {
        head = next;
        changed = true;
      }
    }
  }
  for (let prev = ''; prev !== head; ) {
    prev = head;
    head = head.replace(EN_TAIL, '').trim();
  }
  return head;
}

// A sentence that only names another title for the question before: "And Bleach?", "what about Pluto?", "how about Slam Dunk too?".
const EN_AGAIN = /^(?:(?:and\s+|so\s+)?(?:what about|how about)|and|also|plus|&)\s+(?!(?:how|what|which|when|where|who|why|can|could|do|does|did|is|are|was|will|would|should|the price|price|stock|shipping|volume|vol)\b)(.+?)(?:\s+(?:too|as well|then))?[\s?!.]*$/;

/** "Is Naruto finished? And Bleach?": the title of the fact question, then the one asked about again. */
function englishAgain(all: string[], factOfEach: (s: string) => boolean, proper: ReadonlySet<string>): ComparisonPart[] | undefined {
  const first = all.findIndex(factOfEach);
  if (first < 0 || first + 1 >= all.length) return undefined;
  const later = all.slice(first + 1).map((s) => EN_AGAIN.exec(s)?.[1]).filter((x): x is string => x !== undefined);
  if (later.length === 0) return undefined;
  const clean = (s: string) => s.replace(/^(?:the|a|an)\s+/, '').replace(/\s+(?:manga|series)$/, '').trim();
  const names = [clean(namesOf(all[first])), ...later.map(clean)];
  if (names.some((n) => n.length === 0 || followUpOnly(n, proper) || n.split(/\s+/).length > MAX_PART_WORDS)) return undefined;
  return names.map((text, i) => ({ text, joiner: i + 1 < names.length ? ' and ' : '' }));
}

// 「ナルトって完結してる？ブリーチは？」「…完結していますか。呪術廻戦はどうですか。」: the fact asked again of another title.
// Words of a fact asked, with nothing else: 「連載状況」「巻数」「作者名」「発売日」 (no title).
const JA_FACT_ONLY = /^(?:連載|完結|巻数|何巻|作者|著者|作家|漫画家|名前?|状況|状態|開始|時期|年|ジャンル|評価|人気|値段|価格|在庫|発売|日|あらすじ|対象|長さ|の|と)+$/;
const JA_AGAIN = /^(.{1,30}?)(?:は|って|も|の方は|のほうは)(?:どう(?:です|でしょう|なの|なん)?(?:か)?)?$/;

/** The title of a Japanese fact question, then the one asked about again in a sentence of its own. */
function japaneseAgain(t: string): ComparisonPart[] | undefined {
  const all = t.split(/(?<=[？?。！!])/).map((x) => x.replace(/[？?。！!\s]+$/g, '').trim()).filter(Boolean);
  if (all.length < 2 || !JA_FACT.test(all[0]) || JA_SEARCH.test(all[0])) return undefined;
  const clean = (s: string) => s.replace(/^[「『]|[」』]$/g, '').replace(JA_PARTICLE_END, '').trim();
  const first = clean(all[0].replace(JA_FACT_TAIL, '').replace(/^.*?(?:けど|けれど|ですが|んですが|なんだけど)[、,]\s*/, ''));
  // 「…青年？連載状況も」: a sentence naming only another fact to tell ("the status too") names no title.
  const later = all.slice(1).map((x) => JA_AGAIN.exec(x)?.[1]).filter((x): x is string => x !== undefined && !JA_FACT_ONLY.test(x)).map(clean);
  if (later.length === 0 || first.length === 0) return undefined;
  const names = [first, ...later];
  if (names.some((n) => n.length === 0 || followUpOnly(n) || JA_SEARCH.test(n))) return undefined;
  return names.map((text, i) => ({ text, joiner: i + 1 < names.length ? '、' : '' }));
}

// Phrases that rule titles out, removed before looking for a choice between titles.
// "No" rules out only where a clause starts ("no horror or gore", "but no X"): in "Shingeki no
// Kyojin vs Kimetsu no Yaiba" it is the romaji particle, between two words of a title.
const EN_RULED_OUT =
  /\b(?:not|except|other than|besides|apart from|excluding|without|nothing like)\s+[^,.;!?]*|(?:^|(?<=[,;:.!?(]\s*)|(?<=\b(?:but|and|with|please|pls|just|so|ok|okay|though|tho|also|plus)\s+))no\s+[^,.;!?]*/g;
// A bound on a number ("10 volumes or fewer", "¥3000 or less", "5 or so") is no choice between titles.
const EN_OR_BOUND = /\bor (?:fewer|less|lower|more|higher|so|under|over|above|below|shorter|longer|cheaper|thereabouts)\b/g;
/** A title is a few words; a longer part is a sentence ("i want an action manga"), so no comparison. */
const MAX_PART_WORDS = 6;

/**
 * The words (lower case) a message capitalises where a sentence does not start: names, however
 * everyday the word ("Another", "Erased", "Monster"). Not "I", nor a message written all in capitals.
 * A sentence's first word counts only beside such a name: the customer capitalises titles.
 */
function capitalizedWords(t: string): Set<string> {
  const out = new Set<string>();
  if (!/[a-z]/.test(t)) return out;
  for (const m of t.matchAll(/(?<![.!?:;"“(]\s*|^\s*)\b([A-Z][a-z'’]+|[A-Z]{2,}[a-z]*)\b/g)) if (m[1] !== 'I') out.add(m[1].toLowerCase());
  // A sentence's first word too, when the message capitalises names elsewhere ("Another vs Soul Eater").
  if (out.size > 0) for (const m of t.matchAll(/(?:^|[.!?]\s+)([A-Z][a-z'’]+)\b/g)) out.add(m[1].toLowerCase());
  return out;
}

/** A part that names no title: follow-up words only, or (English) everyday words too. Japanese titles may be everyday kana (ちびまる子ちゃん). */
function followUpOnly(part: string, proper?: ReadonlySet<string>): boolean {
  // An everyday word the customer capitalised mid-sentence is a name ("compare Erased and Another").
  if (proper && proper.size > 0 && part.split(/\s+/).every((w) => proper.has(w))) return false;
  const kind = leftoverOf(part).kind;
  return kind === 'none' || (kind === 'common' && !/[\u3040-\u30ff\u3400-\u9fff]/.test(part)) || kindsOnly(part);
}

// "I like action and romance - which would you recommend?" weighs kinds of manga, not titles.
const KIND_FILLER = /^(?:i|i'm|im|like|love|want|prefer|enjoy|into|really|some|something|stuff|manga|comics?|series|books?|ones?|more|mostly|and|or|a|an|the|bit|of|genre|genres|kind|type)$/;

/** True when every word of an English part is a genre, theme or demographic word, or a filler beside one. */
function kindsOnly(part: string): boolean {
  if (/[\u3040-\u30ff\u3400-\u9fff]/.test(part)) return false;
  const words = part.toLowerCase().split(/\s+/).filter(Boolean);
  const isKind = (w: string) => Object.hasOwn(EN_LEXICON, w) || (w.endsWith('s') && Object.hasOwn(EN_LEXICON, w.slice(0, -1)));
  return words.some(isKind) && words.every((w) => isKind(w) || KIND_FILLER.test(w));
}

function cut(head: string, separator: RegExp, clean: (s: string) => string, proper?: ReadonlySet<string>): ComparisonPart[] | undefined {
  const global = new RegExp(separator.source, separator.flags.includes('g') ? separator.flags : `${separator.flags}g`);
  const parts: ComparisonPart[] = [];
  let last = 0;
  for (const m of head.matchAll(global)) {
    if (m.index === undefined || m[0].length === 0) continue;
    parts.push({ text: head.slice(last, m.index), joiner: m[0] });
    last = m.index + m[0].length;
  }
  parts.push({ text: head.slice(last), joiner: '' });
  // A part made only of follow-up or everyday words names no title ("what's better", "still
  // going"): left out, so "is it finished or still going?" weighs no series at all.
  const named = parts.map((p) => ({ ...p, text: clean(p.text) })).filter((p) => p.text.length > 0 && !followUpOnly(p.text, proper));
  if (named.some((p) => p.text.split(/\s+/).length > MAX_PART_WORDS)) return undefined;
  return named.length >= 2 ? named : undefined;
}

const ASPECTS: [ComparisonAspect, RegExp][] = [
  ['volumes', /\b(?:longer|shorter|longest|shortest|how many volumes|more volumes|fewer volumes|length|how long)\b|長い|短い|何巻|巻数|長さ/],
  ['rating', /\b(?:better|best|recommend|should i|good|worth|rated|rating|score)\b|面白|おもしろ|おすすめ|オススメ|いい|良い|評価/],
  ['popularity', /\b(?:popular|famous|well[- ]known)\b|人気|有名/],
  ['status', /\b(?:finished|complete|completed|ongoing|ended|over|done|concluded|still (?:going|running|ongoing|publishing|coming out|out)|on hiatus|hiatus)\b|完結|連載|終わ|続いて|休載/],
  ['price', /\b(?:cheaper|cheapest|price|cost|expensive)\b|安い|値段|価格|高い/],
  // The next volume of each: "when's the next volume of each?", 「それぞれの次の巻はいつ？」.
  ['next', /\bnext (?:volumes?|vols?|books?|ones?|releases?)\b|\bupcoming (?:volumes?|releases?)\b|\bwhen(?:'s| is| are| will| does)? (?:the )?next\b|次の?巻|次巻|続刊|発売予定|次(?:は|って)いつ/],
  // Whether one author wrote them: "same author?", 「同じ作者？」, "who wrote each".
  ['author', /\bsame (?:author|mangaka|artist|writer|creator|person|guy)\b|\bby the .{1,40}? (?:guy|person|author|mangaka|creator|artist)\b|\bwho (?:wrote|drew|made)\b|\bauthors?\b|\bmangaka\b|同じ(?:作者|作家|漫画家|人|先生)|作者|作家|漫画家|描いた|書いた/],
  // Which is older, came out first, started earlier: the years they began.
  [
    'started',
    /\b(?:older|oldest|newer|newest|earlier|earliest|later|how old|what year|which year|started|began|begun|start(?:ed)? (?:first|earlier|later)|when did [^?.!]{0,40}\b(?:start|begin|come out)|(?:start|starting) (?:date|year)s?|came out|come out|debut(?:ed)?|run(?:ning)? since)\b|\bfirst\b(?!\s+(?:vol|volume|book|one|issue|chapter|edition|box))|先に|長く続|(?:どっち|どちら|どれ)が先|が先(?:です|でしょう|かな|なの|？|\?|$)|後に|あとに|古い|新しい|始ま|開始|何年|いつから|いつ頃|いつごろ|昔/,
  ],
];

/** What the comparison asks about ("which one is longer?" → volumes); empty for a general comparison. */
export function comparisonAspects(text: string): ComparisonAspect[] {
  const t = text.normalize('NFKC').toLowerCase();
  return ASPECTS.filter(([, re]) => re.test(t)).map(([a]) => a);
}
