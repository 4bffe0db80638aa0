/** The ten intents of the wire contract (protocol.md, "Understanding"). */
export const INTENTS = [
  'product_search',
  'product_question',
  'recommendation',
  'price_availability',
  'order_status',
  'faq',
  'promotion',
  'chitchat',
  'escalation',
  'out_of_scope',
] as const;

export type Intent = (typeof INTENTS)[number];

/** The reply is written in the customer's language: Japanese or English. */
export type Language = 'ja' | 'en';

/** What the classifier says about one message. */
export interface IntentResult {
  intent: Intent;
  /** Posterior probability of `intent`, 0..1. */
  confidence: number;
  language: Language;
}

/** Port: an in-process intent classifier (must answer in well under a millisecond). */
export interface IntentClassifier {
  classify(text: string, language?: Language): IntentResult;
  /** The catalog's titles and authors a message names, as they stand in its normalised text (lower case, digit runs as 0); none without a name finder. */
  names?(text: string): { text: string; kind: 'title' | 'author' }[];
}

/** One earlier turn, as the reference resolver sees it. */
export interface TurnContext {
  role: 'user' | 'assistant';
  text: string;
  /** Series ids the turn showed or talked about, in the order they were shown. */
  seriesIds?: string[];
  /** Product ids (volumes) the turn showed, in order. */
  productIds?: string[];
  /** Assistant turns: what the answer was about, beyond the series shown. */
  about?: TurnAbout;
}

/**
 * What one answer was about, recorded with the assistant turn so the next message can build on
 * it: "is it in stock?" after volume 10 is about volume 10, "which one is longer?" after a
 * comparison is about the series compared, "only finished ones" narrows the request answered.
 */
export interface TurnAbout {
  /** The one series the answer was about (a question about one title), when there was one. */
  focus?: string;
  /** The volume the answer was about. */
  volume?: number;
  /** The volumes, when it was about several ("volumes 2 and 3"). */
  volumes?: number[];
  /** The format asked about ("the digital edition"). */
  format?: ProductFormatWord;
  /** The series compared, in the order the customer named them. */
  compared?: string[];
  /** The series compared before, when this answer was about one of them ("the shorter one"): "the other one", "the longer one" still choose among them. */
  pickedFrom?: string[];
  /** The recommendation request this answer met. */
  wish?: RecommendationWish;
  /** The order the answer was about (an order answer), so 「追跡番号は？」 stays on it. */
  orderId?: string;
  /** Several orders the answer described together (those placed when the customer said, or not yet arrived): "how much did I spend in total?" sums them. */
  orderIds?: string[];
  /**
   * The language the customer asked to be answered in ("answer in Japanese from now on"),
   * recorded on every answer after the request so it holds for the turns that follow.
   */
  replyLanguage?: Language;
  /**
   * The 18+ series the answer withheld from a customer who may not see them (empty: an adult
   * request refused), so "why not?" or "I'm 25, trust me" next is answered about that refusal.
   */
  withheld?: string[];
  /**
   * The running promotions the answer was about (a promotion answer's, or those a policy answer
   * added), so "until when?" or "do I need a code?" next is about them.
   */
  promotions?: string[];
}

/** Product formats as customers name them ("digital", 完全版), in the catalog's terms. */
export type ProductFormatWord = 'tankobon' | 'digital' | 'kanzenban' | 'box_set';

/** Who the books are for, when the customer says so ("for a 10-year-old", 小学生の娘, "for adults"). */
export type Audience = 'child' | 'teen' | 'adult';

/** Everything a recommendation request asked for, in catalog terms (kept across turns to narrow it). */
export interface RecommendationWish {
  genres: string[];
  themes: string[];
  demographic?: string;
  /** Demographics ruled out ("not shoujo"). */
  excludeDemographics?: string[];
  /** The years the series began within ("from the 2010s", "something more recent"). */
  startedFrom?: number;
  startedTo?: number;
  /** At most this many volumes. */
  maxVolumes?: number;
  /** At least this many volumes ("a long series, at least 30 volumes"). */
  minVolumes?: number;
  /** Shorter than the series it is like ("like Berserk but shorter"), or short in general. */
  shorter?: boolean;
  /** Lighter in tone than what was shown ("something less dark", 「もっと明るいの」): no dark tags, the bright ones first. */
  lighter?: boolean;
  status?: 'finished' | 'publishing';
  audience?: Audience;
  /** Series the customer likes: recommendations resemble them and never include them. */
  seedSeriesIds: string[];
  /** Only series by the seeds' authors ("anything else by the same author?"). */
  sameAuthor?: boolean;
  /** Series the customer ruled out ("not Naruto", "already read X"). */
  excludeSeriesIds: string[];
  /** Authors ruled out ("not by Ai Yazawa"), as the catalog writes them. */
  excludeAuthors?: string[];
  /** Only these authors' works ("Rumiko Takahashi's finished series"), as the catalog writes them. */
  authors?: string[];
  /** Genres or themes ruled out ("nothing scary", "no horror"). */
  excludeTags: string[];
}

/** A choice among series compared, by a fact: the most (or least) volumes, rating, popularity, price (volume 1), finished, start date (most: the newest). */
export interface ComparativePick {
  by: 'volumes' | 'rating' | 'popularity' | 'price' | 'finished' | 'started';
  most: boolean;
}

/** What a message refers to in the conversation ("the second one", "それの3巻"). */
export interface ResolvedReference {
  /** Series the message points at, resolved from earlier turns. */
  seriesId?: string;
  /** Every series it points at, in order, when that is more than one ("which one is longer?" after a comparison). */
  seriesIds?: string[];
  /** A volume number the message names ("vol 3", "3巻"), or the one the conversation was about ("is it in stock?"). */
  volume?: number;
  /** Several volumes the message names ("and volumes 2 and 3?"). */
  volumes?: number[];
  /** A volume named by its place ("the next volume", "the last one"): resolved against the series' products. */
  volumeRef?: 'next' | 'last';
  /** The volume the conversation was on, which "the next volume" follows. */
  previousVolume?: number;
  /** A format named ("the digital edition", 完全版) or carried from the turn before. */
  format?: ProductFormatWord;
  /**
   * The message names no title of its own (only follow-up words: "how much is volume 1?",
   * 「在庫ありますか？」): the series it refers to wins over any title a search would match.
   */
  titleFree?: boolean;
  /** The message narrows the recommendation request answered last ("only finished ones please"). */
  narrows?: RecommendationWish;
  /** The series compared last, when the message asks about them again ("which one is longer?"). */
  comparing?: boolean;
  /** One of the series compared (`seriesIds`), picked by a fact: "the shorter one", 「安い方」. */
  pick?: ComparativePick;
  /** The series compared, when the message chose one of them (by a fact, by its place, or "the other one"). */
  chosenFrom?: string[];
  /** The order the conversation is on, for an order question that names none ("tracking number?"). */
  orderId?: string;
  /**
   * The intent the conversation gives the message when the classifier, which sees the message
   * alone, could not tell ("the second one" is not out of scope after a list).
   */
  intent?: Intent;
  /** How it was resolved, for debugging and tests: 'ordinal', 'pronoun', 'last-shown'... */
  via?: string;
}

/** Port: resolves references to earlier turns of the conversation. */
export interface ReferenceResolver {
  /** `intent` is the classifier's, which the conversation may correct (ResolvedReference.intent). */
  resolve(text: string, language: Language, history: TurnContext[], intent?: Intent): ResolvedReference;
}

/** Things named in a message that lookups need (both languages, canonical MyAnimeList names). */
export interface Entities {
  /** A volume number ("vol 3", "3巻"); the first of several when `volumes` is set. */
  volume?: number;
  /** Several volumes named at once ("volumes 2 and 3", 「1〜3巻」), in order. */
  volumes?: number[];
  /** An order number such as MA-20261104-0007. */
  orderId?: string;
  /** An ordinal reference ("the second one", "2つ目"). */
  ordinal?: number;
  genres: string[];
  themes: string[];
  demographic?: string;
  /** Demographics ruled out ("not shoujo", 「少女漫画以外」). */
  excludeDemographics?: string[];
  /** Started in this year or later ("from the 2010s" → 2010, "recent", 「2000年以降」). */
  startedFrom?: number;
  /** Started in this year or earlier ("from the 2010s" → 2019, "before 2000" → 1999, 「90年代」 → 1999). */
  startedTo?: number;
  /** A volume limit ("under 10 volumes" → 9, 「10巻以内」 → 10, "3 volumes or less" → 3). */
  maxVolumes?: number;
  /** A lower limit ("at least 30 volumes", "more than 20 volumes", 「30巻以上」, "a long series" → 20). */
  minVolumes?: number;
  /** "short", "shorter", 短め, もっと短い: shorter than the series liked, or short. */
  shorter?: boolean;
  /** "lighter", "less dark", "funnier", 明るい, 軽め, ほのぼの: lighter in tone. */
  lighter?: boolean;
  /** Its genre or theme words are added to the kind asked before, not put in its place ("with some romance too", 「恋愛要素あるのがいい」). */
  addsTags?: boolean;
  /** "finished", 完結済み → finished; "ongoing", 連載中 → publishing. */
  status?: 'finished' | 'publishing';
  /** Who the books are for ("for a 10-year-old", 小学生の娘 → child; 中学生 → teen; "for adults" → adult). */
  audience?: Audience;
  /** The title the customer wants something like ("like Berserk", 「呪術廻戦みたいな」), as written. */
  likeQuery?: string;
  /** Titles ruled out, as written ("not Naruto", 「ワンピース以外」, "I've already read Monster"). */
  excludeQueries?: string[];
  /** Authors ruled out, as written ("not by Ai Yazawa", 「矢沢あい以外の作家で」). */
  excludeAuthorQueries?: string[];
  /** Genres or themes ruled out ("nothing scary", "no horror", ホラー以外). */
  excludeTags?: string[];
  /**
   * Words ruled out that the catalog's tags cannot say, because their tag is asked for by another
   * word: "sports manga but no basketball or volleyball" asks for Sports and rules out these topics.
   */
  excludeTopics?: string[];
  /** "by the same author", 同じ作者の. */
  sameAuthor?: boolean;
  /** A volume named by its place: "the next volume", 次の巻, 新刊 → next; "the last volume", 最終巻, 最新刊 → last. */
  volumeRef?: 'next' | 'last';
  /** Every volume at once: "how much for all of them?", 「全巻でいくら？」. */
  wholeSeries?: boolean;
  /** A format named: "digital", 電子版 → digital; "kanzenban", 完全版 → kanzenban; "box set" → box_set. */
  format?: ProductFormatWord;
}
