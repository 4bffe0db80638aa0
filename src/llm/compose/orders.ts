/** order_status: sign-in prompt, outage fallback, unknown order number, or the status of the customer's orders. */
import type { Order, OrderLine } from '../../orders/types.ts';
import type { Composer, ComposeContext } from './context.ts';
import { policyLines } from './faq.ts';
import { orderPolicyQuestion } from '../../retrieval/policy-sections.ts';

const MAX_ITEMS_LISTED = 3;
const MAX_OTHER_ORDERS = 2;
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
  const items = o.lines.slice(0, MAX_ITEMS_LISTED).map((l) => m.orderItem(itemTitle(ctx, l), l.quantity));
  if (o.lines.length > MAX_ITEMS_LISTED) items.push('…');
  const lines = [m.orderSummary(o.id, m.date(o.placedAt), m.list(items), m.yen(o.totalJpy), m.orderStatus(o.status))];
  if (o.status === 'delivered' && o.deliveredAt) lines.push(m.orderDelivered(m.date(o.deliveredAt)));
  else if (o.status === 'shipped' || o.status === 'out_for_delivery' || o.status === 'processing') {
    const shipping = m.orderShipping(o.carrier, o.trackingNumber);
    if (shipping) lines.push(shipping);
    if (o.estimatedDelivery) lines.push(m.orderEta(m.date(o.estimatedDelivery)));
    if (o.status !== 'processing') lines.push(m.orderTrack(g.links.orderTracking));
  } else if (o.status === 'pending_payment') lines.push(m.orderAwaitingPayment);
  else if (o.status === 'cancelled') lines.push(m.orderCancelledNote);
  else if (o.status === 'returned') lines.push(m.orderReturnedNote);
  return lines;
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
  const order = newestFirst(g.orders)[0];
  // The policy part is read for the order's status, as it was looked up ("still cancel?" of a
  // processing order); a guest, who sees no order, still gets the policy they asked about.
  const policy = g.needsSignIn
    ? policyLines(ctx, 1, orderPolicyQuestion(g.text) ?? g.text)
    : order && !g.unknownOrderId
      ? policyLines(ctx, 1, orderPolicyQuestion(g.text, order.status))
      : [];
  return [...orderAnswer(ctx), ...policy];
};

/** The order part of the answer; the policy the question also asks about ("can I still cancel it?") follows it. */
function orderAnswer(ctx: ComposeContext): string[] {
  const { g, m } = ctx;
  if (g.needsSignIn) return [m.signIn(g.links.orderTracking)];
  if (g.degraded.includes('orders')) return [m.ordersDown(g.links.orderTracking)];
  // An order number that is not theirs gets no other detail: nothing about anyone's orders may leak.
  if (g.unknownOrderId) return [m.unknownOrder(g.unknownOrderId, g.links.orderTracking)];
  if (g.orders.length === 0) return [m.noOrders(g.links.orderTracking)];

  const orders = newestFirst(g.orders);
  if (g.orderNamed?.found) {
    const shown = orders.slice(0, MAX_NAMED_SHOWN);
    const lines = orders.length > 1 ? [m.ordersWith(g.orderNamed.title, orders.length)] : [];
    lines.push(...shown.flatMap((o) => orderLines(ctx, o)));
    if (orders.length > shown.length) lines.push(m.otherOrders(orders.slice(shown.length).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
    return lines;
  }
  if (g.orderNamed) {
    return [m.noOrderWith(g.orderNamed.title), m.recentOrders(orders.slice(0, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status))))];
  }
  const text = g.text.toUpperCase();
  const named = orders.filter((o) => text.includes(o.id.toUpperCase()));
  const focus = named.length ? named : orders.slice(0, 1);
  const lines = focus.flatMap((o) => orderLines(ctx, o));
  if (named.length === 0 && orders.length > 1) {
    lines.push(m.otherOrders(orders.slice(1, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
  }
  return lines;
}
