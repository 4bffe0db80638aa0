/** order_status: sign-in prompt, outage fallback, unknown order number, or the status of the customer's orders. */
import type { Order } from '../../orders/types.ts';
import type { Composer, ComposeContext } from './context.ts';

const MAX_ITEMS_LISTED = 3;
const MAX_OTHER_ORDERS = 2;

function orderLines(ctx: ComposeContext, o: Order): string[] {
  const { m } = ctx;
  const items = o.lines.slice(0, MAX_ITEMS_LISTED).map((l) => m.orderItem(l.title, l.quantity));
  if (o.lines.length > MAX_ITEMS_LISTED) items.push('…');
  const lines = [m.orderSummary(o.id, m.date(o.placedAt), m.list(items), m.yen(o.totalJpy), m.orderStatus(o.status))];
  if (o.status === 'delivered' && o.deliveredAt) lines.push(m.orderDelivered(m.date(o.deliveredAt)));
  else if (o.status === 'shipped' || o.status === 'out_for_delivery' || o.status === 'processing') {
    const shipping = m.orderShipping(o.carrier, o.trackingNumber);
    if (shipping) lines.push(shipping);
    if (o.estimatedDelivery) lines.push(m.orderEta(m.date(o.estimatedDelivery)));
  }
  return lines;
}

/** Status of the order(s) the customer named, else of the most recent one, with a short list of the rest. */
export const composeOrderStatus: Composer = (ctx) => {
  const { g, m } = ctx;
  if (g.needsSignIn) return [m.signIn(g.links.orderTracking)];
  if (g.degraded.includes('orders')) return [m.ordersDown(g.links.orderTracking)];
  // An order number that is not theirs gets no other detail: nothing about anyone's orders may leak.
  if (g.unknownOrderId) return [m.unknownOrder(g.unknownOrderId, g.links.orderTracking)];
  if (g.orders.length === 0) return [m.noOrders(g.links.orderTracking)];

  const newestFirst = [...g.orders].sort((a, b) => (a.placedAt < b.placedAt ? 1 : a.placedAt > b.placedAt ? -1 : 0));
  const text = g.text.toUpperCase();
  const named = newestFirst.filter((o) => text.includes(o.id.toUpperCase()));
  const focus = named.length ? named : newestFirst.slice(0, 1);
  const lines = focus.flatMap((o) => orderLines(ctx, o));
  if (named.length === 0 && newestFirst.length > 1) {
    lines.push(m.otherOrders(newestFirst.slice(1, 1 + MAX_OTHER_ORDERS).map((o) => m.orderRef(o.id, m.orderStatus(o.status)))));
  }
  return lines;
};
