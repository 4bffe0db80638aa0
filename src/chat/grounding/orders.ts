// The customer's orders an order question (or a policy question about their order) is about:
// only ever shown to their owner; named by number, by the title they hold, or the one in play.
import type { Series } from '../../catalog/types.ts';
import type { Grounding } from '../../llm/types.ts';
import { storeDate } from '../../llm/compose/index.ts';
import { asksAddressChange, asksAllInStatus, asksArrival, asksOrderCount, asksOrdersInStatus, asksWhichOrders, asksUndelivered, isLate, isOpen, newestFirst, orderByTracking, orderCarrierPicked, orderKindPicked, orderPeriod, orderPricePicked, orderStatusPicked, orderTitleAndVolume, orderTitleQuery, ordersNamed, saysLate, type OrderItem } from '../../orders/order-match.ts';
import type { Order } from '../../orders/types.ts';
import { conceptsOf, orderPolicyQuestion } from '../../retrieval/policy-sections.ts';
import type { ScoredDoc } from '../../retrieval/types.ts';
import type { Entities, Language } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import type { Lookup } from './lookup.ts';
import { NAMED_SERIES_SCORE, STRONG_TITLE_SCORE, localTitle, seriesNamed } from './series.ts';

/** Orders an order question looks through for the title named (a customer's history). */
const ORDER_HISTORY = 50;
// Asking whether they ordered something before: "did I already order …?", 「…って前に注文したっけ？」.
const ASKED_IF_ORDERED = /\b(?:did|have) i (?:already |ever |previously )?(?:order|ordered|buy|bought|purchase|purchased|get)\b|\bi(?:'ve| have) (?:already )?(?:ordered|bought) (?:it|this|that|them)\b|(?:注文|購入|予約)(?:した|して(?:い|)る|済み)(?:っけ|か|の|でしょうか)|買った(?:っけ|かな)|頼んだ(?:っけ|かな)/i;

// An order by its place among theirs: "my previous order", "the one before that", 「その前の注文」, "my first order", 「最初の注文」.
const PREVIOUS_ORDER = /\b(?:previous|prior|earlier) (?:order|one|purchase)\b|\b(?:last but one|second[- ]to[- ]last|second (?:latest|newest|most recent))\b|\bthe (?:one|order) before(?: that| it| this)?\b|\bbefore that one\b|その前(?:の(?:注文|やつ|は|分)|は)|(?:一つ|ひとつ|一個)前の(?:注文|やつ|は)|前回の注文|前の注文/i;
const FIRST_ORDER = /\b(?:very first|first ever|oldest|earliest) (?:order|purchase)|\bfirst (?:order|purchase) (?:i|ever)\b|\bmy first (?:order|purchase)\b|最初の注文|初めての注文|一番古い注文|いちばん古い注文/i;

/** Which of their orders a message points at by its place, if it does: the one before (the one in play, else the latest), or the first. */
export function orderPosition(text: string): 'previous' | 'first' | undefined {
  const t = text.normalize('NFKC');
  if (FIRST_ORDER.test(t)) return 'first';
  return PREVIOUS_ORDER.test(t) ? 'previous' : undefined;
}

// "Which order had Dandadan vol 20 in it?", 「ダンダダン20巻ってどの注文に入ってた？」: asking which of their orders holds something.
const WHICH_ORDER_HELD = /\bwhich (?:order|purchase)s? (?:had|has|have|contained|contains|included|includes|was|were|with)\b|\bwhat order (?:had|has|was|with)\b|どの注文/i;

/** True when the message asks whether the customer ordered something before. */
export function asksIfOrdered(text: string): boolean {
  const t = text.normalize('NFKC');
  return ASKED_IF_ORDERED.test(t) || WHICH_ORDER_HELD.test(t);
}

const MONTHS_EN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The month a message places an order in ("my order from October", 「10月の注文」), 1-12. */
function monthNamed(text: string): number | undefined {
  const t = text.normalize('NFKC').toLowerCase();
  const en = /\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b/.exec(t);
  if (en && (en[0] !== 'may' || /\b(?:in|from|of|since) may\b/.test(t))) return MONTHS_EN.indexOf(en[0].slice(0, 3)) + 1;
  const ja = /(?<!\d)(1[0-2]|[1-9])\s*月/.exec(t);
  return ja ? Number(ja[1]) : undefined;
}

// Asking for their orders in general ("my other orders", "all my orders", 「注文履歴」), not about the one in play.
const ASKS_ORDER_LIST = /\b(?:orders|other|others|(?<!\bat )all|latest|newest|recent|last order|previous order)\b|一覧|履歴|他の注文|ほかの注文|別の注文|全部|最新|最近|前の注文/i;
// The other one of theirs than the order in play ("and the other one?", 「もう一個の方は？」「別のやつは？」); not "my other orders" (a list).
const OTHER_ONE = /\bthe other (?:one|order)\b|もう(?:一|1|ひと)(?:つ|個|こ)(?:の(?:方|ほう|やつ|注文)|は|って)|(?:他|ほか|別)の(?:方|ほう|やつ)/i;
// The thing the conversation is on, pointed back at ("where is it?", "I ordered them", 「それ注文したんだけど」).
const REFERS_BACK = /\b(?:it|them|that|those|this|these)\b|それ|あれ|これ/i;
/** Orders shown when none is named: the latest and a short list of the others. */
const RECENT_ORDERS = 3;

/**
 * Order data is only ever shown to its owner: guests are asked to sign in. An order number
 * wins; a series named ("the Vinland Saga order", 「ドラゴンボールの注文」) shows the orders of
 * theirs that hold it — or says none does; otherwise their latest orders.
 */
export async function findOrders(lk: Lookup, g: Grounding, entities: Entities, text: string, opts: { namedOnly?: boolean; own?: boolean; inPlay?: string; seriesInPlay?: string; volumeInPlay?: number; item?: { series: string[]; volume?: number; ordered: boolean }; summed?: string[] } = {}): Promise<void> {
  const { deps, guard, fellBack, visible, now, policySections, ctx, customer } = lk;
  const customerId = customer.customerId;
  if (opts.namedOnly && !customerId) return;
  if (customer.kind === 'guest' || !customerId) {
    g.needsSignIn = true;
    // No order to show, but the policy they asked about ("can I still cancel if it has not shipped?") is everyone's.
    const question = policySections ? orderPolicyQuestion(text) : undefined;
    if (question) g.passages = policySections!.rank({ text: question, language: g.language }, 2);
    return;
  }
  const r = await callDependency(guard('orders'), deps.deadlines.orders, ctx, async (signal) => {
    if (entities.orderId) {
      const one = await deps.orders.getForCustomer(customerId, entities.orderId, { signal });
      if (one) return { orders: [one], unknown: undefined };
      return { orders: await deps.orders.listForCustomer(customerId, { signal, limit: RECENT_ORDERS }), unknown: entities.orderId };
    }
    return { orders: await deps.orders.listForCustomer(customerId, { signal, limit: ORDER_HISTORY }), unknown: undefined };
  });
  if (!r.ok) {
    fellBack(g, 'orders');
    return;
  }
  g.unknownOrderId = r.value.unknown;
  const items = await orderItems(lk, r.value.orders);
  if (entities.orderId) {
    g.orders = withItems(r.value.orders, items);
    if (!g.unknownOrderId && g.orders[0]) g.passages = orderPolicy(lk, text, g.orders[0], g.language);
    return;
  }
  const mine = newestFirst(r.value.orders);
  // "How much did I spend in total?" right after several of theirs were listed: those orders, summed.
  const summed = opts.summed ? mine.filter((o) => opts.summed!.includes(o.id)) : [];
  if (summed.length > 1) {
    g.orders = withItems(summed, items);
    g.ordersAsked = 'picked';
    g.ordersSum = true;
    return;
  }
  // "My previous order", "and the one before that?" (after the order in play), "my very first order": that one.
  const position = opts.namedOnly || opts.item ? undefined : orderPosition(text);
  if (position && mine.length > 0) {
    const from = Math.max(0, mine.findIndex((o) => o.id === opts.inPlay));
    const o = position === 'first' ? mine[mine.length - 1] : mine[Math.min(from + 1, mine.length - 1)];
    g.orders = withItems([o], items);
    g.passages = orderPolicy(lk, text, o, g.language);
    return;
  }
  // A tracking number given back ("tracking 592604118833 - where is it?", 「追跡番号438233608147の荷物」):
  // the order of theirs it belongs to (another customer's number matches none of theirs).
  // Picked by its carrier ("the sagawa one", 「日本郵便で届く予定の注文」: the newest such one still on
  // its way, else the newest) or by what it cost ("the expensive one", 「一番安い注文」).
  const carrier = opts.namedOnly || opts.item ? undefined : orderCarrierPicked(text);
  const byCarrier = carrier ? [...mine.filter((o) => o.carrier === carrier && isOpen(o)), ...mine.filter((o) => o.carrier === carrier && !isOpen(o))] : [];
  // "Which orders came by Yamato?": every one of theirs it carried.
  if (byCarrier.length > 1 && asksWhichOrders(text)) {
    g.orders = withItems(byCarrier, items);
    g.ordersAsked = 'picked';
    g.passages = orderPolicy(lk, text, byCarrier[0], g.language);
    return;
  }
  const price = opts.namedOnly || opts.item ? undefined : orderPricePicked(text);
  const byPrice = price && mine.length > 0 ? [...mine].sort((a, b) => (price === 'most' ? b.totalJpy - a.totalJpy : a.totalJpy - b.totalJpy))[0] : undefined;
  const pickedOne = orderByTracking(text, mine) ?? byCarrier[0] ?? byPrice;
  if (pickedOne) {
    g.orders = withItems([pickedOne], items);
    g.passages = orderPolicy(lk, text, pickedOne, g.language);
    return;
  }
  // "The one that shipped", 「発送済みのほう」: the newest of theirs in that state; "what's still
  // processing?", "anything pending payment?": every one of theirs in it, newest first.
  const statuses = opts.namedOnly || opts.item ? undefined : orderStatusPicked(text);
  const inStatus = statuses ? mine.filter((o) => statuses.includes(o.status)) : [];
  if (inStatus.length > 0) {
    const shown = asksAllInStatus(text) ? inStatus : inStatus.slice(0, 1);
    g.orders = withItems(shown, items);
    if (shown.length > 1) g.ordersAsked = 'picked';
    g.passages = orderPolicy(lk, text, shown[0], g.language);
    return;
  }
  // "Do I have anything pending payment?", 「キャンセルした注文ある？」 with none of theirs in that state: said so, with their latest.
  if (statuses && asksOrdersInStatus(text) && asksWhichOrders(text) && mine.length > 0) {
    g.orders = withItems(mine.slice(0, RECENT_ORDERS), items);
    g.ordersAsked = 'noneInStatus';
    g.statusAsked = statuses[0];
    return;
  }
  // "It says delivered but there's nothing here", 「配達済みになってるのに荷物がない」: the parcel the
  // tracking calls delivered, their newest delivered order — not their latest, still being prepared.
  const saidDelivered = !statuses && !opts.namedOnly && !opts.item && saysDeliveredButMissing(text) ? mine.find((o) => o.status === 'delivered') : undefined;
  if (saidDelivered) {
    g.orders = withItems([saidDelivered], items);
    g.passages = orderPolicy(lk, text, saidDelivered, g.language);
    return;
  }
  // None of theirs in that state, and a rule asked of orders in it (「もう発送済みの注文ってキャンセルできますか」
  // with nothing shipped): the rule for that state, not their latest order in another one.
  const asked = statuses && policySections ? orderPolicyQuestion(text, statuses[0]) : undefined;
  if (asked && orderPolicyQuestion(text) !== undefined) {
    g.intent = 'faq';
    g.passages = policySections!.rank({ text: asked, language: g.language }, 2);
    return;
  }
  // The volume named beside the title ("my order with Frieren 14 in it", 「フリーレンの13巻を頼んだ注文」).
  const volumeNamed = entities.volume ?? orderTitleAndVolume(text).volume;
  // When it was placed or what it held ("what did I order back in October? the one with the box
  // sets", 「10月に買ったフリーレンと薬屋の注文」, 「電子版の注文」): only the orders of theirs that fit
  // (none fits: the words pick nothing, and the rest of the question is answered as before).
  const picked = opts.namedOnly || opts.item ? undefined : pickedByWhenOrKind(text, mine, items, storeDate(now()));
  let named = ordersNamed(text, mine, items);
  if (opts.item) {
    // An item of theirs asked about while their orders are in play (「フリーレンの15巻の方は？」): the
    // series the catalog lookup found for the message...
    named = ordersNamed(text, mine, items, opts.item.series);
    // ...only the orders holding that very volume, or any holding the series when the message speaks of an order.
    const volume = opts.item.volume;
    const holds = (o: Order) => o.lines.some((l) => { const it = items.get(l.productId); return it !== undefined && named.seriesIds.includes(it.seriesId) && it.volume === volume; });
    named = { ...named, orders: volume !== undefined ? named.orders.filter(holds) : opts.item.ordered ? named.orders : [] };
  }
  if (opts.namedOnly) {
    named = { ...named, orders: preferred(named.orders, named.seriesIds, items, opts.item?.volume ?? volumeNamed, text) };
    // Only an order the message is about: named by title, the one in play, or — for "it's late" —
    // the ones past their estimated date. Nothing else: the question stays a policy question.
    const inPlay = mine.find((o) => o.id === opts.inPlay);
    const late = saysLate(text) ? mine.filter((o) => isLate(o, storeDate(now()))) : [];
    // "Can I cancel the one I ordered before?", "the book that arrived was torn": an order of theirs
    // named by what the policy asked applies to (an open one to cancel, a delivered print one to return).
    const meant = opts.own ? orderMeant(text, mine, items) : undefined;
    const orders = named.orders.length > 0 ? named.orders : inPlay ? [inPlay] : late.length > 0 ? late : meant ? [meant] : [];
    if (orders.length === 0) return;
    g.orders = withItems(orders, items);
    if (named.orders.length > 0) {
      const series = named.seriesIds[0] ? await seriesNamed(lk, named.seriesIds[0]) : undefined;
      g.orderNamed = { title: series ? localTitle(series, g.language) : orderTitleQuery(text), found: true, ...(series ? { seriesId: series.id } : {}) };
    }
    return;
  }
  // Not named word for word: a fuzzy title search (typos, kana spellings) over the catalog.
  let searchedTop: Series | undefined;
  const query = named.orders.length === 0 ? orderTitleQuery(withoutWhenOrKind(text)) : '';
  if (query) {
    const hits = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, (signal) => deps.catalog.searchSeries(query, { signal, limit: 3 }));
    if (hits.ok) {
      const found = hits.value.filter((h) => h.score >= NAMED_SERIES_SCORE);
      named = ordersNamed(text, mine, items, found.map((h) => h.series.id));
      if (hits.value[0] && hits.value[0].score >= STRONG_TITLE_SCORE) searchedTop = hits.value[0].series;
    }
  }
  named = { ...named, orders: preferred(named.orders, named.seriesIds, items, volumeNamed, text) };
  // A title and a time named ("my Frieren order from October"): the orders holding it from then —
  // when they still hold every title named ("my Gantz order and the Haikyuu box sets one" names two orders, not the box set one).
  const narrowed = picked ? named.orders.filter((o) => picked.includes(o)) : [];
  const holdsAll = named.seriesIds.every((id) => narrowed.some((o) => o.lines.some((l) => items.get(l.productId)?.seriesId === id)));
  if (narrowed.length > 0 && holdsAll) named = { ...named, orders: narrowed };
  // Only a time or a kind named ("the one from last week", "the box set order"): the orders of theirs that fit.
  if (picked && named.orders.length === 0 && !searchedTop) {
    g.orders = withItems(picked, items);
    g.ordersAsked = 'picked';
    if (asksOrderCount(text)) g.ordersCount = true;
    g.passages = orderPolicy(lk, text, picked[0], g.language);
    return;
  }
  // "How many orders have I placed?", 「今まで何回注文した？」: all of theirs counted, each listed (newest first).
  if (named.orders.length === 0 && !searchedTop && asksOrderCount(text) && mine.length > 0) {
    g.orders = withItems(mine, items);
    g.ordersAsked = 'picked';
    g.ordersCount = true;
    return;
  }
  // A time named and none of theirs placed then ("where is my order from the 31st?", 「先週の注文」 with
  // nothing last week), and no title named: said so with their latest listed, not their latest
  // described as if it were the one meant.
  if (!picked && named.orders.length === 0 && !searchedTop && mine.length > 0 && orderPeriod(text, storeDate(now())) && !orderKindPicked(text)) {
    g.orders = withItems(mine.slice(0, RECENT_ORDERS), items);
    g.ordersAsked = 'noneInPeriod';
    return;
  }
  // "Which of my orders haven't arrived?", 「まだ届いていない注文ある？」: every open one of theirs (none: said so).
  if (named.orders.length === 0 && !searchedTop && asksUndelivered(text)) {
    const open = mine.filter(isOpen);
    g.orders = withItems(open.length > 0 ? open : mine.slice(0, RECENT_ORDERS), items);
    g.ordersAsked = 'undelivered';
    return;
  }
  // "And the other one?", 「もう一個の方は？」 after an order was shown: the newest of theirs besides it.
  const other = named.orders.length === 0 && !searchedTop && opts.inPlay && OTHER_ONE.test(text.normalize('NFKC')) ? (picked ?? mine).find((o) => o.id !== opts.inPlay) : undefined;
  if (other) {
    g.orders = withItems([other], items);
    g.passages = orderPolicy(lk, text, other, g.language);
    return;
  }
  // No title named and no order in play, but the title the conversation is on ("do you have Skip to
  // Loafer 11?" → "I ordered it already, where is it?"): the orders of theirs holding it, if any.
  if (named.orders.length === 0 && !searchedTop && !opts.inPlay && opts.seriesInPlay && REFERS_BACK.test(text.normalize('NFKC'))) {
    const held = ordersNamed('', mine, items, [opts.seriesInPlay]);
    const orders = preferred(held.orders, held.seriesIds, items, volumeNamed ?? opts.volumeInPlay, text);
    if (orders.length > 0) {
      g.orders = withItems(orders, items);
      const series = await seriesNamed(lk, opts.seriesInPlay);
      if (series) g.orderNamed = { title: localTitle(series, g.language), found: true, seriesId: series.id };
      g.passages = orderPolicy(lk, text, orders[0], g.language);
      return;
    }
  }
  // No title of theirs named, and not asking for their orders in general: the order the conversation is on, not the latest.
  const inPlay = named.orders.length === 0 && !searchedTop && !ASKS_ORDER_LIST.test(text.normalize('NFKC')) ? mine.find((o) => o.id === opts.inPlay) : undefined;
  if (inPlay) {
    g.orders = withItems([inPlay], items);
    g.passages = orderPolicy(lk, text, inPlay, g.language);
    return;
  }
  if (named.orders.length > 0) {
    g.orders = withItems(named.orders, items);
    const series = named.seriesIds[0] ? await seriesNamed(lk, named.seriesIds[0]) : undefined;
    g.orderNamed = { title: series ? localTitle(series, g.language) : orderTitleQuery(text), found: true, ...(series ? { seriesId: series.id } : {}) };
    g.passages = orderPolicy(lk, text, g.orders[0], g.language);
    return;
  }
  // "When will my order arrive?", 「注文した本はいつ届きますか」 naming none — or "my order still hasn't
  // come", 「この前頼んだ注文まだ届かない」: the orders still on their way first (newest first), not the
  // latest one, which may have arrived (a digital-only order never comes by post).
  // ...and "can I cancel my order?", "can I change the address of my order?" naming none: the ones not yet delivered first too (a delivered one cannot be).
  const arriving = (asksArrival(text) || saysLate(text) || conceptsOf(text, true).has('cancel') || asksAddressChange(text)) && !searchedTop;
  const recent = arriving ? [...mine.filter(isOpen), ...mine.filter((o) => !isOpen(o))] : mine;
  g.orders = withItems(recent.slice(0, RECENT_ORDERS), items);
  if (arriving) g.ordersAsked = 'arriving';
  // A real series they named that none of their orders holds: said so, never another order in its place.
  if (searchedTop && visible(searchedTop, customer)) g.orderNamed = { title: localTitle(searchedTop, g.language), found: false };
  else if (g.orders[0]) g.passages = orderPolicy(lk, text, g.orders[0], g.language);
}

/** The orders of theirs (newest first) placed when the message says or holding the kind it names; undefined when it names neither or none fits. */
function pickedByWhenOrKind(text: string, mine: Order[], items: ReadonlyMap<string, OrderItem>, today: string): Order[] | undefined {
  const period = orderPeriod(text, today);
  const kind = orderKindPicked(text);
  if (!period && !kind) return undefined;
  const formatOf = (l: Order['lines'][number]) => items.get(l.productId)?.format ?? (/\(digital\)/i.test(l.title) ? 'digital' : /box set/i.test(l.title) ? 'box_set' : /kanzenban/i.test(l.title) ? 'kanzenban' : 'tankobon');
  const fits = (span: typeof period) => (o: Order) => (!span || (o.placedAt.slice(0, 10) >= span.from && o.placedAt.slice(0, 10) <= span.to)) && (!kind || o.lines.some((l) => kind(formatOf(l))));
  // A day of the month alone ("the one from the 2nd") with none of theirs placed on it this month: last month's.
  const out = mine.filter(fits(period));
  const earlier = out.length === 0 && period?.earlier ? mine.filter(fits(period.earlier)) : [];
  return out.length > 0 ? out : earlier.length > 0 ? earlier : undefined;
}

// Words that place an order in time or name what kind of thing it held: no title to search for.
const WHEN_OR_KIND = /\b(?:back|in|from|during|since|last|this|previous|the \d{1,2}(?:st|nd|rd|th)?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|\d{1,2}(?:st|nd|rd|th)?|month|week|yesterday|box(?:ed)?[ -]?sets?|boxes|box|digital|e-?books?|kindle|kanzenban|print(?:ed)?|paperback|physical|paper|with|that|had)\b|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?(?:に|の|頃|ごろ)?|\d{1,2}\/\d{1,2}|先月|今月|先週|昨日|前の月|ボックス|BOX|全巻セット|電子版?|完全版|紙の|単行本|(?:入って(?:い)?た|だった|でした)(?:やつ|の|もの)?/gi;

/** The message without the words that place an order in time or name its kind (for the title search). */
function withoutWhenOrKind(text: string): string {
  return text.normalize('NFKC').replace(WHEN_OR_KIND, ' ');
}

// The tracking's "delivered" status, said of a parcel that is not there.
const SAYS_DELIVERED = /\bdelivered\b|配達済|配達完了|お届け済|届いた(?:こと)?に/i;

/** True when a customer reports a parcel marked delivered that they do not have. */
function saysDeliveredButMissing(text: string): boolean {
  const t = text.normalize('NFKC');
  return SAYS_DELIVERED.test(t) && conceptsOf(t, true).has('lost');
}

// A message that speaks of an order of theirs (not "can I return my manga if I don't like it?").
const SPEAKS_OF_AN_ORDER = /\b(?:orders?|ordered|purchase[ds]?|bought|arrived|received|came|delivered|placed)\b|注文|購入|買った|頼んだ|届いた|届いて|届き|来た/i;

/**
 * The order of theirs a policy question about "my order" / 「前に注文したやつ」 means when it names
 * none: to cancel or re-address, the newest one not yet delivered (else the newest); to return a
 * damaged or wrong book, the newest delivered order with a printed book in it (a digital-only
 * order holds no book that can be torn); a refund, the newest returned or cancelled one.
 */
function orderMeant(text: string, mine: Order[], items: ReadonlyMap<string, OrderItem>): Order | undefined {
  const t = text.normalize('NFKC');
  if (mine.length === 0 || !SPEAKS_OF_AN_ORDER.test(t)) return undefined;
  const asked = conceptsOf(t, true);
  if (asked.has('cancel') || asksAddressChange(t)) return mine.find(isOpen) ?? mine[0];
  const print = (o: Order) => o.lines.some((l) => (items.get(l.productId)?.format ?? (/\(digital\)|電子/i.test(l.title) ? 'digital' : 'tankobon')) !== 'digital');
  if (asked.has('damaged') || asked.has('wrong-item') || asked.has('returns')) return mine.find((o) => o.status === 'delivered' && print(o));
  if (asked.has('refund')) return mine.find((o) => o.status === 'returned' || o.status === 'cancelled');
  return undefined;
}

/**
 * Orders holding the title named, the one the customer means first: those holding the volume
 * asked about ("did I order Frieren volume 14 before?"), then those placed in the month named
 * ("my Frieren order from October"), else newest first as given.
 */
function preferred(orders: Order[], seriesIds: string[], items: ReadonlyMap<string, OrderItem>, volume: number | undefined, text: string): Order[] {
  if (orders.length < 2) return orders;
  const first = (out: Order[], keep: (o: Order) => boolean) => [...out.filter(keep), ...out.filter((o) => !keep(o))];
  let out = orders;
  const month = monthNamed(text);
  if (month !== undefined) out = first(out, (o) => Number(o.placedAt.slice(5, 7)) === month);
  if (volume !== undefined) out = first(out, (o) => o.lines.some((l) => { const it = items.get(l.productId); return it !== undefined && seriesIds.includes(it.seriesId) && it.volume === volume; }));
  return out;
}

/** The policy an order question also asks about ("can I still cancel it?"), read for the order's status. */
export function orderPolicy(lk: Lookup, text: string, order: Order, language: Language): ScoredDoc[] {
  const { policySections } = lk;
  const question = policySections ? orderPolicyQuestion(text, order.status) : undefined;
  return question ? policySections!.rank({ text: question, language }, 2) : [];
}

/** What each line of these orders is in the catalog (series, names, volume, format); best effort: empty when the catalog fails. */
async function orderItems(lk: Lookup, orders: Order[]): Promise<Map<string, OrderItem>> {
  const { deps, guard, ctx } = lk;
  const ids = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.productId)))];
  if (ids.length === 0) return new Map();
  const r = await callDependency(guard('catalog'), deps.deadlines.catalog, ctx, async (signal) => {
    const products = (await Promise.all(ids.map((id) => deps.catalog.getProduct(id, { signal })))).filter((p) => p !== undefined);
    const series = await deps.catalog.getSeriesMany([...new Set(products.map((p) => p.seriesId))], { signal });
    return { products, series: new Map(series.map((s) => [s.id, s])) };
  }, { segment: 'orderItems' });
  const out = new Map<string, OrderItem>();
  if (!r.ok) return out;
  for (const p of r.value.products) {
    const s = r.value.series.get(p.seriesId);
    if (!s) continue;
    const names = [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].filter((n): n is string => !!n);
    out.set(p.id, { seriesId: s.id, volume: p.volume, format: p.format, names, titleJa: s.titleJa });
  }
  return out;
}

/** Order lines with what the catalog says they are (for a Japanese customer's titles); the stored order is not changed. */
function withItems(orders: Order[], items: ReadonlyMap<string, OrderItem>): Order[] {
  return orders.map((o) => ({
    ...o,
    lines: o.lines.map((l) => {
      const item = items.get(l.productId);
      return item ? { ...l, item: { seriesId: item.seriesId, titleJa: item.titleJa, volume: item.volume, format: item.format } } : l;
    }),
  }));
}
