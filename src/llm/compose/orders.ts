/** order_status: sign-in prompt, outage fallback, unknown order number, or the status of the customer's orders. */
import type { Order, OrderLine } from '../../orders/types.ts';
import type { Composer, ComposeContext } from './context.ts';
import { policyLines } from './faq.ts';
import { composeEscalation } from './conversation.ts';
import { conceptsOf, orderPolicyQuestion } from '../../retrieval/policy-sections.ts';
import { asksAddressChange, asksArrival, asksCarrier, asksOrderAddition, asksPointsEarned, asksWhereItIs, isLate, isOpen, saysLate } from '../../orders/order-match.ts';

const MAX_OTHER_ORDERS = 2;
/** "How many … did I order?", 「何冊」: the quantity of the series named is the answer. */
const HOW_MANY = /how many|how much of|quantity|何冊|何点|何個|いくつ|何巻分/i;
const DAY_MS = 86_400_000;
/** Orders holding the title named that are described in full; more are listed by number. */
const MAX_NAMED_SHOWN = 3;

/** An order line as the customer reads it: the catalog's Japanese title for a Japanese customer. */
function itemTitle(ctx: ComposeContext, l: OrderLine): string {
  const { g, m } = ctx;
  if (g.language === 'ja' && l.item?.titleJa) return m.itemName(l.item.titleJa, l.item.volume, l.item.format);
  return l.title;
}

/** One order: what it holds, its status, and what that means for the customer (when it arrives, where to track it). */
export function orderLines(ctx: ComposeContext, o: Order): string[] {
  const { g, m } = ctx;
  // Every line with its quantity: what the order holds is often the question, and a cut list hides it.
  const items = o.lines.map((l) => m.orderItem(itemTitle(ctx, l), l.quantity));
  const lines = [m.orderSummary(o.id, m.date(o.placedAt), m.list(items), m.yen(o.totalJpy), m.orderStatus(o.status))];
  if (o.status === 'delivered' && o.deliveredAt) {
    lines.push(m.orderDelivered(m.date(o.deliveredAt)));
    // "Which carrier was it?" of a delivered order: still answered.
    const shipping = asksCarrier(g.text) ? m.orderShipping(o.carrier, o.trackingNumber) : undefined;
    if (shipping) lines.push(shipping);
  }
  else if (o.status === 'shipped' || o.status === 'out_for_delivery' || o.status === 'processing') {
    const shipping = m.orderShipping(o.carrier, o.trackingNumber);
    if (shipping) lines.push(shipping);
    // Past its estimated date and not delivered: said to be late, with what to do about it.
    if (o.estimatedDelivery && isLate(o, ctx.today)) {
      const days = Math.round((Date.parse(ctx.today) - Date.parse(o.estimatedDelivery.slice(0, 10))) / DAY_MS);
      lines.push(m.orderLate(m.date(o.estimatedDelivery), days, g.links.support));
    } else if (o.estimatedDelivery) lines.push(m.orderEta(m.date(o.estimatedDelivery)));
    if (o.status !== 'processing') lines.push(m.orderTrack(g.links.orderTracking));
  } else if (o.status === 'pending_payment') lines.push(m.orderAwaitingPayment);
  else if (o.status === 'cancelled') lines.push(m.orderCancelledNote);
  else if (o.status === 'returned') lines.push(m.orderReturnedNote);
  // "Which carrier was it?" of a returned order: still answered.
  if ((o.status === 'returned' || o.status === 'cancelled') && asksCarrier(g.text)) {
    const shipping = m.orderShipping(o.carrier, o.trackingNumber);
    if (shipping) lines.push(shipping);
  }
  return lines;
}

/** Asks where an order is, when it comes, or says it has not come (not a rule of orders: "can I cancel it?"). */
function WHERE_OR_WHEN(text: string): boolean {
  return asksWhereItIs(text) || asksArrival(text) || saysLate(text) || /\b(?:status|update)\b|状況|どうなって/i.test(text.normalize('NFKC'));
}

/** Newest first: the order the customer most likely means leads. */
function newestFirst(orders: Order[]): Order[] {
  return [...orders].sort((a, b) => (a.placedAt < b.placedAt ? 1 : a.placedAt > b.placedAt ? -1 : 0));
}

/**
 * Status of the order the customer named (by number, or by a series it holds — every such order,
 * newest first), else of the most recent one with a short list of the rest. A series none of
 * their orders holds is said so before their latest orders are listed.
 */
export const composeOrderStatus: Composer = (ctx) => {
  const { g } = ctx;
  // (None of theirs in the state asked: the latest listed are no order the question is about.)
  const order = g.ordersAsked === 'noneInStatus' || g.ordersAsked === 'noneInPeriod' ? undefined : g.ordersAsked === 'arriving' ? g.orders[0] : newestFirst(g.orders)[0];
  // The policy part is read for the order's status, as it was looked up ("still cancel?" of a
  // processing order); a guest, who sees no order, still gets the policy they asked about.
  const policy = g.needsSignIn
    ? policyLines(ctx, 1, orderPolicyQuestion(g.text) ?? g.text)
    : order && !g.unknownOrderId
      ? policyLines(ctx, 1, orderPolicyQuestion(g.text, order.status))
      : [];
  const lines = orderAnswer(ctx);
  // "Can I cancel it?", "can I still change the address?" of one order: the answer for that order
  // (by its status) right after it is described, before the page's rules.
  const verdict = order && !g.needsSignIn && !g.unknownOrderId && !g.degraded.includes('orders') ? orderVerdict(ctx, order) : undefined;
  if (verdict) {
    const at = lines.findIndex((l) => l.includes(order!.id));
    lines.splice(at < 0 ? lines.length : at + 1, 0, verdict);
  }
  return [...lines, ...policy];
};

/** Whether the order can be cancelled or re-addressed, when the question asks that of it. */
function orderVerdict(ctx: ComposeContext, o: Order): string | undefined {
  const { g, m } = ctx;
  const asked = conceptsOf(g.text, true);
  const shipped = o.status !== 'pending_payment' && o.status !== 'processing';
  if (asksAddressChange(g.text)) return o.status === 'cancelled' || o.status === 'returned' ? m.orderCancellable(o.status) : m.orderAddressChange(shipped, g.links.support);
  // "Can I add another book to it?": the help pages have no way to add to a placed order — a new order (its shipping by tier) or support.
  if (asksOrderAddition(g.text)) return o.status === 'cancelled' || o.status === 'returned' ? m.orderCancellable(o.status) : m.orderAddition(shipped, g.customer.kind === 'prime', g.links.support);
  // "Did I get points for it?", 「ポイントってもう付いてる？」: whether this order's points are in, by its status.
  if (asksPointsEarned(g.text) && !asked.has('cancel') && !asked.has('returns')) {
    const digital = o.lines.every((l) => l.item?.format === 'digital');
    if (digital && o.status !== 'cancelled' && o.status !== 'returned' && o.status !== 'pending_payment') return m.orderPoints('digital');
    if (o.status === 'delivered') return m.orderPoints('added');
    if (isOpen(o) && o.status !== 'pending_payment') return m.orderPoints('on-delivery');
    return undefined;
  }
  if (!asked.has('cancel') || asked.has('automatic')) return undefined;
  // A delivered e-book order is not returned like a book: digital editions cannot be cancelled once paid for (the digital page: non-refundable but for a defect).
  if (o.status === 'delivered' && o.lines.length > 0 && o.lines.every((l) => l.item?.format === 'digital')) return m.orderCancellable('digital');
  if (o.status === 'cancelled' || o.status === 'returned' || o.status === 'delivered') return m.orderCancellable(o.status);
  if (shipped) return m.orderCancellable('shipped');
  return o.lines.every((l) => l.item?.format === 'digital') ? m.orderCancellable('digital') : m.orderCancellable('yes');
}

/** The order part of the answer; the policy the question also asks about ("can I still cancel it?") follows it. */
function orderAnswer(ctx: ComposeContext): string[] {
  const { g, m } = ctx;
  if (g.needsSignIn) return [m.signIn(g.links.orderTracking)];
  if (g.degraded.includes('orders')) return [m.ordersDown(g.links.orderTracking)];
  // An order number that is not theirs gets no other detail: nothing about anyone's orders may leak.
  if (g.unknownOrderId) return [m.unknownOrder(g.unknownOrderId, g.links.orderTracking)];
  if (g.orders.length === 0) return [m.noOrders(g.links.orderTracking)];

  // Orders holding the title named come as the lookup ordered them: the ones with the volume asked about first, then newest first.
  // "When will my order arrive?": the ones still on their way first, as the lookup put them.
  const orders = g.orderNamed?.found || g.ordersAsked === 'arriving' ? g.orders : newestFirst(g.orders);
  if (g.orderNamed?.found) {
    const shown = orders.slice(0, MAX_NAMED_SHOWN);
    const lines = orders.length > 1 ? [m.ordersWith(g.orderNamed.title, orders.length)] : [];
    // "How many Chiikawa did I order?": the count comes first, order by order.
    const seriesId = g.orderNamed.seriesId;
    if (seriesId && HOW_MANY.test(g.text)) {
      const counts = shown.map((o) => ({ o, quantity: o.lines.filter((l) => l.item?.seriesId === seriesId).reduce((n, l) => n + l.quantity, 0) }));
      lines.unshift(...counts.filter((c) => c.quantity > 0).map((c) => m.orderQuantity(m.title(g.orderNamed!.title), c.quantity, c.o.id)));
    }
    lines.push(...shown.flatMap((o) => orderLines(ctx, o)));
    if (orders.length > shown.length) lines.push(m.otherOrders(orders.slice(shown.length).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
    return lines;
  }
  if (g.orderNamed) {
    return [m.noOrderWith(g.orderNamed.title), m.recentOrders(orders.slice(0, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status))))];
  }
  // "What did I order last month?": each order that fits described (a few), the rest by number.
  if (g.ordersAsked === 'picked' && g.ordersCount) {
    // "How many orders have I placed?": the count, then the newest described and the rest by number.
    const shown = orders.slice(0, 1);
    const lines = [m.ordersPlaced(orders.length), ...shown.flatMap((o) => orderLines(ctx, o))];
    if (orders.length > shown.length) lines.push(m.otherOrders(orders.slice(shown.length).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
    return lines;
  }
  if (g.ordersAsked === 'picked' && orders.length > 1) {
    const shown = orders.slice(0, MAX_NAMED_SHOWN);
    // "How much did I spend in total?" of the orders just listed: their sum first, then each with its own total.
    const sum = g.ordersSum ? [m.ordersSpent(m.yen(orders.reduce((n, o) => n + o.totalJpy, 0)), orders.length)] : [];
    const lines = [...sum, m.ordersPicked(orders.length), ...shown.flatMap((o) => orderLines(ctx, o))];
    if (orders.length > shown.length) lines.push(m.otherOrders(orders.slice(shown.length).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
    return lines;
  }
  // "My order from the 31st" with none of theirs placed then: said so, and their latest listed.
  if (g.ordersAsked === 'noneInPeriod') return [m.noOrdersThen, m.recentOrders(orders.slice(0, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status))))];
  // "Anything pending payment?" with none of theirs in that state: said so, and their latest listed.
  if (g.ordersAsked === 'noneInStatus' && g.statusAsked) return [m.noOrdersInStatus(m.orderStatus(g.statusAsked)), m.recentOrders(orders.slice(0, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status))))];
  // "Which of my orders haven't arrived?": each open one described, or that all of them have.
  if (g.ordersAsked === 'undelivered') {
    const open = orders.filter(isOpen);
    if (open.length === 0) return [m.allOrdersArrived, m.recentOrders(orders.slice(0, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status))))];
    const shown = open.slice(0, MAX_NAMED_SHOWN);
    const lines = [...(open.length > 1 ? [m.openOrders(open.length)] : []), ...shown.flatMap((o) => orderLines(ctx, o))];
    if (open.length > shown.length) lines.push(m.otherOrders(open.slice(shown.length).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
    return lines;
  }
  const text = g.text.toUpperCase();
  const named = orders.filter((o) => text.includes(o.id.toUpperCase()));
  const focus = named.length ? named : orders.slice(0, 1);
  const lines = focus.flatMap((o) => orderLines(ctx, o));
  if (named.length === 0 && orders.length > 1) {
    // "Where is my order?", "when will it come?" with more than one of theirs still on its way: the
    // latest leads, and each other one on its way is described too (where it is, its tracking), not only listed.
    const others = orders.slice(1, 1 + MAX_OTHER_ORDERS);
    // (Not when one kind of order is asked about: "will my preorder arrive on release day?")
    const onItsWay = WHERE_OR_WHEN(g.text) && !conceptsOf(g.text, true).has('preorder') ? others.filter(isOpen) : [];
    if (onItsWay.length > 0) lines.push(m.alsoOnItsWay(onItsWay.length), ...onItsWay.flatMap((o) => orderLines(ctx, o)));
    const rest = others.filter((o) => !onItsWay.includes(o));
    if (rest.length > 0) lines.push(m.otherOrders(rest.map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
  }
  return lines;
}

/**
 * escalation: the handoff reply, and when the request is about one of the customer's orders (named,
 * the one the conversation is on, or the late one they complain about) the order handed over with it.
 */
export const composeOrderEscalation: Composer = (ctx) => {
  const { g, m } = ctx;
  const lines = composeEscalation(ctx);
  const order = g.orders[0];
  if (!g.handoff || !order) return lines;
  const late = order.estimatedDelivery && isLate(order, ctx.today) ? m.date(order.estimatedDelivery) : undefined;
  lines.push(m.handoffOrder(order.id, m.orderStatus(order.status), late));
  return lines;
};
