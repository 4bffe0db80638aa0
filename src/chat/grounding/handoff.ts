// Asking for a human: a handoff ticket is opened (operators are alerted), or the session's open
// one joined; the answer says staff will reply here.
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import type { MessageTrace } from '../../observability/tracing.ts';
import { orderInPlay } from '../../orders/order-match.ts';
import type { Entities, Language } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import type { ChatRequest, PipelineDeps } from '../types.ts';
import type { Lookup } from './lookup.ts';
import { findOrders } from './orders.ts';

/** Opens (or joins) the session's handoff ticket; `opened` is told whether this message opened it. */
export async function openHandoff(lk: Lookup, handoff: NonNullable<PipelineDeps['handoff']>, grounding: Grounding, req: ChatRequest, text: string, language: Language, entities: Entities, history: StoredMessage[], trace: MessageTrace, opened: (created: boolean) => void): Promise<void> {
  const { deps, guard, fellBack, ctx } = lk;
  // About one of their orders (named, the one the conversation is on, or the late one
  // complained about): the ticket carries it, and the answer says it was handed over.
  if (req.customer.kind !== 'guest') await findOrders(lk, grounding, entities, text, { namedOnly: true, inPlay: orderInPlay(history) });
  const order = grounding.orders[0];
  const note = order ? `${text}\n[${order.id}: ${order.status}${order.estimatedDelivery ? `, estimated delivery ${order.estimatedDelivery.slice(0, 10)}` : ''}]` : text;
  const r = await callDependency(guard('handoff'), deps.deadlines.handoff, ctx, (signal) => handoff.open({ sessionId: req.sessionId, customer: req.customer, language, text: note }, { signal }));
  if (r.ok) {
    grounding.handoff = { ticketId: r.value.ticketId };
    opened(r.value.created);
    trace.set({ 'handoff.ticket': r.value.ticketId });
  } else fellBack(grounding, 'handoff');
}
