/** The conversational intents: chitchat, escalation to a human, and out-of-scope requests. */
import type { Composer } from './context.ts';
import { ticketNumber } from '../../escalation/ticket-number.ts';

// Thanks deserves "you're welcome", anything else a greeting; both end with what the assistant can do.
const THANKS = /thank|thx|appreciate|ありがと|感謝|助か/i;

/** A short friendly reply plus what the assistant can help with. */
export const composeChitchat: Composer = ({ g, m }) => [THANKS.test(g.text) ? m.thanks : m.greeting, m.capabilities];

/** Apologises and hands over to a human agent: the ticket when one is open (staff reply in this chat), and the support link. */
export const composeEscalation: Composer = ({ g, m }) => [g.handoff ? m.handedOver(ticketNumber(g.handoff.ticketId), g.links.support) : m.escalation(g.links.support)];

/** Declines politely and says what the assistant can help with instead. */
export const composeOutOfScope: Composer = ({ m }) => [m.outOfScope, m.capabilities];
