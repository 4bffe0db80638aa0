// "Has it ended?", "still going?", 「もう終わった？」, 「続いてる？」: a whole message that asks
// whether the series in play is finished. Read alone it looks like small talk, a recommendation
// wish (「連載中」) or a parcel question ("has it ended?"); in a conversation about a series it asks
// that series' status, which the catalog answers.
// Hand-written: one grammar per language (optional subject, optional もう/まだ/already/still, a
// status word, its inflection), not a list of sentences.

const EN_STATUS =
  /^(?:(?:so|and|but|ok|okay|hmm+|wait|also|oh)\W+)*(?:(?:is|has|did|was|does) (?:it|the series|the manga|the story|this|that|this one|that one|this series|that series) )?(?:already |still |yet |even |finally |actually )?(?:finished|complete[d]?|over|ended|done|concluded|ongoing|on-?going|end|going(?: on)?|running|continuing|publishing|coming out|being published|(?:come|came) to an end|on hiatus|(?:still )?(?:going|running|ongoing)(?: on)?)(?: (?:yet|already|now|or (?:is it |it's |its )?(?:still )?(?:ongoing|on-?going|going(?: on)?|running|not|coming out|being published|publishing|continuing|finished|complete[d]?|over|ended|done)|or what))?\W*$/;
const JA_STATUS =
  /^(?:それ|これ|あれ|この(?:作品|漫画|マンガ|まんが|シリーズ)|その(?:作品|漫画|マンガ|まんが|シリーズ))?(?:って|は|、)?(?:もう|まだ|今も|いまも|現在)?(?:連載|お話|話|物語|ストーリー)?(?:は|って|も)?(?:もう|まだ|今も|いまも)?(?:完結|終わ|おわ|終了|続い|つづい|続く|つづく|連載中|連載し|休載)[ぁ-ん済中]*[？?。!！]*$/;

/** True when the whole message asks whether the series in play is finished ("has it ended?", 「もう終わった？」). */
export function asksSeriesStatus(text: string): boolean {
  return askedWithRemarks(text, statusAlone);
}

// "Is it finished? I heard it's on a break", 「まだ続いてますか？アニメ見てハマりました」: the question
// with a remark of the customer's beside it (no question of its own) is still that question.
const SENTENCE_END = /(?<=[?？!！。])\s*|\n+/;
const ASKS_MORE = /[?？]|^(?:how|what|what's|when|where|which|who|why|can|could|do|does|did|is|are|will|would|any)\b|(?:ますか|ですか|でしょうか|ありますか|いくら|いつ|どこ|何|教えて|ください)[。！!]?$/;

function askedWithRemarks(text: string, alone: (sentence: string) => boolean): boolean {
  if (alone(text)) return true;
  const sentences = text.split(SENTENCE_END).map((x) => x.trim()).filter(Boolean);
  if (sentences.length < 2) return false;
  const at = sentences.findIndex(alone);
  if (at < 0) return false;
  return sentences.every((x, i) => i === at || !ASKS_MORE.test(x.normalize('NFKC').toLowerCase()));
}

function statusAlone(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase().trim();
  // A bare "done" or 「終わりです」 ends the conversation; the question needs a question's shape.
  if (EN_STATUS.test(t)) return /\?|\b(?:is|has|did|was|does|yet|already|still)\b/.test(t);
  return JA_STATUS.test(t) && !JA_CLOSING.test(t);
}

// 「終わりです」, 「以上で終わります」: the customer is finishing, not asking.
const JA_CLOSING = /終わり(?:です|ます|にし|で(?:す|いい))|おわり(?:です|ます)/;

// "How do I track a parcel?", 「追跡番号ってどこで見られますか？」, "how long does delivery take?":
// how the store's tracking or delivery works, which its policy pages answer, not one order of
// the customer's (that needs them signed in). A question about one's own order says so ("my",
// "I ordered", an order number).
const EN_HOW = /\bhow (?:do|does|can|could|would|should|long|soon|many days)\b|\bwhere (?:do|can|does|would|should|will) (?:i|you|we|one|customers?)\b|\bwhat (?:carriers?|couriers?|delivery (?:companies|company|services?))\b|\b(?:in general|generally|usually|normally|typically)\b/;
const JA_HOW = /どうやって|どうすれば|どこで|どこに|どこから|方法|仕方|やり方|何日|なんにち|どのくらい|どれくらい|どの(?:配送業者|業者)|一般的|一般に|普通は|ふつうは|通常|いつもは/;
const EN_OWN = /\bmy\b|\bmine\b|\bi (?:ordered|bought|placed|paid|purchased)\b|\b(?:this|that|the) (?:order|parcel|package)\b/;
const JA_OWN = /私の|僕の|俺の|わたしの|うちの|注文した|買った|購入した|頼んだ|この注文|その注文|ご注文番号/;
const EN_GENERAL = /\b(?:in general|generally|usually|normally|typically)\b/;
const JA_GENERAL = /一般的|一般に|普通は|ふつうは|通常|いつもは/;

/**
 * How a question about orders is asked: `general` (how tracking or delivery works, no order of
 * theirs: a policy question), `explicit` (said to be general, "in general", 「一般的に」, even
 * from a signed-in customer), or undefined (about their own order).
 */
export function generalOrderQuestion(text: string): 'general' | 'explicit' | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  if (EN_GENERAL.test(t) || JA_GENERAL.test(t)) return 'explicit';
  if (EN_OWN.test(t) || JA_OWN.test(t)) return undefined;
  return EN_HOW.test(t) || JA_HOW.test(t) ? 'general' : undefined;
}

// Calling an order off: "cancel", 「キャンセル」, 「取り消したい」; 「やめたい」 only means it with an order in play.
const EN_CANCEL = /\bcancel(?:l?ing|l?ed|lation)?\b|\bcall (?:it|the order|that) off\b|\bdon'?t want (?:it|the order|them|that) any ?more\b/;
const JA_CANCEL = /キャンセル|取り消|取消/;
const JA_CALL_OFF = /(?:やめ|止め|辞め)(?:たい|ます|とく|よう|る)|いらなくな|要らなくな|不要にな/;

/** True when the message asks to cancel an order; `orderInPlay` lets 「やっぱりやめたい」 say it too. */
export function asksToCancel(text: string, orderInPlay: boolean): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  return EN_CANCEL.test(t) || JA_CANCEL.test(t) || (orderInPlay && JA_CALL_OFF.test(t));
}

// "How many volumes are there in total?", "what volume is it up to?", 「全部で何巻あるの？」, 「いま何巻まで出てるの」:
// the whole message asks how long the series in play is, not about the volume asked before.
const EN_COUNT =
  /^(?:(?:so|and|but|ok|okay|hmm+|wait|also|oh)\W+)*(?:how many (?:volumes?|vols?|books?|tankobon|issues)(?: (?:are|is|does|do|did|has|have|were)(?: (?:there|it|out|the series|this series|that series|it have|they))*)?(?: (?:have|got|out|released|published|in total|total|altogether|all together|so far|now|in japan|available|left|is it|are out|come out))*|what volume (?:is it|are they|is the series|did it get|has it got(?:ten)?) (?:up )?to(?: now| so far)?|(?:up to )?which volume (?:is it|are they) (?:up )?(?:to|at)(?: now)?|how long is (?:it|the series|this series|that series)(?: in volumes)?)\W*$/;
const JA_COUNT =
  /^(?:それ|これ|この(?:作品|漫画|マンガ|シリーズ)|その(?:作品|漫画|マンガ|シリーズ))?(?:って|は|、)?(?:いま|今|現在|全部で|全部|全)?(?:で)?(?:何|なん)(?:巻|冊)(?:(?:まで|ある|あり|出て|でて|出た|発売|完結|なの|です|だっけ|くらい|ぐらい)[ぁ-ん出発売完結]*)?[？?。!！]*$/;

// "volume count and status?", "status + number of volumes", 「巻数と連載状況は？」: the facts asked as a list of
// nouns, joined by and / + / & / a comma (written like a form, not a sentence) — the length among them.
const EN_FACT = String.raw`(?:(?:the |its )?(?:(?:total )?(?:volume|vol\.?) count|number of (?:volumes|vols)|(?:total )?volumes?|how many volumes|length)|(?:the |its )?(?:(?:publication|publishing|serialization|release|series) )?status|(?:is it )?(?:finished|complete[d]?|ongoing)|author)`;
const EN_FACTS = new RegExp(String.raw`^(?:(?:so|and|but|ok|okay|also)\W+)*${EN_FACT}(?:\s*(?:,|\+|&|/|\band\b|\bor\b)\s*${EN_FACT})*\W*$`);
const EN_FACT_COUNT = /count|number of|volumes?\b|length/;
const JA_FACT = String.raw`(?:巻数|全巻数|(?:連載|完結|刊行)?(?:状況|状態)|ステータス|完結(?:してる|した)?か(?:どうか)?|作者|著者)`;
const JA_FACTS = new RegExp(String.raw`^${JA_FACT}(?:\s*(?:と|、|,|\+|&|/|や)\s*${JA_FACT})*(?:は|を|も)?(?:教えて(?:ください|下さい)?|知りたい(?:です)?)?[？?。!！]*$`);

/** True when the whole message asks how many volumes the series in play has ("how many volumes in total?", 「全部で何巻？」). */
export function asksVolumeCount(text: string): boolean {
  return askedWithRemarks(text, (x) => {
    const t = x.normalize('NFKC').toLowerCase().trim();
    return EN_COUNT.test(t) || JA_COUNT.test(t) || (EN_FACTS.test(t) && EN_FACT_COUNT.test(t)) || (JA_FACTS.test(t) && t.includes('巻数'));
  });
}

// "How many parts does JoJo have?", 「ジョジョって何部まであるの」「何部作？」, "which part is the latest?":
// a franchise told in numbered parts (Part 1…9 / 第1部…), each its own series in the catalog.
const EN_PARTS = /\bhow many (?:parts|arcs)\b|\b(?:which|what|all (?:the )?|every) parts?\b|\b(?:latest|newest|last|final) part\b|\bparts? (?:are there|does it have|do they have|so far|in total)\b/i;
const JA_PARTS = /何部(?:まで|作|目|ある|あり|出て|構成)?|(?:最新|最後|最終)(?:の)?部(?!分|屋|品|長|門)|[\d一二三四五六七八九十]部作/;

/** True when the message asks how many parts a franchise has, or which is the latest. */
export function asksParts(text: string): boolean {
  const t = text.normalize('NFKC');
  return EN_PARTS.test(t) || JA_PARTS.test(t);
}


// "Is there a sequel?", "does Freezing have any spin-offs?", 「続編はある？」「外伝は？」: the series
// the catalog records as derived from the one asked about (its `parentId`).
const SPIN_OFFS = /\bspin-? ?offs?\b|\bsequels?\b|\bprequels?\b|\bside[- ]stor(?:y|ies)\b|スピンオフ|スピン・オフ|続編|外伝|番外編|前日譚|後日談/i;

// ...but one naming the spin-off it asks about (「キメツ学園っていうスピンオフ」「NARUTOの続編のBORUTO」, "the
// sequel called X") asks about that title, not for a list.
// (「続編の予定」「続編の情報」, 「Xって続編ある？」 ask whether there is one: no name.)
const NAMED_SPIN_OFF = /(?:という|っていう|とかいう)(?:スピンオフ|続編|外伝|番外編|前日譚|後日談)|って(?:スピンオフ|続編|外伝|番外編|前日譚|後日談)(?!\s*(?:は|って|も|が)?\s*(?:ある|あり|ない|出|でる|でて|の予定|予定|[？?]|$))|(?:スピンオフ|続編|外伝|番外編|前日譚|後日談)の(?!予定|情報|発表|可能性|有無|話|噂|うわさ|計画|ニュース|件|こと|連載|発売|刊行)[^\s、。,？?!！]{2,}|\b(?:spin-? ?offs?|sequels?|prequels?)\s+(?:called|named|titled)\b/i;

/** True when the message asks for the spin-offs, sequels or side stories of a series. */
export function asksSpinOffs(text: string): boolean {
  const t = text.normalize('NFKC');
  return SPIN_OFFS.test(t) && !NAMED_SPIN_OFF.test(t);
}

// A sequel asked about as planned or coming ("is a sequel planned?", "will there be a sequel?",
// 「続編の予定は？」「続編って出る？」): the catalog's answer is the series' own state and next volume.
const SEQUEL_PLANS = /\b(?:planned|plans?|planning|coming|upcoming|announced|in the works|any news|will there (?:ever )?be|going to be|gonna be|is there going)\b|予定|計画|発表|情報|噂|うわさ|出る|出ます|でる|出そう|ある(?:の)?かな|来る/i;

/** True when a spin-off or sequel is asked about as planned, not only whether the store carries one. */
export function asksSequelPlans(text: string): boolean {
  const t = text.normalize('NFKC');
  return asksSpinOffs(t) && SEQUEL_PLANS.test(t);
}

// When the series in play began ("when did it start?", "what year did it begin?", 「何年に始まった作品？」
// 「いつから連載してる？」「いつ始まった漫画？」): a fact of the series the catalog answers (its start
// date), not picks, a volume's price or small talk. A whole message of its own: "when did vol 5
// come out" asks a volume's release; a title named beside it is left to the title search.
const EN_STARTED =
  /^(?:(?:so|and|but|ok|okay|hmm+|oh|also)\W+)*(?:(?:what|which) year did (?:it|this|that|the series|the manga|this one|that one)? ?(?:start|begin|debut|first come out)|when did (?:it|this|that|the series|the manga|this one|that one|this series|that series|the story) (?:start|begin|debut|first come out|first get published)|when was (?:it|this|that|the series|the manga) first (?:published|serialized|serialised|released)|(?:how old is|since when(?: has| is)?) (?:it|this|that|the series|the manga)(?: been (?:running|going|out))?)\W*$/;
const JA_STARTED =
  /^(?:それ|これ|あれ|この(?:作品|漫画|マンガ|シリーズ)|その(?:作品|漫画|マンガ|シリーズ))?(?:って|は|、)?(?:連載)?(?:は|って)?(?:いつ(?:頃|ごろ)?から(?:の)?(?:連載|始ま|やって|続い|ある|出て)?|何年(?:から|に|頃に|ごろに)(?:の)?(?:連載|始ま|スタート|開始)?|連載開始(?:は|って)?|いつ(?:頃|ごろ)?(?:に)?(?:始ま|スタート|連載(?:が)?(?:開始|始ま)))[ぁ-んー]*(?:作品|漫画|マンガ|まんが|の|ん)?(?:です|でしょう)?(?:か)?(?:いつ|何年)?(?:です)?(?:か)?[？?。!！]*$/;

/** True when the whole message asks when the series in play began. */
export function asksWhenStarted(text: string): boolean {
  return askedWithRemarks(text, (x) => {
    const t = x.normalize('NFKC').toLowerCase().trim();
    return EN_STARTED.test(t) || JA_STARTED.test(t);
  });
}

// Who made the series in play ("who writes it?", "who's the author?", "and who drew this one",
// 「作者は？」「作者だれだっけ」「誰が描いてるの？」): a fact of the series the catalog answers (its
// authors). A whole message of its own, like the status and the start above: read alone the
// classifier may take "who writes it?" for something the store does not do (out of scope).
// Not the author's other works (「同じ作者の他の作品は？」, "anything else by him?"): those are picks.
const EN_MADE_BY =
  /^(?:(?:so|and|but|ok|okay|hmm+|oh|also|wait)\W+)*(?:who(?:'s| is| was)? (?:wrote|writes|written|drew|draws|drawn|made|makes|created|creates|illustrated|illustrates)(?: (?:it|this|that|the series|the manga|this one|that one|the story|the art))?|who(?:'s| is| are| was| were)(?: the)? (?:author|artist|mangaka|creator|writer|illustrator)s?(?: (?:of|for|behind) (?:it|this|that|the series|the manga|this one|that one))?|who(?:'s| is) (?:it|this|that|this one|that one) by|by whom|(?:the )?(?:author|authors|mangaka|writer|artist)\s*\?+)\W*$/;
const JA_MADE_BY =
  /^(?:それ|これ|あれ|この(?:作品|漫画|マンガ|まんが|シリーズ)|その(?:作品|漫画|マンガ|まんが|シリーズ))?(?:の)?(?:って|は|、)?(?:(?:作者|著者|原作者|漫画家|作家|描いて(?:る|いる)人|書いて(?:る|いる)人|描いた人|書いた人)(?:さん|先生)?(?:は|って|、)?(?:誰|だれ|どなた)?|(?:誰|だれ)が(?:描|書|かい)[ぁ-ん]*)(?:です|でした)?(?:か|っけ|だっけ|なの|なん|の)?(?:です)?(?:か)?[？?。!！]*$/;

/** True when the whole message asks who made the series in play. */
export function asksWhoMadeIt(text: string): boolean {
  return askedWithRemarks(text, (x) => {
    const t = x.normalize('NFKC').toLowerCase().trim();
    return EN_MADE_BY.test(t) || JA_MADE_BY.test(t);
  });
}
