// Resolves what a message points at in the conversation: "the second one" / "2つ目" (a position
// in the latest list shown), "it" / "それ" (the series just shown), "それの3巻" (that series plus a
// volume), and follow-ups that name no title at all — "how much is volume 1?", 「在庫ありますか？」,
// "when does the next volume come out?", "who is the author?", "anything else by the same
// author?" — which are about the series the conversation is on, with the volume it was on ("is it
// in stock?" after volume 10 is about volume 10). "Which one is longer?" after a comparison is
// about the series compared; "only finished ones please" after a recommendation narrows it.
// Hand-written rules over what the assistant recorded per turn (TurnContext.seriesIds/about): the
// referent is known exactly, so no coreference model is needed.

import { extractEntities, extractOrdinal, extractVolume, extractVolumes } from './entities.ts';
import { asksPreviousVolume, asksSameAuthor, asksShort, extractAudience, extractFormat, extractMaxVolumes, extractStatus, extractVolumeRef } from './constraints.ts';
import { comparisonParts } from './comparison.ts';
import type { Intent, Language, ReferenceResolver, ResolvedReference, TurnAbout, TurnContext } from './types.ts';

// Deictic words. Bare "that"/"this" are left out in English because they are mostly
// conjunctions or determiners of something named ("I heard that Frieren ...").
const EN_PRONOUN =
  /\b(?:it|its|it's|that one|this one|those|them|that series|this series|that manga|this manga|that title|this title|that book|this book|of that|of this|the same one|same series)\b/;
// Idioms where "it" points at nothing ("is it possible to return", "it's been a week", "forget it");
// removed before looking for pronouns.
const EN_DUMMY_IT =
  /\b(?:is it possible|it's (?:ok|okay|fine|alright|all right|been|possible)|it is (?:ok|okay|fine|possible)|it has been|it was supposed|forget it|never ?mind|it seems|it says|it said|it shows|make it)\b/g;
// それ but not それぞれ/それとも/それで/それに/それから/それなら (conjunctions); これ but not これから/これまで.
const JA_PRONOUN =
  /それ(?!ぞれ|とも|で|に|から|なら|じゃ)|これ(?!から|まで)|あれ(?!から|ほど)|その(?:漫画|マンガ|まんが|作品|シリーズ|本|タイトル|やつ|巻|\d)|この(?:漫画|マンガ|まんが|作品|シリーズ|本|タイトル|やつ)|そっち|こっち|あっち|そちら|同じ作品/;

// Words of an English follow-up that ask something about the series in play (any one of them
// makes a title-free message a follow-up) ...
const EN_CUES = new Set(
  ('price prices priced cost costs much cheap cheaper expensive stock stocked available availability left copies sold restock restocked back preorder pre-order reserve buy ' +
    'release released releases releasing date dates when out come comes coming due published publish before previous ' +
    'vol vols volume volumes book books tankobon digital ebook e-book kindle edition editions version versions kanzenban box set sets print paperback physical ' +
    'author authors wrote write writer written drew draws drawn artist mangaka illustrator creator created made makes who ' +
    'finished finish complete completed ongoing running over ended end done concluded hiatus status ' +
    'many long longer longest shorter shortest short length number total all whole entire every set full ' +
    'next after last latest newest final first second third fourth fifth sixth 1st 2nd 3rd 4th 5th 6th ' +
    'about tell details detail synopsis story plot summary genre genres rating rated score reviews review like similar ' +
    'better best popular which compare difference differ')
    .split(' '),
);
// ... and words that may surround them without naming a title. Anything else left in the message
// is taken to be a title (or another subject), so the message is not a title-free follow-up.
const EN_FILLER = new Set(
  ('what whats what\'s how and or is are was were there any the a an of for do does did you your have has had it its it\'s that this ' +
    'one ones those them in on please pls plz also too then ok okay so i i\'m im can could would should like to want wanna still yet ' +
    'japanese english me my tell show give let know by same else anything something series manga title titles again hmm oh and but ' +
    'be will going gonna right now currently already just get got much more any there\'s there is if we will from with than the up its ' +
    'option pick result item suggestion recommendation ' +
    // Corrections and hesitations around a follow-up ("ignore that, I meant volume 3").
    'ignore meant mean sorry actually oops wait no instead rather never mind hmm um uh')
    .split(' '),
);

// Japanese follow-up phrases (cues), longest first when removed; what is left after them and the
// particles must be empty for the message to name no title.
const JA_CUES = [
  '在庫', 'いくら', 'おいくら', '値段', '価格', '税込', '発売日', '発売', 'いつ', '出る', '出ます', '出ますか', '出た', '出てる', '出てます', '入荷', '再入荷', '予約',
  '買える', '買えます', '購入', '最新刊', '最新巻', '最新の巻', '最終巻', '最後の巻', '次の巻', '次巻', '続巻', '続刊', '新刊', '巻', '冊',
  '電子版', '電子書籍', '電子', 'デジタル', '完全版', '単行本', '紙', 'ボックス', 'セット', '作者', '著者', '作家', '漫画家', '誰', '描いた', '書いた', '描いてる',
  '完結', '連載中', '連載', '何巻', '全何巻', '全部で', '何冊', '長い', '短い', '長さ', 'あらすじ', 'どんな話', 'どういう話', '内容', 'ジャンル', '評価', 'レビュー',
  '詳しく', '教えて', '番目', 'つ目', '同じ作者', '他の作品', 'ほかの作品', 'どっち', 'どちら', '両方', 'それぞれ', '人気', '面白い', 'おもしろい', 'おすすめ',
  '安い', '高い', 'お得', '評価', '次', '前', '全巻', '全部', 'まとめて', '合計', '一式',
];
const JA_FILLER = [
  'ありますか', 'あります', 'ある', 'ない', 'ですか', 'ます', 'です', 'ください', '下さい', 'ほしい', '欲しい', 'じゃあ', 'では', 'なら', 'まだ', 'もう', 'どう',
  'してる', 'してます', 'している', 'しました', 'して', 'します', 'した', 'する', 'できる', 'できます', 'って', 'について', 'の方', 'ほう', 'やつ', 'もの', 'こと', 'シリーズ',
  '漫画', 'マンガ', 'まんが', '作品', 'これ', 'それ', 'あれ', 'この', 'その', 'あの', '最初', '最後', '一番', 'まで', 'あと',
  'さん', '様', '先生', 'さっき', '先ほど', '無視', '間違え', '間違い', 'すみません', 'すいません', 'ごめん', '訂正', 'でした', 'だった', 'やっぱり', 'じゃなくて', 'ではなく', 'の', '第', '目', 'め', '全', '今', '何', 'ね', 'よ', 'か', 'な',
];
const JA_PARTICLES = /[はがをにでとものもへやかねよなっ]|[?？!！。、,.\s・…〜~ー]/g;
const byLength = (a: string, b: string) => b.length - a.length;
const JA_CUE_RE = new RegExp([...JA_CUES].sort(byLength).join('|'), 'g');
const JA_FILLER_RE = new RegExp([...JA_FILLER].sort(byLength).join('|'), 'g');
const JA_CUE_TEST = new RegExp(JA_CUE_RE.source);
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;
const NUMBER = /[0-9〇一二三四五六七八九十百]+/g;

/**
 * Whether a message names no title of its own (`titleFree`) and asks something about a series
 * (`cue`): "how much is volume 1?", 「在庫ありますか？」, "who is the author?".
 */
export function followUpShape(text: string): { titleFree: boolean; cue: boolean; rest: string } {
  const t = text.normalize('NFKC').toLowerCase();
  if (JAPANESE.test(t)) {
    const cue = JA_CUE_TEST.test(t) || extractVolume(t) !== undefined;
    // English words mixed in ("じゃあ digital は？") are checked word by word like English.
    const rest = t.replace(JA_CUE_RE, ' ').replace(JA_FILLER_RE, ' ').replace(NUMBER, ' ').replace(JA_PARTICLES, '');
    const words = rest.split(/[^a-z0-9'-]+/).filter(Boolean);
    const latinOnly = rest.replace(/[a-z0-9'\-\s]/g, '') === '';
    const other = words.filter((w) => !EN_CUES.has(w) && !EN_FILLER.has(w));
    return { titleFree: latinOnly && other.length === 0, cue, rest: [rest.replace(/[a-z0-9'\-\s]+/g, ''), ...other].join(' ').trim() };
  }
  // "when's", "what’s": the word without its "'s".
  const words = t.replace(/['’]s\b/g, '').split(/[^a-z0-9'-]+/).filter((w) => w && !/^#?\d+$/.test(w) && !/^v\d+$/.test(w));
  const cue = words.some((w) => EN_CUES.has(w)) || /\d/.test(t);
  const other = words.filter((w) => !EN_CUES.has(w) && !EN_FILLER.has(w));
  return { titleFree: words.length > 0 && other.length === 0, cue, rest: other.join(' ') };
}

/** Normalised for "does the last answer mention it": lower case, no spaces or punctuation. */
const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');

// A store-policy question names a policy matter; a question about a series' books does not
// ("how many books are out?" is not about membership, 「電子書籍でもありますか」 not about refunds).
const POLICY_WORDS = /\b(?:preorder|pre-order|reserve|cancel|cancell?ation|return|returns|refund|ship|shipping|delivery|deliver|pay|payment|points?|coupon|account|member|membership|prime|gift|wrap|policy|fee|device|download|read it on)\b|予約|キャンセル|返品|返金|交換|配送|送料|発送|支払|決済|ポイント|クーポン|会員|アカウント|ギフト|ラッピング|端末|ダウンロード|読み方/;

// Another title asked the same short way: "and Bleach?", "what about Bleach?", 「BLEACHは？」「BLEACHの方は？」.
const EN_AND_X = /^(?:and|what about|how about|also)\s+[^?]{2,40}\?\s*$/;
const JA_X_WA = /^[^、。？?]{2,30}?(?:は|の方は|のほうは|って|も)\s*[?？]\s*$/;

const HOW_MANY = /\bhow many\b|何巻|全何巻|何冊/;

// Asking to buy ("can I get the first one?", 「1つ目ください」).
const BUY = /\b(?:get|buy|purchase|order|want|take)\b|ください|下さい|欲しい|ほしい|買い|購入/;

// An order question names an order, a parcel or a delivery; a volume question does not.
const ORDER_WORDS = /\b(?:order|orders|ordered|package|parcel|delivery|deliver|delivered|shipped|shipment|tracking|arrive|arrived)\b|注文|配送|届|発送|荷物/;

// "More like the second one", "something similar to that", 「それに似た漫画」.
const EN_LIKE_IT =
  /\b(?:more|something|anything|others?|stuff|ones?|manga|series) (?:like|similar to) (?:the|that|this|it|them|those)\b|\bsimilar (?:to )?(?:that|this|it|the)\b|\bin the same vein\b|\b(?:anything|something|more|others?|ones?|manga|series|titles?) similar\b|\bsimilar (?:ones|manga|series|titles|stuff|books)\b/;
const JA_LIKE_IT = /(?:に|と)似た|に似てる|みたいな(?:漫画|マンガ|作品|の|やつ)|のような(?:漫画|マンガ|作品)|っぽい(?:漫画|マンガ|作品|の)/;
// More of the same request: "show me more", "anything else?", "others?", 「他には？」「別のある？」.
const EN_MORE = /\b(?:more|others|other ones|anything else|something else|else|another|different ones|next (?:ones|few|page)|new ones)\b/;
const EN_MORE_ABOUT = /\bmore (?:about|details|detail|info|information|on)\b|\btell me more\b/;
const JA_MORE = /他に|ほかに|他の(?!作品)|ほかの(?!作品)|別の|もっと(?:見|教え|紹介|ある)|まだある|以外に/;
// A comparison asked again: "which one is longer?", "and the other?", 「どっちが長い？」.
const EN_WHICH = /\b(?:which(?: one)?|the other(?: one)?|both|each|either|compared?|vs|versus|difference)\b/;
const JA_WHICH = /どっち|どちら|両方|それぞれ|比べ|違い/;
// A request being narrowed rather than replaced: "only finished ones", "shorter please", 「もうちょっと短いのがいい」.
const EN_NARROWING = /\b(?:only|just|but|instead|rather|maybe|preferably|ideally|ones|any of them|of those|among them|what about|how about|something|anything)\b/;
const JA_NARROWING = /だけ|のみ|もっと|もう少し|もうちょっと|ちょっと|のがいい|のが良い|のがいいな|じゃあ|では|なら|ほうがいい|方がいい|にして|で(?:お願い|おねがい)/;
const EN_ASKS_RECOMMENDATION = /\b(?:recommend|recommendation|suggest|suggestion)s?\b/;
const JA_ASKS_RECOMMENDATION = /おすすめ|オススメ|お勧め|お薦め/;
// Words that ask for price or stock, for choosing between the two catalog intents.
const EN_PRICE_STOCK = /\b(?:price|prices|cost|costs|how much|stock|available|left|preorder|pre-order|buy|release|released|out|coming|come)\b/;
const JA_PRICE_STOCK = /在庫|いくら|値段|価格|発売|いつ|出る|出ます|予約|買え|入荷/;

// A question about when a volume comes out (the next release), not about the volume after one.
const RELEASE_TIMING = /\bwhen\b|\brelease|\bcom(?:e|es|ing) out\b|\bout yet\b|いつ|発売|出る|出ます|出ない/;

/** Intents the classifier gives a follow-up it cannot read without the conversation. */
const UNSURE: ReadonlySet<Intent> = new Set(['chitchat', 'out_of_scope']);
const CATALOG_OR_UNSURE: ReadonlySet<Intent> = new Set(['chitchat', 'out_of_scope', 'product_search', 'product_question', 'price_availability', 'recommendation']);

function latestAssistantWithSeries(history: TurnContext[]): TurnContext | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role === 'assistant' && ((turn.seriesIds && turn.seriesIds.length > 0) || turn.about?.compared)) return turn;
  }
  return undefined;
}

function latestAbout(history: TurnContext[], has: (a: TurnAbout) => boolean): TurnAbout | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role !== 'assistant') continue;
    if (turn.about && has(turn.about)) return turn.about;
    // Only the latest answer with series counts: an older request is not being narrowed.
    if (turn.seriesIds && turn.seriesIds.length > 0) return undefined;
  }
  return undefined;
}

/** The one series a turn was about: recorded, or the only series it showed. */
function focusOf(turn: TurnContext | undefined): string | undefined {
  if (!turn) return undefined;
  if (turn.about?.focus) return turn.about.focus;
  return turn.seriesIds && turn.seriesIds.length === 1 ? turn.seriesIds[0] : undefined;
}

/** Creates the rule-based reference resolver over the conversation's recorded series ids. */
export function createReferenceResolver(): ReferenceResolver {
  return {
    resolve(text: string, language: Language, history: TurnContext[], intent?: Intent): ResolvedReference {
      // Both languages' patterns apply whatever `language` says: short mixed lines ("それ vol 3?") are common.
      void language;
      const t = text.normalize('NFKC').toLowerCase();
      const shape = followUpShape(t);
      const volumes = extractVolumes(t);
      let volume = volumes?.[0] ?? extractVolume(t);
      const volumeRef = extractVolumeRef(t);
      const previous = asksPreviousVolume(t);
      const format = extractFormat(t);
      const priceOrStock = EN_PRICE_STOCK.test(t) || JA_PRICE_STOCK.test(t) || volume !== undefined || format !== undefined;
      // The classifier's intent, corrected only where the conversation settles it: small talk or
      // "out of scope" for a follow-up it could not read, a search for a question about the series
      // in play, a general question that asks a price ("how much is the last volume?").
      const catalogIntent = (target: Intent): Intent | undefined => {
        if (intent === undefined || UNSURE.has(intent) || intent === 'product_search') return target;
        // "And when is 77 coming?" right after volume 76 asks about a volume, not a parcel.
        if (intent === 'order_status' && volume !== undefined && !ORDER_WORDS.test(t)) return target;
        // A policy answer for a question about the series in play that names no policy matter.
        if (intent === 'faq' && shape.titleFree && !POLICY_WORDS.test(t)) return target;
        if (intent === 'product_question' && target === 'price_availability') return target;
        if (intent === 'recommendation' && target !== 'recommendation') return target;
        return undefined;
      };
      // How many volumes a series has is a question about the series; a volume's price, stock or date a price question.
      const asked = (): Intent => (HOW_MANY.test(t) ? 'product_question' : priceOrStock || volumeRef || volume !== undefined ? 'price_availability' : 'product_question');
      const extras = (r: ResolvedReference): ResolvedReference => {
        const out: ResolvedReference = { ...r };
        if (volume !== undefined) out.volume = volume;
        if (volumes) out.volumes = volumes;
        if (volumeRef) out.volumeRef = volumeRef;
        // "How much is the next one?" after volume 3 is volume 4; "when is the next volume?" asks
        // about the next release, whatever volume was asked before.
        if (volumeRef === 'next' && shown?.about?.volume !== undefined && out.seriesId === shown.about.focus && !RELEASE_TIMING.test(t)) out.previousVolume = shown.about.volume;
        if (format) out.format = format;
        return out;
      };

      const shown = latestAssistantWithSeries(history);
      const ordinal = extractOrdinal(t);
      // "More like the second one", "something similar to that": a recommendation seeded by it.
      const likeIt = EN_LIKE_IT.test(t) || JA_LIKE_IT.test(t);
      const recommendIt = (): Intent | undefined => (intent === undefined || CATALOG_OR_UNSURE.has(intent)) && intent !== 'recommendation' ? 'recommendation' : undefined;
      if (shown?.seriesIds && shown.seriesIds.length > 0 && ordinal !== undefined) {
        // An ordinal past the end of the list points at nothing; better no answer than a wrong one.
        // One series shown: "can I get the first one?", "and the 3rd?" is its volume, not a list position.
        if (shown.seriesIds.length === 1 && volume === undefined && !likeIt) volume = ordinal;
        const id = shown.seriesIds.length === 1 ? shown.seriesIds[0] : shown.seriesIds[ordinal - 1];
        if (!id) return {};
        const fixed = likeIt ? recommendIt() : catalogIntent(asked());
        return extras({ seriesId: id, via: 'ordinal', ...(shape.titleFree ? { titleFree: true } : {}), ...(fixed && fixed !== intent ? { intent: fixed } : {}) });
      }

      // "Which one is longer?" right after a comparison: about all the series compared.
      const compared = shown?.about?.compared;
      const which = EN_WHICH.test(t) || JA_WHICH.test(t);
      if (compared && compared.length > 1 && shape.titleFree && (which || shape.cue)) {
        // 「安いのはどっち？」 reads as a promotion question to a classifier that sees no conversation.
        const fixed = intent === undefined || UNSURE.has(intent) || intent === 'recommendation' || intent === 'product_search' || (intent === 'promotion' && which) ? 'product_question' : undefined;
        return { seriesIds: [...compared], seriesId: compared[0], comparing: true, titleFree: true, via: 'compared', ...(fixed && fixed !== intent ? { intent: fixed } : {}) };
      }

      const pronoun = EN_PRONOUN.test(t.replace(EN_DUMMY_IT, ' ')) || JA_PRONOUN.test(t);
      const focus = focusOf(shown);

      // "Only finished ones please" after a recommendation: the same request, narrowed.
      const wish = latestAbout(history, (a) => a.wish !== undefined)?.wish;
      // "Show me more", "anything else?", "I've read all of those": the same request without what was shown.
      if (wish && (EN_MORE.test(t) || JA_MORE.test(t)) && !EN_MORE_ABOUT.test(t) && !asksSameAuthor(t) && volume === undefined && (intent === undefined || CATALOG_OR_UNSURE.has(intent) || intent === 'out_of_scope')) {
        const seen = [...new Set([...wish.excludeSeriesIds, ...(shown?.seriesIds ?? [])])];
        return { narrows: { ...wish, excludeSeriesIds: seen }, via: 'more', ...(intent !== 'recommendation' ? { intent: 'recommendation' as const } : {}) };
      }
      if (wish && !pronoun && (intent === undefined || CATALOG_OR_UNSURE.has(intent))) {
        const narrowsBy =
          extractStatus(t) !== undefined || extractMaxVolumes(t) !== undefined || asksShort(t) || extractAudience(t) !== undefined;
        // Narrowing words, or a bare constraint that asks for no new recommendation ("finished ones?").
        const refining = EN_NARROWING.test(t) || JA_NARROWING.test(t) || (narrowsBy && !(EN_ASKS_RECOMMENDATION.test(t) || JA_ASKS_RECOMMENDATION.test(t)));
        if ((narrowsBy || intent === 'recommendation') && refining && volume === undefined && !priceOrStock) {
          return { narrows: wish, via: 'narrowing', ...(intent !== 'recommendation' ? { intent: 'recommendation' as const } : {}) };
        }
      }

      // "Anything else by the same author?": recommendations seeded by the series in play.
      if (asksSameAuthor(t) && (focus ?? shown?.seriesIds?.[0])) {
        const fixed = intent === undefined || UNSURE.has(intent) || intent === 'product_search' || intent === 'product_question' ? 'recommendation' : undefined;
        return { seriesId: focus ?? shown!.seriesIds![0], via: 'same-author', titleFree: shape.titleFree, ...(fixed && fixed !== intent ? { intent: fixed } : {}) };
      }

      if (shown?.seriesIds && shown.seriesIds.length > 0 && (pronoun || shape.titleFree) && likeIt) {
        const fixed = recommendIt();
        return { seriesId: focus ?? shown.seriesIds[0], via: 'like-it', ...(fixed ? { intent: fixed } : {}) };
      }
      if (shown?.seriesIds && shown.seriesIds.length > 0 && pronoun) {
        const seriesId = focus ?? shown.seriesIds[0];
        if (volume === undefined && volumeRef === undefined && shown.about?.volume !== undefined && seriesId === shown.about.focus && priceOrStock) volume = shown.about.volume;
        const fixed = shape.titleFree ? catalogIntent(asked()) : undefined;
        return extras({
          seriesId,
          via: 'pronoun',
          ...(shape.titleFree ? { titleFree: true } : {}),
          ...(format === undefined && volume === shown.about?.volume && shown.about?.format ? { format: shown.about.format } : {}),
          ...(fixed && fixed !== intent ? { intent: fixed } : {}),
        });
      }

      // A message that names no title but asks about a series: the series the conversation is on.
      if (focus && shape.titleFree && (shape.cue || volume !== undefined)) {
        const about = shown?.about;
        // "The one before?" / 「その前の巻は？」: the volume before the one the conversation was on.
        if (volume === undefined && previous && about?.volume !== undefined && about.volume > 1) volume = about.volume - 1;
        // A bare number in a follow-up about volumes ("and when is 77 coming?") is a volume.
        if (volume === undefined && volumeRef === undefined) {
          const bare = /(?:^|[^\d])(\d{1,3})(?![\d%円歳才年月日時分])/.exec(t);
          if (bare && about?.volume !== undefined) volume = Number(bare[1]);
        }
        // "Is it in stock?" / 「在庫ありますか？」 / "the digital edition?" stay on the volume(s) asked.
        let carried: number[] | undefined;
        if (volume === undefined && volumeRef === undefined && about?.volume !== undefined && (priceOrStock || intent === 'price_availability')) {
          volume = about.volume;
          carried = about.volumes;
        }
        const fixed = catalogIntent(asked());
        return extras({
          seriesId: focus,
          via: 'follow-up',
          titleFree: true,
          ...(carried ? { volumes: carried } : {}),
          ...(format === undefined && about?.format && volume === about.volume ? { format: about.format } : {}),
          ...(fixed && fixed !== intent ? { intent: fixed } : {}),
        });
      }
      // A question about "the next volume" or "volume 1" with no series in play (or several, none
      // singled out): which series is meant is asked, rather than "first" searched as a title.
      if (shape.titleFree && shape.cue && !pronoun && (intent === undefined || CATALOG_OR_UNSURE.has(intent)) && intent !== 'recommendation') {
        const fixed = catalogIntent(asked());
        return { titleFree: true, via: 'no-referent', ...(fixed && fixed !== intent ? { intent: fixed } : {}) };
      }
      // A request shaped like a recommendation — a volume limit, an audience, or a status, length
      // or exclusion with a genre ("a finished romance manga under 10 volumes", "any romance not by
      // Ai Yazawa?") — is one, whatever a classifier that weighs "finished", "volumes" or an
      // author's name made of it.
      if (intent !== undefined && (UNSURE.has(intent) || intent === 'product_question' || intent === 'product_search') && volume === undefined && !pronoun) {
        // The raw text: the pipeline extracted this message's entities just before (kept, not redone).
        const e = extractEntities(text);
        const kind = e.genres.length + e.themes.length > 0 || e.demographic !== undefined;
        // An audience alone is not enough for a question about a series ("is Chainsaw Man ok for a 10-year-old?").
        const audience = e.audience !== undefined && intent !== 'product_question';
        const narrowed = e.status !== undefined || e.shorter || e.minVolumes !== undefined || (e.excludeQueries?.length ?? 0) > 0 || (e.excludeAuthorQueries?.length ?? 0) > 0;
        if (e.maxVolumes !== undefined || audience || (kind && narrowed)) return { via: 'request-shape', intent: 'recommendation' };
      }
      // "Naruto or Bleach?" read as small talk: a comparison is a question about those series.
      if (intent !== undefined && UNSURE.has(intent) && comparisonParts(text)) return { via: 'comparison', intent: 'product_question' };
      // "BORUTOは？", "and Bleach?", "what about Bleach?" in a conversation about a series: another
      // title, asked the same way — a search for it, not small talk.
      if (intent !== undefined && UNSURE.has(intent) && focus && !shape.titleFree && shape.rest.length >= 2 && (EN_AND_X.test(t) || JA_X_WA.test(t))) {
        return { via: 'another-title', intent: 'product_search' };
      }
      // A title just shown, asked about again ("じゃあハイキューの1巻ください" after a comparison):
      // not small talk, whatever the classifier made of it. The title search finds which one.
      if (intent !== undefined && UNSURE.has(intent) && shape.cue && shape.rest.length >= 2) {
        const lastAnswer = [...history].reverse().find((m) => m.role === 'assistant');
        if (lastAnswer && squash(lastAnswer.text).includes(squash(shape.rest))) return { via: 'shown-title', intent: asked() };
      }
      return {};
    },
  };
}
