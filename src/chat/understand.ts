// Step 1 of a reply: the message read on its own (its language, the input guardrail, its intent)
// while its conversation is loaded and retrieval is asked speculatively; then, once the
// conversation is in, read in it (what it refers to, small talk, the store's 18+ rule).
import type { Audience, Verdict } from '../guardrails/types.ts';
import { cardAside, frustrated, insultsIn, withoutCardData, withoutStatedPhone } from '../guardrails/remediation.ts';
import { minorOnAccount } from '../guardrails/age-dialogue.ts';
import type { StoredMessage } from '../memory/types.ts';
import type { MessageTrace } from '../observability/tracing.ts';
import { continuesPromotions } from '../promotions/promotion-match.ts';
import { asksAboutACode, asksOfAVolume, asksOfPromotionsInPlay, promotionsInPlay } from '../promotions/promotion-follow-up.ts';
import { asksAgePolicy, asksPointsRule, asksPolicy, asksRuleAfterCampaign, conceptsOf, earlierQuestions } from '../retrieval/policy-sections.ts';
import { asksForPerson, escalationKind, reportsBillingError, soundsAngry, supportQuestion, withoutVenting } from '../escalation/decision.ts';
import type { RetrievalResult } from '../retrieval/types.ts';
import { asksAboutAssistant, smallTalkKind } from '../understanding/small-talk.ts';
import type { Entities, Intent, IntentClassifier, IntentResult, Language, ResolvedReference, TurnContext } from '../understanding/types.ts';
import { languageRequest } from '../understanding/language.ts';
import { asksAboutTheManga, asksOfOtherMedium, outOfScopeSubject, titleOfOtherMedium, withoutOtherMedium } from '../understanding/out-of-scope.ts';
import { storeWordsSpelled } from '../understanding/features.ts';
import { withoutNameAside } from '../understanding/name-aside.ts';
import { asksParts, asksSeriesStatus, asksToCancel, asksVolumeCount, asksWhenStarted, asksWhoMadeIt, generalOrderQuestion } from '../understanding/status-question.ts';
import { asksArrival, asksCarrier, asksOrderAddition, asksOrdersInStatus, orderCarrierPicked, asksUndelivered, asksWhatTheyBought, asksOrderCount, identifiesThemselves, orderInPlay } from '../orders/order-match.ts';
import { asksAnotherTitle } from '../understanding/references.ts';
import { asksPayWithPoints, asksWhichCheaper, withoutBuyingWords } from '../understanding/buying.ts';
import { extractVolumeRef } from '../understanding/constraints.ts';
import { ABORTED } from '../resilience/abort.ts';
import { callDependency, type CallOutcome } from './dependency-call.ts';
import { ageTurnOf, type AgeTurn } from './grounding/age.ts';
import { CATALOG_INTENTS, PASSAGE_INTENTS, type Lookup } from './grounding/lookup.ts';
import type { HeldClaim } from './message-claim.ts';
import { storedTurn, type StoredTurn } from './replay.ts';
import { withoutTitlesNamed } from './titles-named.ts';
import { round } from './stopwatch.ts';
import { kindWordsOnly } from './kind-request.ts';
import { titleQuery, titleSearch } from './title-query.ts';
import { asksEveryVolume, asksInStockOnly, leftoverOf } from '../understanding/follow-up-words.ts';
import { STRONG_TITLE_SCORE } from './grounding/series.ts';
import type { ChatRequest, Customer } from './types.ts';
import { seriesInPlay } from './dialogue-state.ts';
import { asksPreorderArrivalAfterShown, asksPreorderDelivery } from './preorder-question.ts';

/** Intents a message about a subject the store has nothing on may be misread as. */
const OUT_OF_SCOPE_MISREAD = new Set<Intent>(['faq', 'escalation', 'promotion', 'recommendation', 'chitchat', 'product_search', 'product_question', 'price_availability']);
/** Intents a question of which way of buying costs less may be misread as (a price question already is one). */
const BUYING_MISREAD = new Set<Intent>(['promotion', 'out_of_scope', 'chitchat', 'faq', 'product_question', 'product_search', 'price_availability']);
/** Intents a question about paying with points may be misread as: a campaign that earns them, the price of what is in play. */
const PAY_WITH_POINTS_MISREAD = new Set<Intent>(['promotion', 'price_availability', 'product_question', 'product_search', 'chitchat', 'out_of_scope']);
/** Intents a question about the assistant ("are you human or AI?") may be misread as: it is small talk. */
const SMALL_TALK_OR_MISREAD = new Set<Intent>(['chitchat', 'out_of_scope', 'product_search', 'product_question', 'recommendation']);

/** The message read on its own, with memory and (when the intent may need it) retrieval under way. */
export interface Heard {
  /** The language of the customer's words (a title they typed aside); the reply's may differ. */
  messageLanguage: Language;
  /** The input guardrail's verdict (absent without guardrails). */
  inputVerdict?: Verdict;
  /** The message with personal data masked: what is stored, sent to a model and used as a cache key. */
  text: string;
  /** Anger at the store or the assistant beside whatever is asked (read before venting clauses are dropped from `text`): the answer opens with an apology. */
  angry: boolean;
  /** The conversation, the stored turn of a repeated id, or `duplicate` for an id answered long ago. */
  memory: Promise<CallOutcome<{ history: StoredMessage[]; answered: StoredTurn | undefined } | 'duplicate'>>;
  /** Aborts the speculative retrieval (the intent or the answer does not need it). */
  speculation: AbortController;
  retrievalCall?: Promise<CallOutcome<RetrievalResult>>;
  /** The classifier's reading. */
  nlu: IntentResult;
  /** The intent rests on the catalog or on knowledge-base passages. */
  needsRetrieval: boolean;
}

/** The message read in its conversation: what every later step works from. */
export interface Understood extends Heard {
  /** The intent, once the conversation and the 18+ rule have had their say. */
  nlu: IntentResult;
  history: StoredMessage[];
  /** The reply's language. */
  language: Language;
  /** The language the customer asked to be answered in, now or earlier. */
  languageAsked?: Language;
  entities: Entities;
  reference: ResolvedReference;
  /** 18+ titles the message names: as titles, or only as a kind of manga ("monster girl manga"). */
  adultNamed: { named: string[]; generic: string[] };
  ageTurn?: AgeTurn;
  /** "Is this ok for my kid's account?": a minor on a parent's account. */
  minorQuestion: boolean;
  /** Anger with nothing asked (no insult the guardrail knows needed): answered calmly, offering a person, no ticket. */
  outburst: boolean;
  /** A catalog series the message named while asking of something else (its anime): in play for what follows, not shown now. */
  aside?: string;
}

/** The guardrails' view of who is asking, in `language`. */
export function audienceOf(customer: Customer, language: Language): Audience {
  return {
    language,
    kind: customer.kind,
    ageConfirmed: customer.ageConfirmed,
    own: [customer.name, customer.customerId].filter((x): x is string => !!x),
  };
}

/**
 * Reads the message on its own and starts memory and retrieval. Memory, retrieval and
 * understanding run at once: retrieval starts speculatively before the intent is known (most
 * intents need it, and it is the slowest of the three).
 */
export function hear(lk: Lookup, req: ChatRequest, raw: string, held: HeldClaim | undefined, trace: MessageTrace): Heard {
  const { deps, guard, ctx } = lk;
  const stopwatch = ctx.stopwatch;
  // The language of the customer's words (a title they typed aside) reads the message; the reply
  // may be asked for in the other one (below, once the conversation is loaded).
  const messageLanguage = stopwatch.measure('language', () => deps.detectLanguage(raw));
  // Checked before any model sees the message; personal data typed in (a card number, a My
  // Number) is masked before it is stored, sent to a model or used as a cache key.
  const inputVerdict = deps.guardrails ? stopwatch.measure('guardrailInput', () => deps.guardrails!.checkInput(raw, audienceOf(req.customer, messageLanguage))) : undefined;
  // Store words typed in kana (「ざいこある？」) read in their usual spelling by every later step.
  // A phone number the customer states ("my number is …", 「電話番号は…です」) is masked and its clause
  // dropped: it asks nothing, and its 電話番号 would read as asking the store's phone number.
  // Card data sent beside a question that is not a payment ("my card … was charged twice for order X,
  // why?") is masked and its presenting words dropped too (「有効期限」 would read as the points' expiry):
  // the question is answered after a warning, and nothing of the card is stored.
  const masked = deps.guardrails ? deps.guardrails.redact(raw) : raw;
  // A title's other name in brackets beside it (「僕だけがいない街（英語だとErased）」) is dropped too: its language word is no request.
  const spoken = withoutNameAside(storeWordsSpelled(deps.guardrails ? withoutStatedPhone(cardAside(inputVerdict, masked) ? withoutCardData(masked) : masked) : raw));
  // A clause that only vents at the store beside a question (「ゴミみたいな店だな、ワンピース1巻ある？」)
  // is dropped too: its simile would read as a wish for titles like it. The anger is still heard.
  const angry = soundsAngry(spoken);
  const text = angry || frustrated(inputVerdict) ? withoutVenting(spoken, insultsIn(raw, inputVerdict)) : spoken;
  if (inputVerdict) deps.onGuardrail?.({ type: 'input', verdict: inputVerdict, blocked: !inputVerdict.ok, redacted: text !== raw });
  const memory = callDependency(guard('memory'), deps.deadlines.memory, ctx, async (signal) => {
    // After waiting for another process's claim, its turn may be newer than any cached copy here.
    const history = await deps.memory.load(req.sessionId, { signal, fresh: held?.waited });
    // A repeated id is an answer, not a failure: returned, so it is neither retried nor counted against the breaker.
    const answered = storedTurn(history, req.messageId);
    if (answered) return { history, answered };
    // Accepted long ago, its answer no longer in the window: known, but it cannot be replayed.
    if (await deps.memory.hasMessage(req.sessionId, req.messageId, { signal })) return 'duplicate' as const;
    return { history, answered: undefined };
  });
  // Speculative: requested before the intent is known, cancelled if the intent turns out not
  // to need it. The embedded retriever is CPU-bound, so its work waits one turn of the event
  // loop: by then classification (microseconds) has decided whether to cancel, and the memory
  // read has finished, so no segment's timing absorbs another's CPU.
  // Only while its circuit is closed: a half-open circuit's single probe must not be a call
  // that may be cancelled (a cancelled probe re-opens a healthy circuit for another 30 s).
  const speculation = new AbortController();
  const searchRetrieval = (signal: AbortSignal) =>
    callDependency(guard('retrieval'), deps.deadlines.retrieval, { ...ctx, signal }, async (attempt) => {
      await new Promise((resolve) => setImmediate(resolve));
      attempt.throwIfAborted();
      return deps.retriever.search({ text, language: messageLanguage, topK: 8 }, { signal: attempt });
    });
  const speculative = guard('retrieval').circuit() === 'closed';
  let retrievalCall = speculative ? searchRetrieval(AbortSignal.any([req.signal, speculation.signal])) : undefined;
  const nlu = stopwatch.measure('understand', () => deps.classifier.classify(text, messageLanguage));
  trace.set({ intent: nlu.intent, language: messageLanguage, 'intent.confidence': round(nlu.confidence) });
  const needsRetrieval = CATALOG_INTENTS.has(nlu.intent) || PASSAGE_INTENTS.has(nlu.intent);
  // The reason abort() would make, made once (a DOMException per message otherwise).
  if (!needsRetrieval) speculation.abort(ABORTED);
  else retrievalCall ??= searchRetrieval(req.signal);
  return { messageLanguage, inputVerdict, text, angry, memory, speculation, retrievalCall, nlu, needsRetrieval };
}

/**
 * Reads the message in its conversation: what it refers to, and the intent that follows from it.
 * A follow-up the classifier could not read alone gets the conversation's intent ("the second
 * one" after a list is not out of scope, "only finished ones please" after recommendations
 * narrows them).
 */
export async function inContext(lk: Lookup, heard: Heard, history: StoredMessage[], language: Language, languageAsked: Language | undefined, trace: MessageTrace): Promise<Understood> {
  const { deps, policySections, ctx } = lk;
  const stopwatch = ctx.stopwatch;
  const { text, messageLanguage } = heard;
  let nlu = heard.nlu;
  const entities = stopwatch.measure('entities', () => deps.extractEntities(text, messageLanguage));
  let reference = stopwatch.measure('references', () => deps.references.resolve(text, messageLanguage, turnsOf(history), nlu.intent));
  // "And Kagurabachi?" right after "when's the next Sakamoto Days?": the same question of another
  // title — its next volume, not the series' overview.
  // (Not a volume the message already points at by its place: 「1つ前の巻の在庫は？」 after the next volume is the one before it.)
  if (reference.volumeRef === undefined && reference.volume === undefined && entities.volumeRef === undefined && entities.volume === undefined && asksAnotherTitle(text) && askedNextVolume(history)) reference = { ...reference, volumeRef: 'next' };
  // ...and "and Dandadan?", 「チェンソーマンは？」 right after a volume's price ("how much is Frieren vol 1?"):
  // the same volume of that title, not its overview. (Only a title beside 'and': "and who's the mangaka?" asks on about the same series.)
  // (Not a fact asked of it: "and is Kingdom finished or still running?" after Kingdom 77's date asks the series' status.)
  else if (reference.volume === undefined && reference.volumeRef === undefined && entities.volumeRef === undefined && entities.volume === undefined && entities.format === undefined && asksAnotherTitle(text) && !asksStatusOfTitle(text) && leftoverOf(text).kind === 'title') {
    const volume = volumeAnsweredLast(history, (t) => deps.extractEntities(t, messageLanguage).volume);
    if (volume !== undefined) reference = { ...reference, volume, intent: 'price_availability' };
  }
  // A question about the assistant ("who made you?") is small talk whatever series is in play;
  // a request to be answered in another language, with nothing else asked, is small talk too.
  const smallTalk = (asksAboutAssistant(text) && (SMALL_TALK_OR_MISREAD.has(nlu.intent) || (nlu.intent === 'escalation' && !asksForPerson(text)))) || (languageRequest(text) !== undefined && (nlu.intent === 'out_of_scope' || nlu.intent === 'faq'));
  if (smallTalk) nlu = { ...nlu, intent: 'chitchat' };
  else if (reference.intent && reference.intent !== nlu.intent) {
    nlu = { ...nlu, intent: reference.intent };
    trace.set({ intent: nlu.intent });
  }
  // "Has it ended?", 「もう終わった？」, "still going?" about the series in play: its status, from the
  // catalog (read alone: small talk, a 連載中 wish, a parcel question).
  // "How many volumes in total?" right after a volume's price: the series' length, not that volume again.
  // ...or 「全部で何部まであるの？」 with no title: every part of the series in play's franchise (gather.ts partsOf).
  const counting = asksVolumeCount(text) || (asksParts(text) && titleQuery(text) === '');
  // ...and 「何年に始まった作品？」「いつから連載してる？」 "when did it start?": the year it began, a fact of the same answer.
  // ...and "who writes it?", 「作者は？」: who made it, another fact of that answer.
  const asksLength = !smallTalk && !reference.orderId && (counting || asksSeriesStatus(text) || asksWhenStarted(text) || asksWhoMadeIt(text));
  // ...or of the one series of the order in play ("how many volumes does the series have?" after an Attack on Titan box set order).
  // (Not when it names another title: "how long is Gyo?" after Junji Ito's list is about Gyo.)
  const inPlay = async () => ((await namesAnotherTitle(lk, text)) ? undefined : (seriesInPlay(history) ?? (await seriesOfOrderInPlay(lk, history))));
  const statusOf = asksLength ? (reference.seriesId ?? (await inPlay())) : undefined;
  if (statusOf) {
    reference = { ...reference, seriesId: statusOf, titleFree: true, narrows: undefined, intent: 'product_question' };
    // (...nor when it began: 「いつ始まったの？」 right after Vol. 1's price asks of the series, not that volume again.)
    if (counting || asksWhenStarted(text)) {
      delete reference.volume;
      delete reference.volumes;
      delete reference.volumeRef;
      delete reference.previousVolume;
      delete reference.format;
    }
    if (nlu.intent !== 'product_question') {
      nlu = { ...nlu, intent: 'product_question' };
      trace.set({ intent: nlu.intent });
    }
  } else if (((reference.narrows && nlu.intent === 'recommendation' && asksFactOfTitle(text)) || ((nlu.intent === 'recommendation' || nlu.intent === 'product_search') && asksStatusOfTitle(text)) || pricedWithoutPrice(nlu.intent, text, entities.volume)) && (await namesAnotherTitle(lk, text))) {
    // 「僕街は何巻で完結？」, "is Monster finished?" right after picks: the length, status or author
    // of the title it names, not a wish (完結, finished) narrowing the picks. And 「ソウルイーターって
    // 完結してる？」 read alone as picks or a search (an import's Japanese name is no title to the
    // classifier): its status or length, when the title is named outright.
    reference = { ...reference, narrows: undefined, intent: 'product_question' };
    nlu = { ...nlu, intent: 'product_question' };
    trace.set({ intent: nlu.intent });
  }
  // How tracking or delivery works ("how do I track a parcel?", 「追跡番号ってどこで見られますか？」)
  // is a policy question, not one about an order of theirs: a guest is not asked to sign in for it.
  if (nlu.intent === 'order_status' && !reference.orderId && !entities.orderId) {
    const general = generalOrderQuestion(text);
    // ...so is how a parcel is packed ("will it arrive in a plain package? my parents check the mail"): the 18+ page's plain packaging;
    // ...or wrapped and labelled as a gift ("it's a present - will the delivery slip show what I paid?"): the gift-wrapping page.
    const packed = conceptsOf(text, true);
    // (Not a present they ordered: "has the gift I ordered shipped?" is their order.)
    if (general === 'explicit' || (general === 'general' && lk.customer.kind === 'guest') || packed.has('discreet') || packed.has('price-slip') || packed.has('message-card')) {
      nlu = { ...nlu, intent: 'faq' };
      trace.set({ intent: nlu.intent });
    }
  }
  // "Good Morning Call", "goodnight punpun", "Hello World vol 1": a title that begins like a greeting.
  if (nlu.intent === 'chitchat' && !smallTalk && (await greetingTitle(lk, text))) {
    nlu = { ...nlu, intent: 'product_search' };
    trace.set({ intent: nlu.intent });
  }
  // A message that names a catalog title or a kind of manga is never small talk, out of scope or
  // an escalation by itself ("thanks! do you have Nichijou?", 「賭ケグルイ」, "I need a real
  // tearjerker manga", 「こわいのはいやです…」); nor is a title search that names only a kind ("need a
  // proper tearjerker pls", 「ホラーは無理…」): that asks for the store's picks of the kind.
  if (!smallTalk && !reference.orderId) {
    const named = await namesTitleOrKind(lk, text, messageLanguage, nlu.intent, entities);
    if (named && named !== nlu.intent) {
      nlu = { ...nlu, intent: named };
      trace.set({ intent: nlu.intent });
    }
  }
  // A fragment that carries on the topic of the customer's last question ("how fast do you reply to
  // emails?" after asking for the support address, "what's on right now then" after asking about a
  // sale, "and an unopened one?" after returns) read alone as small talk, out of scope or an
  // escalation: read with that question, the topic it continues.
  // An escalation that asks for nobody ("what if it's still sealed and I just don't want it anymore?" after returns) is read the same way.
  if ((nlu.intent === 'chitchat' || nlu.intent === 'out_of_scope' || (nlu.intent === 'escalation' && !asksForPerson(text))) && !smallTalk && !reference.orderId) {
    const topic = continuedTopic(lk.deps.classifier, text, messageLanguage, nlu.intent, history, heard.inputVerdict);
    if (topic) {
      nlu = { ...nlu, intent: topic };
      trace.set({ intent: topic });
    }
  }
  // "What was that manga where…", 「…漫画、タイトル何でしたっけ」: a title asked for by its story is a
  // search by that description, not picks (「高校生が…」 read as an audience) nor a policy question.
  if (!smallTalk && !reference.seriesId && !reference.orderId && asksForATitle(text) && DESCRIPTION_MISREAD.has(nlu.intent) && !(nlu.intent === 'escalation' && asksForPerson(text))) {
    nlu = { ...nlu, intent: 'product_search' };
    trace.set({ intent: nlu.intent });
  }
  // Calling an order off ("actually I'd like to cancel after all", 「やっぱりやめたい」) is a cancellation
  // question, however the classifier read it alone (small talk, a recommendation).
  const ordersInPlay = lk.customer.kind !== 'guest' && orderInPlay(history) !== undefined;
  if (!['faq', 'order_status', 'escalation'].includes(nlu.intent) && !smallTalk && asksToCancel(text, ordersInPlay) && (ordersInPlay || !CATALOG_INTENTS.has(nlu.intent))) {
    nlu = { ...nlu, intent: 'faq' };
    trace.set({ intent: nlu.intent });
  }
  // ...and so is adding to the order in play ("is it possible to add a second book to it?", read alone as out of scope): that order's answer.
  // Who carried it ("what company brought it?", read alone as a title search): that order's carrier.
  if (!['order_status', 'escalation'].includes(nlu.intent) && !smallTalk && ordersInPlay && asksCarrier(text) && !(await namesCatalogTitle(lk, text))) {
    nlu = { ...nlu, intent: 'order_status' };
    trace.set({ intent: nlu.intent });
  } else if (!['faq', 'order_status', 'escalation'].includes(nlu.intent) && !smallTalk && ordersInPlay && asksOrderAddition(text)) {
    nlu = { ...nlu, intent: 'faq' };
    trace.set({ intent: nlu.intent });
  }
  // An order number given alone ("it's MA-20261119-0021"), or a guest who was just asked to sign in
  // giving a name or an email instead ("I'm John Smith, john@…"): still the order question — a
  // guest is asked to sign in again (orders are found by the account, never by a name or an email).
  const signInAsked = lk.customer.kind === 'guest' && [...history].reverse().find((m) => m.role === 'assistant')?.intent === 'order_status';
  // So is asking which of their orders have not come ("anything that hasn't shown up yet?"), or what they bought ("what did I buy back in October?"), however it was read alone.
  // ...and, signed in, which of theirs are in a state ("what's still processing?", 「支払い待ちの注文はございますか」): the order page's words, not a rule of that state.
  // ...or which of theirs a carrier brought ("which orders came by yamato?"; not "do you ship by Yamato?", a rule).
  const inStatus = lk.customer.kind !== 'guest' && (asksOrdersInStatus(text) !== undefined || (orderCarrierPicked(text) !== undefined && (THEIR_ORDERS_WORDS.test(text.normalize('NFKC')) || asksArrival(text)) && !/\b(?:do|does|will|can|could) (?:you|it|they|i)\b|でき|方法/i.test(text.normalize('NFKC'))));
  if (!['faq', 'order_status'].includes(nlu.intent) && !smallTalk && (entities.orderId !== undefined || asksUndelivered(text) || asksWhatTheyBought(text) || (signInAsked && identifiesThemselves(text))) && !asksForPerson(text)) {
    nlu = { ...nlu, intent: 'order_status' };
    trace.set({ intent: nlu.intent });
  } else if (nlu.intent !== 'order_status' && nlu.intent !== 'escalation' && !smallTalk && (inStatus || asksOrderCount(text))) {
    // (How many orders they placed, read alone as a policy question: counted from their orders; a guest is asked to sign in.)
    nlu = { ...nlu, intent: 'order_status' };
    trace.set({ intent: nlu.intent });
  }
  // Only a request for a person opens a ticket: a question about support is a policy question,
  // a problem the policy pages answer is answered, an outburst alone is answered calmly
  // (offering a person). A clear request for one ("get me your manager", 「責任者を出して」) is an
  // escalation whatever else the classifier read.
  let outburst = false;
  if (nlu.intent === 'escalation' && !smallTalk) {
    const kind = escalationKind(text, conceptsOf(text, true));
    outburst = kind === 'outburst';
    // ...and right after a handoff, a question about the staff just offered ("how long until they reply?", 「何時まで対応してる？」).
    const intent = kind === 'question' || kind === 'problem' || (kind === 'other' && supportQuestion(text, lastAnswerIntent(history) === 'escalation') !== undefined) ? 'faq' : outburst ? 'chitchat' : nlu.intent;
    if (intent !== nlu.intent) {
      nlu = { ...nlu, intent };
      trace.set({ intent });
    }
  } else if (!smallTalk && (asksForPerson(text) || reportsBillingError(text))) {
    // ...and so is a wrong charge told ("I was charged twice for order X, why?", 「二重に引き落とされた」): staff must look at the payment.
    nlu = { ...nlu, intent: 'escalation' };
    trace.set({ intent: nlu.intent });
  } else if (!smallTalk && nlu.intent !== 'faq' && !reference.orderId && supportQuestion(text, lastAnswerIntent(history) === 'escalation') !== undefined && !(await namesCatalogTitle(lk, text))) {
    // A question about the staff read as anything else ("when are agents available?" as a title, "how
    // long until they reply?" after a handoff as small talk): the support page answers it.
    nlu = { ...nlu, intent: 'faq' };
    trace.set({ intent: nlu.intent });
  }
  // "Anything for Slam Dunk specifically?", "any on sports manga?" right after the promotions: still
  // promotions; so is what is asked of the promotions just named ("until when?", "do I need a code?",
  // "does the Slam Dunk one work on digital?") — but not a volume's price ("転スラの29巻の値段は？");
  // and a question about a coupon code it names ("can I use WELCOME10?").
  // "Is digital cheaper?", 「紙と電子どっちが安い？」, "what's the cheapest way to get all of them?" about
  // the series in play (or one named): its live prices in each way of buying, not promotions, not
  // out of scope, not the series' overview.
  const buying = !smallTalk && !reference.orderId && !reference.comparing && asksWhichCheaper(text) && BUYING_MISREAD.has(nlu.intent) && (reference.seriesId !== undefined || (await namesCatalogTitle(lk, withoutBuyingWords(text))));
  if (buying && nlu.intent !== 'price_availability') {
    // Read again as the price question it is: the volume in play carries over (「紙と電子どっちが安い？」 right after volume 15 is volume 15).
    const again = deps.references.resolve(text, messageLanguage, turnsOf(history), 'price_availability');
    if (again.seriesId === reference.seriesId) reference = again;
    reference = { ...reference, intent: 'price_availability' };
    nlu = { ...nlu, intent: 'price_availability' };
    trace.set({ intent: nlu.intent });
  }
  // "And if I only want the ones in stock?", 「在庫ある分だけだと？」 right after the whole series was priced: that
  // series' volumes in stock (gather: inStockOnly), however it was read alone (picks, a policy's "in stock").
  if (!smallTalk && !buying && !reference.orderId && !reference.comparing && nlu.intent !== 'price_availability' && asksInStockOnly(text)) {
    const lastAsked = history.findLast((h) => h.role === 'user')?.text;
    const inPlay = seriesInPlay(history);
    const wholeBefore = lastAsked !== undefined && (asksEveryVolume(lastAsked) === 'all' || deps.extractEntities(lastAsked, messageLanguage).wholeSeries === true || asksWhichCheaper(lastAsked));
    if (inPlay && wholeBefore && !(await namesAnotherTitle(lk, text))) {
      reference = { ...reference, seriesId: inPlay, titleFree: true, narrows: undefined, intent: 'price_availability' };
      nlu = { ...nlu, intent: 'price_availability' };
      trace.set({ intent: nlu.intent });
    }
  }
  if (!buying && ((continuesPromotions(text, history, nlu.intent) && !asksOfAVolume(text)) || asksOfPromotionsInPlay(text, history, nlu.intent) || asksAboutACode(text, nlu.intent))) {
    nlu = { ...nlu, intent: 'promotion' };
    trace.set({ intent: nlu.intent });
  }
  // "Any promos for Haikyuu?", "what promos are running for haikyuu", 「ハイキューのセールある？」 read as a
  // question about the title: the promotions for it (a volume's price or stock asked keeps the catalog answer).
  if (!buying && !smallTalk && CATALOG_INTENTS.has(nlu.intent) && !reference.orderId && entities.volume === undefined && !asksOfAVolume(text) && ASKS_PROMOTIONS.test(text.normalize('NFKC'))) {
    nlu = { ...nlu, intent: 'promotion' };
    trace.set({ intent: nlu.intent });
  }
  // "How long do campaign bonus points last?": a rule of points, which the points page gives.
  // ...also carried on from a points rule just answered ("do points expire?", then "what about bonus points from campaigns?").
  const lastAsked = [...history].reverse().find((m) => m.role === 'user')?.text;
  // "How much is shipping once the campaign ends?": the store's own rule (the campaign beside it).
  // (Not "the points one, how long does it last?" pointing at a campaign just listed: its end date.)
  const pointsAtListed = promotionsInPlay(history).length > 0 && POINTS_AT_LISTED.test(text.normalize('NFKC'));
  if (nlu.intent === 'promotion' && !pointsAtListed && (asksPointsRule(text) || asksRuleAfterCampaign(text) || (lastAnswerIntent(history) === 'faq' && lastAsked !== undefined && CARRIES_ON.test(text.normalize('NFKC').trim().toLowerCase()) && asksPointsRule(`${lastAsked} ${text}`)))) {
    nlu = { ...nlu, intent: 'faq' };
    trace.set({ intent: nlu.intent });
  }
  // "Can I pay with my points?", 「じゃあ電子で。ポイント使える？」: paying with points, which the payment
  // and points pages answer — not the campaigns that earn them, nor a volume's price again (a
  // volume or title named with it keeps the catalog answer: "can I buy Frieren 3 with points?").
  if (PAY_WITH_POINTS_MISREAD.has(nlu.intent) && !smallTalk && !reference.orderId && asksPayWithPoints(text) && entities.volume === undefined && !(await namesCatalogTitle(lk, text))) {
    nlu = { ...nlu, intent: 'faq' };
    reference = { ...reference, intent: undefined };
    trace.set({ intent: nlu.intent });
  }
  // "I live in Hokkaido, will it arrive on the day?" right after a volume shown up for preorder, read as
  // an order question: the preorder page's release-day rule (its preorder is in play: earlierQuestions).
  if (nlu.intent === 'order_status' && !smallTalk && !reference.orderId && entities.orderId === undefined && asksPreorderArrivalAfterShown(text, history.findLast((m) => m.role === 'assistant')?.text)) {
    nlu = { ...nlu, intent: 'faq' };
    trace.set({ intent: nlu.intent });
  }
  // "If I preorder Frieren 15, will it arrive on release day?" read as a policy question: a volume named with
  // how its preorder is delivered — the volume's facts, and the preorder page's rule beside them (gather).
  if (nlu.intent === 'faq' && !smallTalk && !reference.orderId && entities.volume !== undefined && asksPreorderDelivery(text) && (await namesTitleAmongWords(lk, text))) {
    nlu = { ...nlu, intent: 'price_availability' };
    trace.set({ intent: nlu.intent });
  }
  // Read as out of scope but asking a store topic a knowledge-base section clearly answers
  // ("I live in Germany, can you send me 18+ manga?", "what about bitcoin?"): a policy question.
  // So is a request small talk cannot answer (「退会したいです」), and a question right after a
  // policy answer that asks a store topic and names no title ("what if it goes by Yu-Packet?",
  // 「上限金額ってある？」 after konbini payment), however it was read alone.
  // ...and one read as about an order that names none ("where can I see my balance?" after points, 「発売日に届くの？」 after
  // when a preorder is charged, "it was the wrong volume, bought it 2 hours ago" after a digital refund): the policy in play.
  const orderMisread = nlu.intent === 'order_status' && entities.orderId === undefined && !ORDER_NAMED.test(text.normalize('NFKC').toLowerCase());
  const policyFollowUp = !smallTalk && !reference.orderId && !reference.seriesId && (POLICY_MISREAD.has(nlu.intent) || orderMisread) && lastAnswerIntent(history) === 'faq' && !PROMOTION_WORDS.test(text.normalize('NFKC').toLowerCase());
  const unansweredRequest = nlu.intent === 'chitchat' && !smallTalk && smallTalkKind(text) === undefined;
  // ...and the shipping fee asked as a price ("I'm buying ¥1,200 of manga, how much is postage?") when no title is named.
  const asked = conceptsOf(text, true);
  const feeAsked = (nlu.intent === 'price_availability' || nlu.intent === 'product_search') && !reference.seriesId && !reference.orderId && entities.volume === undefined && reference.volume === undefined && asked.has('shipping') && asked.has('price');
  // ...and sending a title back ("I want to return a Haikyuu box set but I lost one of the volumes"): the returns
  // policy for it, not its price — unless the message asks a price or stock too.
  // (Said, not implied: "what's the binding like?" reads as damage, which implies a return.)
  const said = conceptsOf(text);
  const returnAsked = CATALOG_INTENTS.has(nlu.intent) && nlu.intent !== 'recommendation' && !reference.orderId && RETURN_ASKS.some((c) => said.has(c)) && !PRICE_OR_STOCK.test(text.normalize('NFKC'));
  // (A follow-up that only names a scope, "and for ebooks?" after when points arrive, asks the question before of it.)
  // (So does one misread as about an order: 「発売日に届くの？」 asks it of the preorders just answered.)
  const carried = policyFollowUp && lastAsked !== undefined && (orderMisread || CARRIES_ON.test(text.normalize('NFKC').trim().toLowerCase())) && asksPolicy(`${lastAsked} ${text}`, true);
  if ((nlu.intent === 'out_of_scope' || unansweredRequest || policyFollowUp || feeAsked || returnAsked) && policySections && (asksPolicy(text, true) || carried) && policySections.rank({ text, language, context: earlierQuestions(history) }, 1).length > 0 && !((policyFollowUp || feeAsked) && !returnAsked && (await namesCatalogTitle(lk, text)))) {
    nlu = { ...nlu, intent: 'faq' };
    trace.set({ intent: nlu.intent });
  }
  // A subject the store has nothing on ("can I sue my landlord?", 「この英語を翻訳して」, "recommend a
  // good lawyer?"), misread as a policy question, an escalation or a catalog request: out of scope,
  // declined with what the store can do — unless it also asks about the store's books, orders or rules.
  if (OUT_OF_SCOPE_MISREAD.has(nlu.intent) && !smallTalk && !asksForPerson(text) && outOfScopeSubject(text)) {
    nlu = { ...nlu, intent: 'out_of_scope' };
    trace.set({ intent: nlu.intent });
  }
  // A question about the manga of an anime or film ("Netflix版のワンピースの原作は何巻まで？") read as out
  // of scope for its other medium: the store's books, when it names a catalog title.
  // ...and a question about the anime itself (「鬼滅の刃のアニメ何話まである？」, read as one about the title):
  // out of scope, declined with what the store can tell of it (the manga).
  if (TITLE_MISREAD.has(nlu.intent) && !smallTalk && asksOfOtherMedium(text)) {
    nlu = { ...nlu, intent: 'out_of_scope' };
    trace.set({ intent: nlu.intent });
  }
  if (nlu.intent === 'out_of_scope' && !smallTalk && asksAboutTheManga(text) && (await namesCatalogTitle(lk, withoutOtherMedium(text)))) {
    nlu = { ...nlu, intent: 'product_question' };
    trace.set({ intent: nlu.intent });
  }
  // The title an anime question named (「呪術廻戦のアニメってどこで見れる？」): declined, but in play for
  // what follows (「じゃあ原作の1巻はいくら？」), though not shown in this answer.
  const aside = nlu.intent === 'out_of_scope' && !smallTalk && asksOfOtherMedium(text) ? await titleNamedAside(lk, titleOfOtherMedium(text)) : undefined;
  // The store's 18+ rule, before any lookup: a title the customer may not see, named anywhere in
  // the message or asked about again ("why not?", "I'm 25, trust me"); "is it ok for my 12 year
  // old?"; a minor on a parent's account (a policy question, whatever adult words it uses).
  const adultNamed = deps.guardrails ? deps.guardrails.restrictedNamed(text) : { named: [], generic: [] };
  const ageTurn = deps.guardrails ? await stopwatch.time('ageGate', () => ageTurnOf(lk, text, adultNamed.named, language, nlu.intent, reference, history)) : undefined;
  // ...or a question about the store's 18+ rules (paying by phone bill, shipping abroad, plain
  // packaging): answered from the policy pages, not refused as a request for adult titles.
  const agePolicy = deps.guardrails !== undefined && asksAgePolicy(text);
  const minorQuestion = (deps.guardrails !== undefined && minorOnAccount(text)) || agePolicy;
  if ((ageTurn?.kind === 'withheld' && ageTurn.turn !== 'named') || (minorQuestion && (heard.needsRetrieval || agePolicy))) nlu = { ...nlu, intent: 'faq' };
  else if (ageTurn?.kind === 'suits') nlu = { ...nlu, intent: 'product_question' };
  else if (ageTurn?.kind === 'similar') nlu = { ...nlu, intent: 'recommendation' };
  return { ...heard, nlu, history, language, languageAsked, entities, reference, adultNamed, ageTurn, minorQuestion, outburst, ...(aside ? { aside } : {}) };
}

const SMALL_TALK_OPENERS = new Set(['greeting', 'farewell', 'thanks']);
// The small talk a title may begin with, and the words that only pad it ("hello there", "thanks so much").
// (An English greeting is a whole word: "young jump type stuff" opens with no "yo", "super…" with no "sup".)
const OPENER = /^\s*(?:(?:hi+|hello+|hey+|heya|hiya|yo|howdy|good ?(?:morning|afternoon|evening|night|bye)|sup|what'?s up|thanks?|thank you|thx|ty|bye(?:[- ]?bye)?|see (?:you|ya)|cya|later)(?![\p{L}\p{N}'’])|こんにちは|こんばんは|おはよう(?:ございます)?|おやすみ(?:なさい)?|さよう?なら|ありがとう(?:ございます|ございました)?|バイバイ)[\s,!.…~〜ー-]*/u;
// A correction before the title meant: "forget that, I meant …", "oops sorry, I meant …", "never mind. …".
// Each a whole word: the start of a title is no correction (Noragami, Nodame Cantabile, Ahiru no Sora, Ohikkoshi).
const CORRECTION = /^\s*(?:(?:ah+|oh+|oops|sorry|my bad|my mistake|wait|actually|no|nope|forget (?:it|that)|never ?mind|nvm|scratch that|ignore that)(?![\p{L}\p{N}'’])[\s,.!…~-]*)+(?:i meant|i mean|meant|it'?s|it was|i was (?:asking|looking) (?:about|for))?(?![\p{L}\p{N}'’])[\s,.:!…-]*/iu;
const FILLER = /\b(?:there|again|everyone|everybody|all|guys|folks|friend|you|so much|a lot|very much|again|for (?:your|the) help|and|then|now|for now|ok(?:ay)?)\b|です|ます|ね|よ/gu;

/** Folded for comparing a title with a message: lower case, letters and digits only. */
function folded(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * True when a message read as a greeting or goodbye ("good morning call", "bye-bye liberty
 * price") holds a catalog title that begins like one and says more than the greeting: a title.
 */
async function greetingTitle(lk: Lookup, text: string): Promise<boolean> {
  const kind = smallTalkKind(text);
  if (!kind || !SMALL_TALK_OPENERS.has(kind)) return false;
  // Nothing but small talk ("thank you", "hello there", 「ありがとうございます」) stays small talk, whatever title reads the same.
  const rest = text.normalize('NFKC').toLowerCase().replace(OPENER, '').replace(FILLER, '').replace(/[^\p{L}\p{N}]+/gu, '');
  if (rest.length === 0) return false;
  try {
    const hits = await lk.deps.catalog.searchSeries(text, { limit: 3, context: text });
    const message = folded(text);
    return hits.some(({ series }) =>
      [series.title, series.titleEn, ...(series.aliases ?? [])].some((name) => {
        const title = name ? folded(name) : '';
        // The whole title in the message, a title that reads as small talk itself, and more than
        // a bare greeting word: "Good Morning Call", not "Hello".
        return title.length >= 6 && message.includes(title) && smallTalkKind(name!) !== undefined;
      }),
    );
  } catch {
    // The catalog is asked again by the lookups; a greeting stays a greeting without it.
    return false;
  }
}

/** Other media made of a title (anime, films, games, voice actors, episodes): not the store's books. */
const OTHER_MEDIA = /\b(?:anime|movie|movies|film|films|live[- ]action|netflix|crunchyroll|episodes?|season \d+|voice actors?|voices?|dub|dubbed|subbed|video ?games?|game|games|figures?|merch)\b|アニメ|映画|劇場版|実写|ドラマ化|声優|放送|配信|何話|ゲーム|フィギュア|グッズ/i;

/** Intents a message naming a title or a kind of manga is never on its own. */
const NOT_ABOUT_MANGA = new Set<Intent>(['chitchat', 'out_of_scope', 'escalation']);
/**
 * A title search this good names a series outright (文豪ストレイドッグス scores 0.77 on the import);
 * the title lookup's own bar (0.55) also lets through a word of small talk that is part of a
 * title ("tell me a joke" → Black Joke at 0.57), which must stay small talk.
 */
const TITLE_NAMED = 0.7;

/** What the customer wishes for in a recommendation: a genre, theme, audience, length, status, a title liked or ruled out. */
function wishesForAKind(e: Entities): boolean {
  return e.genres.length > 0 || e.themes.length > 0 || (e.excludeTags?.length ?? 0) > 0 || e.demographic !== undefined || e.audience !== undefined || e.likeQuery !== undefined;
}

const GENERIC_WORDS = /\b(?:manga|mangas|comics?|series|books?|titles?|stories|story|any|some|good|please|pls)\b|漫画|マンガ|まんが|作品|もの|系|の|ある|ない|おすすめ|教えて/gu;
const letters = (x: string) => x.normalize('NFKC').toLowerCase().replace(GENERIC_WORDS, ' ').replace(/[^\p{L}\p{N}]+/gu, '');

/** True when one of the series' names is the query whole (kind-ish words such as "manga" aside). */
function titleIsWhole(series: { title: string; titleEn?: string; titleJa?: string }, query: string): boolean {
  const q = letters(query);
  return q.length > 0 && [series.title, series.titleEn, series.titleJa].some((n) => n !== undefined && letters(n) === q);
}

/**
 * The catalog intent a message misread as small talk, out of scope or an escalation really has
 * when it names a catalog title (in any script, shipped or imported: the title lookup's own
 * search) or a kind of manga (the recommendation grammar's genres, moods, exclusions, readers);
 * and a recommendation for a title search that only rules kinds out. Undefined otherwise:
 * a request for a person, anger, or nothing but small talk keep their reading.
 */
/** A message without the small talk or correction it opens with, nor what it took back: "thanks! do you have Nichijou?" → "do you have Nichijou?". */
export function withoutOpening(text: string): string {
  return afterTakeBack(text.normalize('NFKC').replace(OPENER, '').replace(CORRECTION, '').trim());
}

async function namesTitleOrKind(lk: Lookup, text: string, language: Language, intent: Intent, entities: Entities): Promise<Intent | undefined> {
  const misread = NOT_ABOUT_MANGA.has(intent);
  if (!misread && intent !== 'product_search') return undefined;
  // What is left once small talk or a correction around it is taken away ("thanks! do you have
  // Nichijou?", "ah forget that. I meant Mushishi", "oops sorry, I meant Dungeon Meshi").
  // ...and what a customer corrected themselves to mid-message (「お兄ちゃんが鬼に…じゃなくて、妹が鬼になる話」).
  const rest = withoutOpening(text);
  // The anime, film or game of a title is not something the store sells: still out of scope.
  // (A policy matter is looked for in what is left: "forget that" asks for no password reset;
  // nor in a title's words: "Does the shop sell Trigun Maximum?" asks no upper limit.)
  if (misread && (asksForPerson(text) || soundsAngry(text) || asksPolicy(withoutTitlesNamed(lk.deps.classifier, rest), true) || OTHER_MEDIA.test(text.normalize('NFKC')))) return undefined;
  if (rest.replace(FILLER, '').replace(/[^\p{L}\p{N}]+/gu, '').length === 0) return undefined;
  if (misread && rest !== text.normalize('NFKC').trim()) {
    const again = lk.deps.classifier.classify(rest, language).intent;
    if (!NOT_ABOUT_MANGA.has(again)) return again;
  }
  const query = titleQuery(rest);
  // Misread: any wish for a kind. A title search: one that rules kinds out, or kinds and words of
  // a wish only ("need a proper tearjerker pls"); a description or an unknown title with a genre
  // word in it ("a detective cat who lives in a library", "Quantum Samurai Bakery") stays a search.
  const kind = misread ? wishesForAKind(entities) : (entities.excludeTags?.length ?? 0) > 0 || (wishesForAKind(entities) && kindWordsOnly(query));
  // A title search that names no kind is left to the title lookup (no second search here).
  if (!misread && !kind) return undefined;
  let title = false;
  if (query.replace(/[^\p{L}\p{N}]+/gu, '').length >= 2) {
    try {
      const hits = await lk.deps.catalog.searchSeries(query, { limit: 1, context: text });
      // A search made only of kind words ("time travel manga?") names a title only when a title is those
      // words whole, not one that holds part of them ("Travel") or holds them among others.
      title = (hits[0]?.score ?? 0) >= TITLE_NAMED && (misread || titleIsWhole(hits[0]!.series, query));
    } catch {
      // Without the catalog the message keeps the classifier's reading.
      return undefined;
    }
  }
  if (title) return misread ? (asksSeriesStatus(text) || asksVolumeCount(text) || asksStatusOfTitle(text) ? 'product_question' : 'product_search') : undefined;
  // A name in title marks or quotes asked for as a book (「『月曜日の図書館ドラゴン』の1巻ありますか？」,
  // 'do you carry "Midnight Bakery Cat"?'): a title the store may not have — the title lookup says so.
  if (misread && QUOTED_NAME.test(rest) && ASKED_AS_A_BOOK.test(rest)) return 'product_search';
  return kind ? 'recommendation' : undefined;
}

// A start taken back mid-message and what replaces it: 「お兄ちゃんが鬼に…じゃなくて、妹が鬼になっちゃう話のマンガ」,
// "the one where the brother becomes a demon... no wait, the sister does". The start must be cut
// off (…, .., a dash, a comma) before the word that takes it back, and something must follow:
// 「13巻じゃなくて14巻」 corrects a volume inside one question, not the question.
const TAKE_BACK = /^.{2,}?(?:…+|\.{2,}|—|--|[、,])\s*(?:いや[、,\s]*)?(?:じゃなくて|じゃなくって|じゃない|ではなくて|ではなく|でなくて|違う|ちがう|違った|間違えた|(?:no wait|wait no|no no|sorry|i mean|i meant|scratch that|actually|no)\b)[、,.!…\s]*(?=\S.{3,})/iu;

/** What a customer corrected themselves to, when they took back how the message began; the message otherwise. */
function afterTakeBack(text: string): string {
  return text.replace(TAKE_BACK, '');
}

// A fact asked of a title — its length, whether it is finished, who wrote it — not a wish for a kind of
// manga: a question (何巻, 作者, 誰, 'is X finished?', 'how many volumes'), never "like X" or "…のがいい".
const FACT_ASKED = /何巻|何冊|作者|著者|誰が|(?:完結|連載)(?:して(?:い)?(?:る|ます)|した|済み|中)?(?:の|ん)?(?:です)?(?:か)?\s*[？?]|\bhow many (?:volumes|books)\b|\b(?:is|has) (?!it\b|that\b|this\b)[\w' .-]{1,40} (?:finished|complete|completed|over|ended|ongoing|still (?:going|running))\b|\bwho (?:wrote|drew|made)\b/iu;
const LIKE_WORDS = /\b(?:like|similar|such as)\b|みたいな|のような|に似た|っぽい|系/u;

// Its length or whether it is finished — not its author: 「…の作者の他の作品」 asks for picks.
const STATUS_ASKED = /何巻|何冊|(?:完結|連載)(?:して(?:い)?(?:る|ます)|した|済み|中)?(?:の|ん)?(?:です)?(?:か)?\s*[？?]|\bhow many (?:volumes|books)\b|\b(?:is|has) (?!it\b|that\b|this\b)[\w' .-]{1,40} (?:finished|complete|completed|over|ended|ongoing|still (?:going|running))\b/iu;
const OTHER_WORKS = /\b(?:other|else|more by|others)\b|他の|ほかの|他に|ほかに/u;

/** True when the message asks the length or status of a title it names, not for picks like it or by its author. */
function asksStatusOfTitle(text: string): boolean {
  const t = text.normalize('NFKC');
  return STATUS_ASKED.test(t) && !LIKE_WORDS.test(t) && !OTHER_WORKS.test(t);
}

// "Pluto: status + volume count" read as a price question: no volume, price or stock is asked, only the
// series' facts (the length among them, asksStatusOfTitle).
// (A bound on the count, "a volume count under 10", is a wish for picks, not a fact asked.)
const COUNT_ASKED = /\b(?:volume|vol) count\b(?!\s*(?:under|below|over|above|of|less|more|at|up|<|>|\d))|\bnumber of (?:volumes|vols)\b(?!\s*(?:under|below|over|above|less|more|at|up|<|>|\d))|\bhow many (?:volumes|books)\b/i;
function pricedWithoutPrice(intent: string, text: string, volume: number | undefined): boolean {
  const t = text.normalize('NFKC');
  return intent === 'price_availability' && volume === undefined && COUNT_ASKED.test(t) && !PRICE_OR_STOCK.test(t);
}

/** True when the message asks a fact of a title it names (length, status, author), not for picks like it. */
function asksFactOfTitle(text: string): boolean {
  const t = text.normalize('NFKC');
  return FACT_ASKED.test(t) && !LIKE_WORDS.test(t);
}

/** A name set off in title marks or quotes. */
const QUOTED_NAME = /[『「"“‘][^』」"”’]{2,60}[』」"”’]/u;
/** Asking for a book: a volume of it, whether the store has or sells it, its stock or price. */
/** What asks to send a book back or undo a purchase: the returns and cancellation pages answer it, whatever title it names. */
// (Only sending back or money back said outright: 「14巻の間違いだった」 corrects a volume, it reports no wrong item.)
const RETURN_ASKS = ['returns', 'refund'];
// A price or stock asked beside it ("how much is the box set? can I return it…"): the title's answer too.
const PRICE_OR_STOCK = /在庫|いくら|値段|価格|入荷|売って|ありますか|\b(?:how much|in stock|prices?|do (?:you|u) (?:have|carry|sell|stock))\b/i;
const ASKED_AS_A_BOOK = /[0-9０-９一二三四五六七八九十]+巻|全巻|在庫|ありますか|あります？|ある[？?]|置いて|売って|扱って|取り扱|いくら|値段|入荷|\b(?:vol(?:ume)?s?\.?\s*\d+|do (?:you|u) (?:have|carry|sell|stock)|in stock|how much)\b/iu;

/**
 * True when the message names a title of its own, one the catalog finds outright ("how long is
 * Gyo?", 「犬夜叉って完結してる？」): words beside the question that are no follow-up words, and a
 * title search score of a title named.
 */
async function namesAnotherTitle(lk: Lookup, text: string): Promise<boolean> {
  // Without the catalog the question stays on the series in play, as before.
  return leftoverOf(text.normalize('NFKC').toLowerCase()).kind === 'title' && (await titleScore(lk, text)) >= STRONG_TITLE_SCORE;
}

/**
 * Asking which title a story is ("what's that manga where…", "I forgot the name of the one about…",
 * 「…漫画、タイトル何でしたっけ」「…やつ、なんてタイトル？」「…漫画ってありましたよね」).
 */
const ASKS_FOR_TITLE =
  /^(?:(?:um+|uh+|hmm+|so|ok(?:ay)?|hey|hi|oh)[,.!\s]+)*(?:(?:it'?s|its|i'?m (?:looking|searching) for|looking for|searching for|i want|i need|do you have|there'?s|there was)\s+)?(?:the|that|this) (?:one|manga|series|comic|book) (?:with|where|about|in which|that has|that had)\b(?! (?:more|less|fewer|the (?:most|least|fewest|lowest|highest|best|cheapest|longest|shortest|better|higher|lower))\b)|\bwhat(?:'s| is| was|s)? (?:the )?(?:name|title) of (?:that|the|this|a) (?:manga|series|comic|one|book)\b|\bwhat(?:'s| is| was|s)? (?:that|the|this) (?:manga|series|comic|one|book) (?:where|about|with|in which|that|called)\b|\b(?:forgot|forget|can'?t remember|cannot remember|don'?t remember|trying to remember|looking for) the (?:name|title)\b|\bwhat (?:was|is) it called\b|タイトル(?:は|って)?(?:何|なん|なに)|(?:なんて|何て|なんという|何という)(?:タイトル|名前|題名|作品|漫画|マンガ)|題名(?:は|って)?(?:何|なん)|(?:タイトル|名前|題名)が(?:思い出せ|出てこ|わから|分から)|(?:漫画|マンガ|まんが|やつ|作品|話)(?:って|が)?(?:ありました|あった|ありません(?:でした)?)(?:よね|っけ)|(?:漫画|マンガ|まんが|やつ|作品)(?:って|は)?(?:何|なん)(?:だっけ|でしたっけ|だった)/;
// 「スパイのお父さんと殺し屋のお母さんと心が読める娘のやつ」: a whole message that tells a story and ends in のやつ
// (the Japanese 'the one with…') — long, and with no word of a wish ("読めるやつ", おすすめ, 向け: picks asked for).
const JA_STORY_ONE = /^[^。？?！!]{14,}やつ[？?。!！]?$/u;
const JA_WISH_WORDS = /おすすめ|オススメ|教えて|欲しい|ほしい|向け|読め(?:る|そうな)(?:やつ|の)|読みたい|いい|良い|探して|ありますか|ある？|ある\?|ない？|系|っぽい|みたいな|ような|似た|巻|完結|いくら|値段|在庫/u;

/** True when the message asks which title a story it tells is ("what was that manga where…", 「…漫画、タイトル何でしたっけ」). */
export function asksForATitle(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase();
  return ASKS_FOR_TITLE.test(t) || (JA_STORY_ONE.test(t.trim()) && !JA_WISH_WORDS.test(t));
}

/** Intents a title asked for by its story is misread as. */
// (An escalation too, when it asks for nobody: "the one with … giant man-eating monsters" is no complaint.)
const DESCRIPTION_MISREAD = new Set<Intent>(['recommendation', 'faq', 'chitchat', 'out_of_scope', 'product_question', 'escalation']);

/** The intents a topic is of: a question about the catalog, the store's policies, its promotions or an order. */
const TOPIC: Partial<Record<Intent, string>> = { product_search: 'catalog', product_question: 'catalog', price_availability: 'catalog', recommendation: 'catalog', faq: 'faq', promotion: 'promotion', order_status: 'order' };
// Words that carry a question on ("and…", "also…", "what about…", "same question", "until when", 「じゃあ…」「あと…」「…は？」).
const CARRIES_ON = /^(?:(?:ok(?:ay)?|so|hmm+|oh|cool|right|great)[,.!\s]+)*(?:and|also|plus|what about|how about|same|then|until|till|til|but|or|what if|even if|so what)\b|\b(?:then|too|as well|either|instead)\s*[?.!]*$|^(?:じゃあ|では|で、|あと|それと|それから|ちなみに|なら|ところで|それって|それは|その場合|そもそも)|(?:は|って|も|の場合は?)\s*[？?]\s*$/;
// A question of the customer's ("how fast do you reply?", 「…できますか」): small talk that asks may carry the topic on.
const ASKS = /[?？]\s*$|^(?:(?:ok(?:ay)?|so|hmm+|oh|cool|right|great)[,.!\s]+)*(?:how|what|which|when|where|why|who|is|are|do|does|did|can|could|will|would)\b|(?:ますか|ですか|ません|できる|いつまで|いくら|どれくらい|どのくらい)\s*[？?]?\s*$/;
// Small talk no topic carries on: what the assistant can do, how it is, a joke, a compliment.
const OWN_SMALL_TALK = /\bwhat (?:can|do) (?:you|u) do\b|\bhow (?:are|r) (?:you|u)\b|\bhow'?s it going\b|\bjoke\b|\b(?:love|like) (?:you|u|this)\b|何ができ|何が出来|元気|調子どう|冗談/;

/**
 * The intent of a message read alone as small talk or out of scope that carries on the topic of
 * the customer's last question: read after that question, the message is of the same topic
 * (a catalog, policy, promotion or order question). Undefined for real small talk (a greeting,
 * thanks, a question about the assistant), anger, another medium, or a new subject of its own
 * (what is out of scope must say it carries on: "and…", "same question…", a bare "…は？").
 */
export function continuedTopic(classifier: Pick<IntentClassifier, 'classify'>, text: string, language: Language, intent: Intent, history: StoredMessage[], verdict?: Verdict): Intent | undefined {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (smallTalkKind(t) || OWN_SMALL_TALK.test(t) || soundsAngry(text) || frustrated(verdict) || asksForPerson(text) || OTHER_MEDIA.test(t)) return undefined;
  // Out of scope has a subject of its own unless it says it carries on; small talk or a misread
  // escalation that asks anything may.
  if (intent === 'out_of_scope' ? !CARRIES_ON.test(t) : !(CARRIES_ON.test(t) || ASKS.test(t))) return undefined;
  const last = [...history].reverse().find((m) => m.role === 'user');
  const before = last?.intent as Intent | undefined;
  if (!last || !before || !TOPIC[before]) return undefined;
  const again = classifier.classify(`${last.text} ${text}`, language).intent;
  return TOPIC[again] === TOPIC[before] ? again : undefined;
}

/** What a question about an anime of a title may be read as. */
const TITLE_MISREAD = new Set<Intent>(['product_question', 'product_search', 'price_availability', 'recommendation']);
/** What a question after a policy answer may be misread as when it asks the same pages more. */
const POLICY_MISREAD = new Set<Intent>(['promotion', 'product_search', 'product_question', 'price_availability', 'recommendation', 'chitchat']);
/** Words that speak of their orders or parcels ("my", "orders", "the … one", 「注文」「荷物」「やつ」). */
const THEIR_ORDERS_WORDS = /\b(?:my|mine|orders?|parcels?|packages?|one|ones)\b|注文|荷物|やつ/i;

/** Words that name an order or its parcel ("my order", 「荷物」, "tracking"): such a question is about an order of theirs. */
const ORDER_NAMED = /\b(?:orders?|ordered|parcels?|packages?|shipments?|tracking|deliveries)\b|注文|荷物|追跡|配送状況|発送済|配達済/;
/** A promotion asked for by what it is ("promos", "on sale", セール): not "deals with grief", not "for sale". */
const ASKS_PROMOTIONS = /\b(?:promos?|promotions?|discounts?|coupons?|campaigns?)\b|\bdeals?\b(?! with)|\bon sale\b|\bsales? (?:on|for|running|going)\b|\bany sales?\b|セール|キャンペーン|クーポン|割引|値引/i;
/** One of the things just listed, pointed at ("the points one", "that sports one"). */
const POINTS_AT_LISTED = /\b(?:the|that|this) [\p{L}\p{N}' -]{2,30}? one\b/iu;
/** Words of a promotion: a question that says one is about the promotions, whatever came before. */
const PROMOTION_WORDS = /\b(?:sales?|campaigns?|coupons?|discounts?|deals?|promos?|promotions?|offers?|codes?)\b|セール|キャンペーン|クーポン|割引|値引|フェア|特価|お得/;

/** The intent of the assistant's last answer, if any. */
function lastAnswerIntent(history: StoredMessage[]): Intent | undefined {
  return [...history].reverse().find((m) => m.role === 'assistant')?.intent as Intent | undefined;
}

/** True when the title search finds a series for the text outright (the bar a title named outright clears). */
async function namesCatalogTitle(lk: Lookup, text: string): Promise<boolean> {
  // Without the catalog the message keeps the classifier's reading.
  return (await titleScore(lk, text)) >= TITLE_NAMED;
}

/** True when the content words of the text (request words such as preorder, arrive, release left out) name a catalog title outright. */
async function namesTitleAmongWords(lk: Lookup, text: string): Promise<boolean> {
  const { query, context } = titleSearch(text);
  if (query.replace(/[^\p{L}\p{N}]+/gu, '').length < 2) return false;
  try {
    const [hit] = await lk.deps.catalog.searchSeries(query, { limit: 1, context });
    return (hit?.score ?? 0) >= TITLE_NAMED;
  } catch {
    // Without the catalog the message keeps the classifier's reading.
    return false;
  }
}

/** The series the text's title query names outright, when this customer may see it (the 18+ rule as for any answer). */
async function titleNamedAside(lk: Lookup, text: string): Promise<string | undefined> {
  const query = titleQuery(text);
  if (query.replace(/[^\p{L}\p{N}]+/gu, '').length < 2) return undefined;
  try {
    const [hit] = await lk.deps.catalog.searchSeries(query, { limit: 1, context: text });
    return hit && hit.score >= TITLE_NAMED && lk.visible(hit.series, lk.customer) ? hit.series.id : undefined;
  } catch {
    // Without the catalog nothing is put in play.
    return undefined;
  }
}

/** The title search's best score for the text's title query; 0 when it has none or the catalog fails. */
async function titleScore(lk: Lookup, text: string): Promise<number> {
  const query = titleQuery(text);
  if (query.replace(/[^\p{L}\p{N}]+/gu, '').length < 2) return 0;
  try {
    const hits = await lk.deps.catalog.searchSeries(query, { limit: 1, context: text });
    return hits[0]?.score ?? 0;
  } catch {
    return 0;
  }
}

/** The one series the order in play is of (its lines' products), when the customer is signed in and it is one. */
async function seriesOfOrderInPlay(lk: Lookup, history: StoredMessage[]): Promise<string | undefined> {
  const orderId = lk.customer.kind !== 'guest' && lk.customer.customerId ? orderInPlay(history) : undefined;
  if (!orderId) return undefined;
  try {
    const order = await lk.deps.orders.getForCustomer(lk.customer.customerId!, orderId);
    const products = await Promise.all((order?.lines ?? []).map((l) => lk.deps.catalog.getProduct(l.productId)));
    const series = [...new Set(products.map((p) => p?.seriesId).filter((id): id is string => id !== undefined))];
    return series.length === 1 ? series[0] : undefined;
  } catch {
    // Without the order or the catalog the question asks which series, as before.
    return undefined;
  }
}

/**
 * True when the customer's last question asked for a series' next volume ("when's the next Sakamoto
 * Days?", 「次の巻はいつ？」) — also through the titles asked again after it ("and Kagurabachi?", "and Spy x Family?").
 */
function askedNextVolume(history: StoredMessage[]): boolean {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i];
    if (m.role !== 'user') continue;
    const t = m.text.normalize('NFKC').toLowerCase();
    if (extractVolumeRef(t) === 'next') return true;
    if (!asksAnotherTitle(m.text)) return false;
  }
  return false;
}

/** The one volume the last answer was about, when the customer asked for it by number (not the series' overview, nor a comparison). */
function volumeAnsweredLast(history: StoredMessage[], volumeIn: (text: string) => number | undefined): number | undefined {
  const last = history.at(-1);
  const asked = history.at(-2);
  if (last?.role !== 'assistant' || asked?.role !== 'user' || last.about?.volume === undefined || last.about.compared || last.about.volumes) return undefined;
  // (Asked by its number — "vol 1", 「3巻」 — not found by its place: "the next one" carries as such above.)
  // (...or carried already: "and Dandadan?" then "and One Piece?" both ask Vol. 1.)
  const byNumber = volumeIn(asked.text);
  return byNumber === last.about.volume || (byNumber === undefined && asksAnotherTitle(asked.text) && leftoverOf(asked.text).kind === 'title') ? last.about.volume : undefined;
}

/** Memory turns as the reference resolver sees them. */
function turnsOf(history: StoredMessage[]): TurnContext[] {
  return history.map((m) => ({ role: m.role, text: m.text, seriesIds: m.seriesIds, productIds: m.productIds, about: m.about }));
}
