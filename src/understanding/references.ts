// Resolves what a message points at in the conversation: "the second one" / "2つ目" (a position
// in the latest list shown), "it" / "それ" (the series just shown), "それの3巻" (that series plus a
// volume), and a bare "3巻は？" right after a turn about one series.
// Hand-written rules over TurnContext.seriesIds: the assistant records what it showed, so the
// referent is known exactly and no coreference model is needed.

import { extractOrdinal, extractVolume } from './entities.ts';
import type { Language, ReferenceResolver, ResolvedReference, TurnContext } from './types.ts';

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

// What may surround a bare volume ("what about vol 3?", "3巻はありますか") without naming
// another series. Anything left after removing these is taken to be a title, so no reference.
const EN_FILLER = new Set(
  ('what about how and is are there any the a an of for vol volume volumes book number do you have has it ' +
    'in stock price much cost costs out yet available release released date when next next one please pls plz ' +
    'also too then ok okay so buy get want i can could would like to preorder pre order still left copies ' +
    'japanese english edition digital')
    .split(' '),
);
const JA_FILLER =
  /第|巻|目|は|も|って|の|を|が|ある|あります|ありますか|ない|在庫|値段|価格|いくら|おいくら|発売日|発売|いつ|出る|出ます|予約|できる|できます|買える|買えます|ですか|ます|か|ください|下さい|教えて|欲しい|ほしい|じゃあ|では|なら|次|最新|まだ|もう|どう|です|[?？!！。、,.\s]/g;

function latestAssistantWithSeries(history: TurnContext[]): TurnContext | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i];
    if (turn.role === 'assistant' && turn.seriesIds && turn.seriesIds.length > 0) return turn;
  }
  return undefined;
}

function latestWithSeries(history: TurnContext[]): TurnContext | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const ids = history[i].seriesIds;
    if (ids && ids.length > 0) return history[i];
  }
  return undefined;
}

// True when the message is only a volume plus filler ("3巻は？", "and vol 4?").
function namesOnlyAVolume(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  if (/[\u3040-\u30ff\u3400-\u9fff]/.test(t)) {
    const rest = t.replace(/[0-9〇一二三四五六七八九十百]+/g, '').replace(JA_FILLER, '');
    return rest.length === 0;
  }
  const words = t.split(/[^a-z0-9']+/).filter((w) => w && !/^\d+$/.test(w));
  return words.every((w) => EN_FILLER.has(w));
}

/** Creates the rule-based reference resolver over the conversation's recorded series ids. */
export function createReferenceResolver(): ReferenceResolver {
  return {
    resolve(text: string, language: Language, history: TurnContext[]): ResolvedReference {
      const t = text.normalize('NFKC').toLowerCase();
      const volume = extractVolume(t);
      const withVolume = (r: ResolvedReference): ResolvedReference => (volume === undefined ? r : { ...r, volume });

      const shown = latestAssistantWithSeries(history);
      const ordinal = extractOrdinal(t);
      if (shown?.seriesIds && ordinal !== undefined) {
        // An ordinal past the end of the list points at nothing; better no answer than a wrong one.
        const id = shown.seriesIds[ordinal - 1];
        return id ? withVolume({ seriesId: id, via: 'ordinal' }) : {};
      }
      // Both pronoun sets apply whatever `language` says: short mixed lines ("それ vol 3?") are common.
      void language;
      const pronoun = EN_PRONOUN.test(t.replace(EN_DUMMY_IT, ' ')) || JA_PRONOUN.test(t);
      if (shown?.seriesIds && pronoun) return withVolume({ seriesId: shown.seriesIds[0], via: 'pronoun' });

      if (volume !== undefined && namesOnlyAVolume(t)) {
        const about = latestWithSeries(history);
        // With several series on screen a bare "vol 3?" is ambiguous; only one series is safe.
        if (about?.seriesIds && about.seriesIds.length === 1) {
          return { seriesId: about.seriesIds[0], volume, via: 'last-shown' };
        }
      }
      return {};
    },
  };
}
