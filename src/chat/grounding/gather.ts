// Step 3 of a reply: the grounding of the answer. Only the services the intent needs are asked,
// in parallel, each under its own deadline; then what the answers of several lookups decide
// together (an order named in a product question, other questions of the message, the card gate,
// the volume or format asked for, the tier-3 extras of the series found).
import type { Entities, Intent, RecommendationWish } from '../../understanding/types.ts';
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import type { MessageTrace } from '../../observability/tracing.ts';
import { asksIfArrived, asksIfReadable, asksRefund, asksLatestOrder, asksUndelivered, asksWhereItIs, orderInPlay, orderStatusPicked, picksAnotherOrder, namesVolumeAsOrdered, saysLate, speaksOfOwnOrder, speaksOfTheirOrder } from '../../orders/order-match.ts';
import { asksPolicy, conceptsOf, earlierQuestions } from '../../retrieval/policy-sections.ts';
import { problemAnswered, supportQuestion, supportQuestionBeside } from '../../escalation/decision.ts';
import { splitQuestions, titleParts } from '../questions.ts';
import { wishFrom } from '../recommendation-request.ts';
import { asksForAKind } from '../kind-request.ts';
import { withoutTitlesNamed } from '../titles-named.ts';
import { titleQuery } from '../title-query.ts';
import { asksEveryVolume, asksInStockOnly, leftoverOf } from '../../understanding/follow-up-words.ts';
import { asksAnotherTitle, correctsTitle, volumesOfQuestions } from '../../understanding/references.ts';
import type { ChatRequest } from '../types.ts';
import { asksForATitle, type Understood } from '../understand.ts';
import type { AgeGate } from './age.ts';
import { COMPARABLE_INTENTS, compare } from './comparisons.ts';
import { formatOnlyInTitle } from './format-in-title.ts';
import { followUp, formatAsked, otherTitle, restAfter, volumeAsked } from './follow-ups.ts';
import { openHandoff } from './handoff.ts';
import { CATALOG_INTENTS, PASSAGE_INTENTS, shed, type Lookup } from './lookup.ts';
import { asksIfOrdered, findOrders, orderPolicy, orderPosition } from './orders.ts';
import { asksHowToBuy, otherQuestions } from './other-questions.ts';
import { asksPointsEarned, policyLookup } from './policies.ts';
import { promotionLookups } from './promotions.ts';
import { pointsEstimateLookup } from './points.ts';
import { describedSeries, recommend } from './recommendations.ts';
import { enrich, findSeries } from './series.ts';
import { partsOf, spinOffsOf } from './parts.ts';
import { asksToBuy, purchaseLookup } from './purchase.ts';
import { editionLanguageFirst } from './edition-language.ts';
import { asksDigitalPreorder, asksPreorderArrivalAfterShown, asksPreorderDelivery } from '../preorder-question.ts';
import { asksParts, asksSequelPlans, asksSeriesStatus, asksSpinOffs, asksVolumeCount } from '../../understanding/status-question.ts';
import { asksWhichCheaper, formatsWeighed } from '../../understanding/buying.ts';
import { asksNewComing, asksTheRest, continuesWithVolume, fromFirstVolume, readingPosition } from '../../understanding/constraints.ts';

/** The grounding of an answer, and what gathering it decided besides. */
export interface Gathered {
  grounding: Grounding;
  /** Set when the series the customer named is one they may not see. */
  ageGate: AgeGate;
  /** What a recommendation request asked for (kept for the next turn). */
  wish?: RecommendationWish;
  /** A handoff ticket was opened by this message (not joined). */
  handoffOpened: boolean;
}

/** Gathers the grounding of the answer to `m` (records the `gather` segment). */
// How many volumes a series has, asked in a question of its own ("how many volumes does Naruto have?", 「全部で何巻？」).
const COUNT_ASKED = /\bhow many (?:volumes?|vols?|books?)\b|(?:何|なん)(?:巻|冊)(?!目)|巻数/;
// A price asked of every volume at once, beside a sold-out question.
const TOTAL_ASKED = /いくら|値段|価格|合計|総額|how much|total|cost|price/;
// What several items cost together ("how much for both together", 「まとめて買ったら合計いくら？」).
const SUM_ASKED = /\b(?:together|altogether|combined|in total|total|both|all (?:of them|three|four|five))\b|合計|総額|まとめて|全部で|合わせて|あわせて|両方/;

// What several orders came to together: "how much did I spend in total?", "altogether?", 「全部でいくら使った？」「合計は？」.
const ORDERS_SUMMED = /\b(?:in total|altogether|combined|all together|total|spen[dt]|(?:come|came|comes) to|adds? up|added up)\b|合計|総額|全部で|合わせて|あわせて|トータル/;
// A bare "why?" of the answer just given: "why not?", "how come?", 「なんで？」「どうしてですか」.
const ASKS_WHY = /^(?:(?:but|and|so|ok|okay|oh|hmm+|wait|huh)[,.!\s]+)*(?:why(?: not| is that| can'?t i| not\?)?|how come|what'?s the reason|for what reason)\s*[?？!.]*$|^(?:え[、,\s]*|でも[、,\s]*)?(?:なんで|何で|なぜ|どうして)(?:です|だ|ですか|でしょうか|なの|なん(?:です|だ)?|できない|無理)?(?:か|の)?\s*[？?！!。]*$/;

/** The orders the assistant's last answer described together, if it described several. */
function ordersListedLast(history: Understood['history']): string[] {
  return history.findLast((h) => h.role === 'assistant')?.about?.orderIds ?? [];
}

export async function gather(lk: Lookup, req: ChatRequest, m: Understood, trace: MessageTrace): Promise<Gathered> {
  const { deps, fellBack, visible } = lk;
  const stopwatch = lk.ctx.stopwatch;
  const { nlu, text, language, history, entities, reference, needsRetrieval, retrievalCall, adultNamed, ageTurn } = m;
  const gatherStarted = performance.now();
  const grounding: Grounding = {
    intent: nlu.intent,
    language,
    text,
    history,
    customer: req.customer,
    series: [],
    requestedVolume: reference.volume ?? entities.volume,
    ...((reference.volumes ?? entities.volumes) ? { requestedVolumes: reference.volumes ?? entities.volumes } : {}),
    passages: [],
    orders: [],
    promotions: [],
    reviews: [],
    degraded: [],
    links: { search: deps.links.search(searchQuery(nlu.intent, text, entities)), orderTracking: deps.links.orderTracking, support: deps.links.support },
  };
  const lookups: Promise<void>[] = [];
  const retrieval = needsRetrieval
    ? retrievalCall!.then((r) => {
        if (!r.ok) fellBack(grounding, 'retrieval');
        // Reranker down, slow or open: retrieval already answered with the raw vector top 3.
        else if (r.value.rerankSkipped) fellBack(grounding, 'reranker');
        return r.ok ? r.value : undefined;
      })
    : Promise.resolve(undefined);

  const ageGate: AgeGate = { withheldNamed: false, generic: new Set(adultNamed.generic) };
  // A comparison ("Naruto or Bleach?", 「AとBどっち？」) is about every series it names, in order;
  // a follow-up that names no title ("how much is volume 1?") is about the series the
  // conversation is on, whatever a title search would match. Both resolve before the rest.
  // A message that asks several things: the title lookup reads its questions about titles, not the policy beside them.
  const questions = splitQuestions(text);
  // (What buying the volumes costs is a question about titles: 「全巻まとめて買うといくら？」 names no parcel rule;
  // 「一番安い買い方は？」 beside it names no title, and its words would only blur the title search.)
  const catalogText = questions.length > 1 ? questions.filter((q) => (!asksPolicy(withoutTitlesNamed(deps.classifier, q), true) || asksHowToBuy(q)) && !(asksWhichCheaper(q) && leftoverOf(q).kind !== 'title')).join(' ') || text : text;
  // Every volume at once: a box set against the single volumes, or which are sold out, is about one series, not a comparison.
  const every = asksEveryVolume(text);
  const compared = COMPARABLE_INTENTS.has(nlu.intent) && every !== 'singles' && every !== 'soldOut' ? await compare(lk, grounding, text, reference) : false;
  const followingUp = !compared && CATALOG_INTENTS.has(nlu.intent) && reference.titleFree === true && reference.seriesId !== undefined;
  // A volume of another title asked in a question of its own ("how much is chainsaw man 5? also is jjk 3 in stock?"): looked up and answered after the first.
  const secondTitle = !compared && !followingUp && CATALOG_INTENTS.has(nlu.intent) && deps.extractEntities(questions[0], language).volume !== undefined ? questions.slice(1).find((q) => leftoverOf(q).kind === 'title' && deps.extractEntities(q, language).volume !== undefined) : undefined;
  const twoTitles = !followingUp && questions.length === 1 ? titleParts(text, (q) => deps.extractEntities(q, language).volume !== undefined, (q) => leftoverOf(q).kind === 'title') : undefined;
  if (followingUp) lookups.push(followUp(lk, grounding, reference, ageGate));
  // ...and one about no series in particular ("when does the next volume come out?" to start with) asks which.
  else if (!compared && CATALOG_INTENTS.has(nlu.intent) && reference.titleFree === true) grounding.askWhich = true;
  else if (!compared && CATALOG_INTENTS.has(nlu.intent) && twoTitles) {
    // Two titles asked at once, each with its volume ("Chiikawa vol 1 and Kagurabachi vol 2?"): each looked up and answered.
    grounding.requestedVolume = deps.extractEntities(twoTitles[0], language).volume;
    delete grounding.requestedVolumes;
    lookups.push(findSeries(lk, grounding, twoTitles[0], undefined, Promise.resolve(undefined), ageGate));
    lookups.push(otherTitle(lk, grounding, twoTitles[1], ageGate));
  } else if (!compared && CATALOG_INTENTS.has(nlu.intent)) {
    // An 18+ title this customer may see, named in the message, stands in when the title search finds nothing better.
    const namedAdult = ageTurn?.kind === 'notice' && !ageTurn.withheld ? ageTurn.series[0]?.id : undefined;
    // (With another title's volume asked in a later question, the first question's title is this one.)
    lookups.push(findSeries(lk, grounding, secondTitle ? questions[0] : catalogText, reference.seriesId ?? namedAdult, retrieval, ageGate));
  }
  let wish: RecommendationWish | undefined;
  if (!compared && nlu.intent === 'recommendation') {
    // "Something similar I can buy" after an 18+ title was withheld: seeded by it (never named).
    const seeded = ageTurn?.kind === 'similar' && ageTurn.series[0] ? { ...reference, seriesId: ageTurn.series[0].id, narrows: undefined } : reference;
    wish = wishFrom(entities, seeded.narrows);
    lookups.push(recommend(lk, grounding, text, entities, wish, seeded));
  }
  // An order question that names no order ("tracking number?") is about the order in play.
  // A policy question about the customer's own order ("did my Berserk return get refunded?",
  // "can I still cancel it?" with an order in play) is answered with that order, when it names one.
  const inPlayOrder = req.customer.kind !== 'guest' ? orderInPlay(history) : undefined;
  // ...and one that names no other order of theirs (「配送業者はどこでした？」) stays on the order in play, not the latest.
  // "What was in my oldest order?" read as a policy question: one of their orders, by its place.
  const positional = nlu.intent === 'faq' && req.customer.kind !== 'guest' && orderPosition(text) !== undefined;
  // What the orders just listed came to together ("how much did I spend in total?" after "what did I order in November?"): all of them, summed.
  const listed = nlu.intent === 'order_status' && !entities.orderId && ORDERS_SUMMED.test(text.normalize('NFKC').toLowerCase()) ? ordersListedLast(history) : [];
  // "Why not?", 「なんで？」 right after an answer about the order in play: the question before, asked of that order again (why it cannot be cancelled).
  if (nlu.intent === 'order_status' && inPlayOrder !== undefined && history.findLast((h) => h.role === 'assistant')?.intent === 'order_status' && ASKS_WHY.test(text.normalize('NFKC').trim().toLowerCase())) {
    const asked = history.findLast((h) => h.role === 'user')?.text;
    if (asked) grounding.text = `${asked} ${text}`;
  }
  const orderText = grounding.text;
  // (Asked of the order in play, not of the latest order the question before may have named.)
  const whyOf = orderText !== text ? inPlayOrder : undefined;
  if (listed.length > 1) lookups.push(findOrders(lk, grounding, entities, text, { inPlay: inPlayOrder, summed: listed }));
  else if (nlu.intent === 'order_status' || positional) lookups.push(findOrders(lk, grounding, whyOf && !entities.orderId ? { ...entities, orderId: whyOf } : reference.orderId && !entities.orderId && !orderPosition(orderText) && !orderStatusPicked(orderText) && !asksUndelivered(orderText) && !asksLatestOrder(orderText) && !picksAnotherOrder(orderText) ? { ...entities, orderId: reference.orderId } : entities, orderText, { inPlay: inPlayOrder, seriesInPlay: reference.seriesId, volumeInPlay: reference.volume }));
  // ("Can I read the One Piece ebooks yet?" of a title they bought: that order, when one of theirs holds it.)
  // (Not whether the volume just shown up for preorder arrives on release day: 「沖縄だと発売日に届かない？」 is the preorder rule.)
  const ownOrder = nlu.intent === 'faq' && req.customer.kind !== 'guest' && !asksPreorderArrivalAfterShown(text, history.findLast((m) => m.role === 'assistant')?.text) ? (speaksOfOwnOrder(text, inPlayOrder !== undefined) ?? (asksIfReadable(text) ? 'transaction' : undefined)) : undefined;
  // With their orders in play, a volume of theirs named ("and the Frieren 15?", 「ワンピースの113巻も同じ注文？」)
  // is asked about as the item they ordered, not as a product.
  // So is a volume they ask whether they ordered before ("did I already order Frieren 14?", 「13巻って前に注文したっけ？」).
  // ...and one named as an order of theirs with no order in play yet (「ゴールデンカムイ1〜5巻の注文っていつ届いてた？」, "when did the Gantz order arrive?").
  // ...and one they say has not come (「メダリスト13巻まだ来ないです…」) or ask whether they can read yet (「ワンピースの電子版、もう読める？」): their order of it, when they have one.
  const awaited = req.customer.kind !== 'guest' && (saysLate(text) || asksIfReadable(text) || asksIfArrived(text) || asksRefund(text));
  // (Not a volume only named as the one they ordered, "and 13, the one I ordered": its facts, their order of it beside them.)
  const namedAsOrdered = namesVolumeAsOrdered(text);
  const orderedItem = CATALOG_INTENTS.has(nlu.intent) && !namedAsOrdered && (inPlayOrder !== undefined || (req.customer.kind !== 'guest' && (asksIfOrdered(text) || speaksOfTheirOrder(text) || awaited)));
  if (ownOrder) lookups.push(findOrders(lk, grounding, entities, text, { namedOnly: true, own: ownOrder === 'own', inPlay: ownOrder === 'own' ? inPlayOrder : undefined }));
  // Asking for a human opens a handoff ticket (operators are alerted); the answer says staff will reply here.
  let handoffOpened = false;
  if (nlu.intent === 'escalation' && deps.handoff) {
    lookups.push(openHandoff(lk, deps.handoff, grounding, req, text, language, entities, history, trace, (created) => (handoffOpened = created)));
  }
  // Tier 3 (promotions, reviews) is the first thing brownout gives up (see shed).
  const tier3 = !(deps.brownout?.skipsTier3() ?? false);
  if (nlu.intent === 'promotion') lookups.push(...promotionLookups(lk, grounding, text, history, reference, tier3));
  // A request for a person about a problem the policy pages answer (a damaged book): that answer goes with the handoff.
  // ...and one that asks about support too ("can I speak to someone? what hours are your staff around"): the sections that answer that question.
  // ...and a question about the staff alone ("how long until they reply?" right after a handoff): worded with the staff, for the search.
  const support = nlu.intent === 'escalation' ? supportQuestionBeside(text) : nlu.intent === 'faq' ? supportQuestion(text, history.findLast((m) => m.role === 'assistant')?.intent === 'escalation') : undefined;
  const policyIntent = nlu.intent === 'escalation' && (support !== undefined || problemAnswered(conceptsOf(text, true))) ? 'faq' : nlu.intent;
  if (PASSAGE_INTENTS.has(nlu.intent)) lookups.push(policyLookup(lk, grounding, retrieval, policyIntent, needsRetrieval, support ?? text, language, history, tier3));
  await Promise.all(lookups);
  // "Will my preorder arrive on release day?" of their order: the order, and the preorder page's release-day rule.
  if (grounding.intent === 'order_status' && !grounding.needsSignIn && grounding.orders.length > 0 && grounding.passages.length === 0 && lk.policySections && asksPreorderDelivery(text)) grounding.passages = lk.policySections.rank({ text, language }, 1);
  // A story told with its title asked ("…巨人が攻めてくる漫画なんだっけ") that the title search did not
  // find: the series whose stories the retriever matches it to, before anything else is tried.
  if (!compared && !followingUp && !twoTitles && nlu.intent === 'product_search' && grounding.series.length === 0 && !ageGate.withheldNamed && asksForATitle(text)) await describedSeries(lk, grounding, text);
  // A title search that found nothing, for a question a policy section answers ("where is your
  // warehouse?", "how much is one point worth?", "can I return one volume of a box set?"): that policy answer.
  // (Not a search for a kind of manga: "the manga about a cat in a library" is a title not found.)
  if (!compared && !followingUp && !twoTitles && CATALOG_INTENTS.has(nlu.intent) && nlu.intent !== 'recommendation' && grounding.series.length === 0 && !ageGate.withheldNamed && !SEARCHES_MANGA.test(text) && lk.policySections && asksPolicy(text, true) && lk.policySections.rank({ text, language, context: earlierQuestions(history) }, 1).length > 0) {
    grounding.intent = 'faq';
    await policyLookup(lk, grounding, retrieval, 'faq', needsRetrieval, text, language, history, tier3);
  }
  // A search for a kind of manga that no title or description matched ("detective manga?",
  // "what about detective manga instead? a few options", 「探偵ものの漫画ある？」): the store's picks
  // of that kind, not "couldn't find that title". (A message that does not say it looks for
  // manga, "Quantum Samurai Bakery volume 2", stays a title not found.)
  if (!compared && !followingUp && !twoTitles && nlu.intent === 'product_search' && grounding.intent === 'product_search' && grounding.series.length === 0 && !ageGate.withheldNamed && entities.volume === undefined && SEARCHES_MANGA.test(text) && asksForAKind(text)) {
    grounding.intent = 'recommendation';
    wish = wishFrom(entities, reference.narrows);
    await recommend(lk, grounding, text, entities, wish, reference);
  }
  // With their orders in play, the item asked about is the series the catalog lookup found, in the volume named.
  if (orderedItem && grounding.series.length > 0) {
    await findOrders(lk, grounding, entities, text, { namedOnly: true, item: { series: grounding.series.map((s) => s.series.id), volume: reference.volume ?? entities.volume, ordered: speaksOfOwnOrder(text, true) !== undefined || asksAnotherTitle(text) || correctsTitle(text) || asksWhereItIs(text) || awaited } });
  }
  // An order of theirs spoken of with words the title search does not take apart (「金カム1〜5巻まとめ買いした注文っていくらだった？」):
  // the orders holding a title the message names (their own orders' names only, never another order in its place).
  else if (orderedItem && grounding.series.length === 0 && req.customer.kind !== 'guest' && speaksOfTheirOrder(text)) await findOrders(lk, grounding, entities, text, { namedOnly: true });
  // Whether they can read a title yet is about a digital order of theirs: a print order of it answers another question (the product's facts stay).
  if (grounding.orders.length > 0 && asksIfReadable(text) && !saysLate(text) && speaksOfOwnOrder(text, inPlayOrder !== undefined) === undefined && !grounding.orders.some((o) => o.lines.some((l) => l.item?.format === 'digital'))) {
    grounding.orders = [];
    delete grounding.orderNamed;
  }
  // The question was about an order of theirs it named: answered as an order question, the
  // policy read for that order's status, no product cards.
  if ((ownOrder || orderedItem || positional) && grounding.orders.length > 0) {
    grounding.intent = 'order_status';
    grounding.passages = orderPolicy(lk, text, grounding.orders[0], language);
    // Whether a digital order of theirs can be read yet: the order, and where it is read (the digital page's section).
    if (grounding.passages.length === 0 && lk.policySections && asksIfReadable(text) && grounding.orders[0].lines.some((l) => l.item?.format === 'digital')) grounding.passages = lk.policySections.rank({ text, language }, 1);
    grounding.promotions = [];
    grounding.series = [];
    grounding.reviews = [];
  }
  // A message that asks several things ("how much is shipping, and how many volumes does One
  // Piece have?"): each question answered from its own section or lookup.
  if (!grounding.comparison && questions.length > 1) await otherQuestions(lk, grounding, questions, language, history);
  // A volume asked with how its preorder is delivered in the same question (「スパイファミリー16巻、予約したら発売日に届く？」,
  // "if I preorder Kingdom 77 will it arrive on release day?"): the volume's facts, and the preorder page's rule beside them.
  // ...and one asked to be preordered as an e-book ("can I preorder the digital edition of One Piece 113?"): the digital page's rule.
  if (CATALOG_INTENTS.has(grounding.intent) && !grounding.comparison && grounding.series.length > 0 && lk.policySections && (asksPreorderDelivery(text) || asksDigitalPreorder(text)) && !(grounding.also ?? []).some((x) => x.intent === 'faq')) {
    const context = earlierQuestions(history);
    const passages = lk.policySections.rank({ text, language, context }, 2);
    if (passages.length > 0) grounding.also = [...(grounding.also ?? []), { intent: 'faq', language, text, history: grounding.history, customer: grounding.customer, series: [], passages, orders: [], promotions: [], reviews: [], degraded: [], links: grounding.links, question: { text, context } }];
  }
  // ...and a title asked for in another language ("do you sell X in English?"): the store's Japanese editions said first.
  else if (!grounding.comparison) editionLanguageFirst(lk, grounding, text, questions, language, history);
  // "How many parts does JoJo have?", 「ジョジョって何部まであるの」: every numbered part of the franchise found, in order.
  if (CATALOG_INTENTS.has(nlu.intent) && !compared && grounding.series.length > 0 && asksParts(text)) await partsOf(lk, grounding);
  // "Is there a sequel?", 「外伝は？」: the series the catalog links to the one found (or in play).
  else if (CATALOG_INTENTS.has(nlu.intent) && !compared && grounding.series.length > 0 && asksSpinOffs(text)) await spinOffsOf(lk, grounding, asksSequelPlans(text));
  // The card gate: every series the model sees, and so every card, passes the audience rule
  // the answer text is checked by, whichever lookup put it there.
  grounding.series = grounding.series.filter((s) => visible(s.series, req.customer));
  // "The next volume", 「最終巻」: a volume by its place in the series found.
  // ("Volume 2 of the newest one" after a comparison: "newest" picked the series, the volume is 2.)
  // Volumes asked in questions of their own about one series ("kingdom 77 price? and is 76 in stock?"): each answered.
  const apart = CATALOG_INTENTS.has(nlu.intent) && !compared && !twoTitles && grounding.requestedVolumes === undefined ? volumesOfQuestions(questions) : undefined;
  if (apart) [grounding.requestedVolume, grounding.requestedVolumes] = [apart[0], apart];
  // ...and the volume of another title asked in a question of its own (secondTitle).
  if (secondTitle && !twoTitles && !apart && grounding.series.length > 0) {
    await otherTitle(lk, grounding, secondTitle, ageGate);
    if (grounding.also?.[0]?.series[0]?.series.id === grounding.series[0].series.id) grounding.also.shift();
  }
  let volumeRef = reference.volumeRef ?? (reference.pick && reference.volume !== undefined ? undefined : entities.volumeRef);
  // "Any new yotsuba coming?": something new of the one series found, still to come, is its next volume.
  if (volumeRef === undefined && entities.volume === undefined && reference.volume === undefined && grounding.series.length === 1 && asksNewComing(text)) volumeRef = 'next';
  // Where the customer is ("I'm on vol 10, what's next?", 「10巻まで読んだけど次は？」): the next volume is the one after it.
  const position = volumeRef === 'next' ? readingPosition(text) : undefined;
  // 「ガンツの続き買いたいんだけど4巻ある？」: the volume named is the one asked; 続き only says why.
  if (volumeRef === 'next' && position === undefined && entities.volume !== undefined && continuesWithVolume(text)) volumeRef = undefined;
  if (volumeRef && CATALOG_INTENTS.has(nlu.intent) && !compared) volumeAsked(lk, grounding, volumeRef, position ?? reference.previousVolume);
  // "When did volume 1 come out? and when's the next one?": the volume one question names and the one
  // another asks by its place, both answered (not the named one dropped for the next).
  if (volumeRef && CATALOG_INTENTS.has(nlu.intent) && !compared && position === undefined && questions.length > 1 && grounding.requestedVolume !== undefined && grounding.requestedVolumes === undefined && !grounding.volumeAsked?.none) {
    const named = questions.map((q) => deps.extractEntities(q, language)).find((e) => e.volumeRef === undefined && e.volume !== undefined && e.volume !== grounding.requestedVolume)?.volume;
    if (named !== undefined) grounding.requestedVolumes = [named, grounding.requestedVolume].sort((a, b) => a - b);
  }
  // "And the rest?", 「残りの巻は？」 right after one volume of the series found: every volume after it that is out.
  // (Not the rest of the story, nor whether the rest is finished: 'is the rest of it finished?' asks the status.)
  if (CATALOG_INTENTS.has(nlu.intent) && !compared && grounding.series[0] && asksTheRest(text) && !asksSeriesStatus(text) && !asksVolumeCount(text) && !/\bstory\b|話|あらすじ/.test(text)) restAfter(lk, grounding, volumeOfLastAnswer(history, grounding.series[0].series.id));
  // ("Blue Box 21", 「ブルーボックス」: the box of the series' own name asks no box set.)
  const formatSaid = reference.format ?? entities.format;
  if (!grounding.requestedFormat && formatSaid && !formatOnlyInTitle(text, formatSaid, grounding.series[0]?.series)) grounding.requestedFormat = formatSaid;
  // "How much for all of them?", 「全巻でいくら？」: every volume at once — in the format asked
  // ("the whole series on kindle"), not its latest volume; a box set asked for is still its box sets.
  // So is "which is cheaper, print or digital?" of a series with no volume asked or in play: their totals.
  // 「1巻から全部そろえるといくら？」: the first volume is where the whole series starts, not the volume asked.
  if (entities.wholeSeries && grounding.requestedVolume === 1 && grounding.requestedVolumes === undefined && (reference.volume ?? 1) === 1 && fromFirstVolume(text)) delete grounding.requestedVolume;
  const cheaper = CATALOG_INTENTS.has(grounding.intent) && !compared && grounding.series.length > 0 && asksWhichCheaper(text);
  // "What if I only buy the ones in stock?" about a series: the whole series narrowed to the volumes in stock.
  const inStockOnly = CATALOG_INTENTS.has(nlu.intent) && nlu.intent !== 'recommendation' && !compared && grounding.series.length > 0 && asksInStockOnly(text);
  if (inStockOnly) {
    delete grounding.requestedVolume;
    delete grounding.requestedVolumes;
    grounding.inStockOnly = true;
  }
  const whole = (entities.wholeSeries || every === 'all' || cheaper || inStockOnly) && CATALOG_INTENTS.has(nlu.intent) && grounding.requestedVolume === undefined;
  // 「全部で何巻？完全版もある？」: how long the series is and whether that edition is sold — no volume of it (compose says which).
  const editionBeside = nlu.intent === 'product_question' && questions.length > 1 && questions.some((q) => COUNT_ASKED.test(q.toLowerCase()));
  if (grounding.requestedFormat && grounding.requestedVolume === undefined && CATALOG_INTENTS.has(nlu.intent) && (!whole || grounding.requestedFormat === 'box_set') && !editionBeside) formatAsked(lk, grounding);
  if (whole && grounding.requestedVolume === undefined) grounding.wholeSeries = true;
  if ((grounding.requestedVolumes?.length ?? 0) > 1 && SUM_ASKED.test(text.toLowerCase())) grounding.sumAsked = true;
  // "Is the box set cheaper than buying the 12 volumes separately?", "which volumes are out of stock?": the numbers are counts.
  // "How much are volumes 1, 2 and 3 together, bought as single volumes?": those volumes, one by one in print (not the whole series).
  const singlesListed = every === 'singles' && (grounding.requestedVolumes?.length ?? 0) > 1 && grounding.requestedFormat !== 'box_set';
  if (singlesListed && CATALOG_INTENTS.has(nlu.intent) && !compared) grounding.requestedFormat = 'tankobon';
  if (((every === 'singles' && !singlesListed) || every === 'soldOut') && CATALOG_INTENTS.has(nlu.intent) && !compared) {
    grounding.wholeSeries = true;
    // (Asked with the total, 「全巻揃えたらいくら？在庫ない巻ある？」, the total leads and names the sold-out volumes.)
    if (every === 'soldOut' && !(entities.wholeSeries && TOTAL_ASKED.test(text.toLowerCase()))) grounding.soldOutAsked = true;
    delete grounding.requestedVolume;
    delete grounding.requestedVolumes;
    delete grounding.volumeAsked;
  }
  // "Is digital cheaper?", "the cheapest way to get all of them": the ways to buy compared, cheapest first.
  if (cheaper) {
    grounding.cheaperAsked = true;
    const weighed = formatsWeighed(text);
    if (weighed.length > 1) grounding.cheaperOf = weighed;
  }
  // Tier 3 extras that depend on the series found: promotions and reviews for them.
  if (grounding.series.length > 0 && nlu.intent !== 'recommendation') {
    if (tier3) await enrich(lk, grounding);
    else {
      // Invisible to the customer, as when they fail (see enrich), but counted.
      for (const dependency of ['reviews', 'promotions'] as const) {
        shed(deps, dependency);
        deps.onFallback?.(dependency);
      }
    }
  }
  // "How many points would Blue Lock 1-2 earn me?" read as a price question: the points too, after the prices.
  if (tier3 && CATALOG_INTENTS.has(grounding.intent) && grounding.series.length === 1 && asksPointsEarned(text)) await pointsEstimateLookup(lk, grounding, grounding.series[0].series.id, text, language, history, grounding.promotions);
  // "Put me down for it", 「9巻を予約したいです」: the order already holding that volume, or how to preorder it.
  if (CATALOG_INTENTS.has(grounding.intent) && !compared && (asksToBuy(text) || (namedAsOrdered && req.customer.kind !== 'guest'))) await purchaseLookup(lk, grounding);
  stopwatch.record('gather', performance.now() - gatherStarted);
  return { grounding, ageGate, wish, handoffOpened };
}

/** A message that searches for manga (a kind, a plot): a title question, whatever store words it uses. */
const SEARCHES_MANGA = /\bmanga\b|\bcomics?\b|\bseries\b|\btitles?\b|漫画|マンガ|作品|シリーズ/i;

/**
 * What the store's search page is asked for in a fallback link: the title asked about, or for a
 * recommendation the genres and themes asked for ("recommend me some manga" must not search "some").
 */
function searchQuery(intent: Intent, text: string, entities: Entities): string {
  if (intent === 'recommendation') return [...entities.genres, ...entities.themes, ...(entities.demographic ? [entities.demographic] : [])].join(' ');
  return titleQuery(text) || text;
}

/** The one volume of `seriesId` the last answer was about ("do you have Frieren vol 4?"), if any. */
function volumeOfLastAnswer(history: StoredMessage[], seriesId: string): number | undefined {
  const last = history.at(-1);
  return last?.role === 'assistant' && last.about?.focus === seriesId && last.about.volumes === undefined ? last.about.volume : undefined;
}
