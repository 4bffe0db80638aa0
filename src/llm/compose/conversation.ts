/** The conversational intents: chitchat, escalation to a human, and out-of-scope requests. */
import type { Composer } from './context.ts';
import { ticketNumber } from '../../escalation/ticket-number.ts';
import { smallTalkKind } from '../../understanding/small-talk.ts';
import { asksOfOtherMedium } from '../../understanding/out-of-scope.ts';
import { problemAnswered, supportQuestionBeside } from '../../escalation/decision.ts';
import { conceptsOf } from '../../retrieval/policy-sections.ts';
import { policyLines } from './faq.ts';

// Thanks deserves "you're welcome", a question about the assistant an honest answer, "ok" or "?" a
// short reply; the greeting and what the assistant can do are said once, not after every "ok".
const THANKS = /thank|thx|appreciate|ありがと|感謝|助か/i;

/** A reply that fits the small talk: thanks, the assistant about itself, a language switch, "ok", "?", a greeting. */
export const composeChitchat: Composer = ({ g, m }) => {
  const kind = smallTalkKind(g.text);
  const greeted = g.history.some((h) => h.role === 'assistant');
  // A second "?" or "ok" in a row reads differently from the first.
  const again = g.history.filter((h) => h.role === 'assistant' && h.intent === 'chitchat').length;
  if (kind === 'assistant') return [m.aboutAssistant];
  if (kind === 'language') return [m.languageSwitched];
  if (kind === 'acknowledgement') return [m.acknowledged[again % m.acknowledged.length]];
  if (kind === 'unclear') return [m.unclear[again % m.unclear.length]];
  if (kind === 'farewell') return [m.farewell];
  if (kind === 'thanks' || THANKS.test(g.text)) return greeted ? [m.thanks, m.anythingElse] : [m.thanks, m.capabilities];
  return greeted ? [m.greetingAgain] : [m.greeting, m.capabilities];
};

/**
 * Apologises and hands over to a human agent: the ticket when one is open (staff reply in this
 * chat), and the support link; about a problem the policy pages answer (a damaged book), that
 * answer too, so the customer knows what the store does while they wait.
 */
export const composeEscalation: Composer = (ctx) => {
  const { g, m } = ctx;
  const handover = g.handoff ? m.handedOver(ticketNumber(g.handoff.ticketId), g.links.support) : m.escalation(g.links.support);
  // ...and a question about support asked with it ("can I speak to someone? what hours are your staff around"): its answer too.
  const support = supportQuestionBeside(g.text);
  if (support) return [handover, ...policyLines(ctx, undefined, support)];
  return problemAnswered(conceptsOf(g.text, true)) ? [handover, ...policyLines(ctx)] : [handover];
};

/**
 * Declines politely and says what the assistant can help with instead — for a question about an
 * anime or film of a title (「鬼滅の刃のアニメ何話まである？」), that it cannot answer that one and
 * can help with the manga.
 */
export const composeOutOfScope: Composer = ({ g, m }) => [asksOfOtherMedium(g.text) ? m.otherMediumAside : m.outOfScope, m.capabilities];
