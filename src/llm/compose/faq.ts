/**
 * faq: the answer to the question asked, first — the sentences of the best knowledge-base section
 * that give it (a fee, a deadline, yes or no) — then what else that section and the next one of
 * the same page add, then where it comes from and where to get more help. From built-in
 * knowledge when retrieval is down.
 */
import type { ScoredDoc } from '../../retrieval/types.ts';
import { amountIn, answerFrom, conceptsOf, conceptWords, earlierQuestions, exceptedMethods, hasSteps, inPlayAnswer, isElliptical, leadsList, reportsFault, SCOPES, sectionHeading, sectionLines, speaksOf, swapOut, termsOf as terms, unlistedMethod } from '../../retrieval/policy-sections.ts';
import type { Composer, ComposeContext } from './context.ts';
import type { Messages } from './messages.ts';
import { BUILT_IN_KNOWLEDGE, type BuiltInTopic } from './built-in-knowledge.ts';
import { notRunningLines } from './promotion.ts';
import { asksPayWithPoints } from '../../understanding/buying.ts';

/** The knowledge base's payment page, by its title in each language (data/kb/{en,ja}/payment-methods.md). */
const PAYMENT_PAGE: Record<string, string> = { en: 'Payment Methods', ja: 'お支払い方法' };
/** What a point is worth at checkout, as the payment page's points section says it ("1 point = ¥1", 「1ポイント=1円」). */
const POINT_WORTH = /1\s*point\s*=|1\s*ポイント\s*[=＝]/;
// Whether a method may be used: "can I pay with X?", "do you accept X?", "is X OK?", 「Xは使えますか」「Xで払える？」「X対応してる？」.
const ACCEPTED_ASK = /\b(?:can|could|may) (?:i|we|you) (?:pay|use|check ?out)\b|\b(?:do|does) (?:you|the store|mangaassist)\b[^.?!]{0,20}\b(?:accept|take|support|allow)\b|\b(?:is|are) [^.?!]{1,30}\b(?:accepted|ok|okay|allowed|supported|available)\b|使え(?:ます|る|ません)|払え(?:ます|る)|支払(?:え|い)(?:でき|可能)|利用(?:でき|可能)|対応(?:して|し)/i;

// A rule that shuts guests out of something ("Guests cannot preorder.", 「ゲスト購入では予約できません。」): what they cannot do.
const GUESTS_CANNOT_EN = /\bguests? (?:cannot|can't|can not|are not able to) ([a-z]+(?: [a-z]+)?)\s*[.;,]/i;
const GUESTS_CANNOT_JA = /ゲスト(?:購入|のお客さま|の方)?(?:では|は|の場合)、?([\p{sc=Han}]{1,4})(?:でき|いただけ)ません/u;
// The customer asks whether they themselves may ("can I preorder it?", "am I able to…", 「予約できますか」「予約できる？」).
const ASKS_IF_I_MAY = /\b(?:can|could|may) i\b|\bam i (?:able|allowed|eligible)\b|\bis it possible (?:for me )?to\b|でき(?:ます|る)(?:か|の|\s*[?？]|$)|可能(?:です)?(?:か|\s*[?？])/i;

/**
 * What a rule that shuts only guests out means for this customer, asked "can I …?": the customer's
 * tier is known, so the answer is theirs — yes when signed in, sign in first as a guest — not the
 * rule for the customer to apply. Undefined when the question names a tier itself ("as a guest?").
 */
function tierVerdict(ctx: ComposeContext, asked: string, answer: { text: string }[], page: ScoredDoc[]): string | undefined {
  const { g, m } = ctx;
  if (!ASKS_IF_I_MAY.test(asked.normalize('NFKC')) || conceptsOf(asked, true).has('guest') || conceptsOf(asked, true).has('prime')) return undefined;
  // (The rule may be another section of the page the answer comes from: 「予約できますか」 answered by the preorder page's opening, its 「ご予約いただける方」 close behind.)
  const lines = [...answer, ...page.flatMap((p) => sectionLines(p.doc.text))];
  const rule = lines.map((l) => l.text.normalize('NFKC')).map((t) => GUESTS_CANNOT_EN.exec(t) ?? GUESTS_CANNOT_JA.exec(t)).find((x) => x !== null);
  if (!rule) return undefined;
  // (The volume the conversation is on, when there is one: "Yes — … you can preorder Vol. 113.")
  const what = g.requestedVolume !== undefined ? m.volume(g.requestedVolume) : undefined;
  return m.tierMay(rule[1].toLowerCase(), g.customer.kind !== 'guest', what);
}

/** True when the question asks whether a payment method may be used. */
function asksIfAccepted(text: string): boolean {
  return ACCEPTED_ASK.test(text.normalize('NFKC'));
}

/** Sentences of detail after the answer: enough to act on, short enough to read in a chat. */
const MAX_DETAIL = 3;
/**
 * Concepts too general to call for a second section when the first leaves them out: how a
 * question is put (when, how, may I) or what every section of a page is about.
 */
/** Concepts of a place (a zone abroad, a region of Japan). */
const PLACE = /^(?:zone-|region-|hokkaido$|okinawa$)/;
const GENERIC_ASKS = new Set(['timing', 'procedure', 'advice', 'eligibility', 'steps', 'remedy', 'delivery', 'payment', 'free', 'membership', 'guest', 'status', 'contact', 'account']);
/** Concepts of how a question is put (when, how long, by when), not of a second thing it asks. */
const ASKED_AS = new Set(['duration', 'timing', 'deadline']);
/** A section on another subject answers the rest of a two-part question when it scored at least this share of the best. */
const SECOND_TOPIC_SHARE = 0.4;
/** Sentences a next section of the same page adds: a pointer to more, not a second answer. */
const MAX_MORE = 2;
/** A next section of the same page joins the answer when it scored at least this share of the best. */
const NEXT_SECTION_SHARE = 0.7;

/** Prefers the best passage written in the customer's language; any passage beats none. */
function pickPassage(passages: ScoredDoc[], language: 'ja' | 'en'): { doc: ScoredDoc; sameLanguage: boolean } | undefined {
  const same = passages.find((p) => p.doc.language === language || p.doc.language === 'mul');
  if (same) return { doc: same, sameLanguage: true };
  return passages.length ? { doc: passages[0], sameLanguage: false } : undefined;
}

// Each topic's terms from its keywords and titles in both languages (a Japanese customer may
// write "PayPay", an English one "konbini"), and how many topics share each term.
// (Plus "long", which the section ranking drops as a stop word: here it is the word that tells
// "how long does shipping take?" — delivery times — from shipping fees.)
function topicTerms(text: string): Set<string> {
  const out = terms(text);
  if (/\blong\b/i.test(text)) out.add('long');
  return out;
}
const TOPIC_TERMS = Object.values(BUILT_IN_KNOWLEDGE).map((topic) => ({
  topic,
  terms: topicTerms([topic.en.title, topic.ja.title, ...topic.en.keywords, ...topic.ja.keywords].join(' \n ')),
}));
const TOPICS_WITH_TERM = new Map<string, number>();
for (const { terms: ts } of TOPIC_TERMS) for (const t of ts) TOPICS_WITH_TERM.set(t, (TOPICS_WITH_TERM.get(t) ?? 0) + 1);

/**
 * The built-in topic a question is about: shared terms, each weighted by 1 / the number of topics
 * that know it, so "shipping" in "how long does shipping take" counts less than "long". Ties go to
 * the topic listed first; no shared term means no topic.
 */
export function builtInTopicFor(question: string): BuiltInTopic | undefined {
  const q = topicTerms(question);
  let best: BuiltInTopic | undefined;
  let bestScore = 0;
  for (const { topic, terms: ts } of TOPIC_TERMS) {
    let score = 0;
    for (const t of q) if (ts.has(t)) score += 1 / (TOPICS_WITH_TERM.get(t) ?? 1);
    if (score > bestScore) [best, bestScore] = [topic, score];
  }
  return best;
}

/**
 * Retrieval is down, so there are no passages: answer from the built-in summary of the topic the
 * question is about, saying that details could not be looked up; apologise when no topic fits.
 */
function fromBuiltInKnowledge(ctx: ComposeContext): string[] {
  const { g, m } = ctx;
  const topic = builtInTopicFor(g.text);
  if (!topic) return [m.retrievalDown(g.links.support)];
  const entry = g.language === 'ja' ? topic.ja : topic.en;
  return [m.builtInSummary(entry.title, entry.summary), m.builtInMore(g.links.support)];
}

/**
 * Sentences as chat lines: prose joined into one line; a list under its lead-in (or a run of three
 * or more items) one item per line — a single item under a short label stays on the label's line
 * ("Prime benefits: free shipping"), and one or two items alone read as prose.
 */
function render(m: Messages, lines: { text: string; item: boolean }[]): string[] {
  const out: string[] = [];
  let prose: string[] = [];
  const flush = () => {
    if (prose.length) out.push(prose.map((t) => m.sentence(t)).join(m.gap));
    prose = [];
  };
  for (let n = 0; n < lines.length; ) {
    const line = lines[n];
    let end = n + (line.item ? 0 : 1);
    while (end < lines.length && lines[end].item) end++;
    const items = lines.slice(line.item ? n : n + 1, end).map((l) => l.text);
    // A lead-in whose list was left out ("You can:") says nothing on its own.
    if (!line.item && items.length === 0 && /[:：]$/.test(line.text)) {
      n = end;
      continue;
    }
    if (!line.item && items.length === 1 && line.text.length <= 40 && !/[.。!！?？]$/.test(line.text)) {
      prose.push(m.labelled(line.text, items[0]));
    } else if (items.length >= 3 || (!line.item && items.length > 0)) {
      if (!line.item) prose.push(line.text);
      flush();
      out.push(...items.map((t) => m.listItem(t)));
    } else {
      if (!line.item) prose.push(line.text);
      prose.push(...items);
    }
    n = end;
  }
  flush();
  return out;
}

/** The points a purchase asked about earns, from the grounding's estimate (live prices, the customer's rate, the campaign). */
export function pointsLine(ctx: ComposeContext): string | undefined {
  const { g, m } = ctx;
  const e = g.pointsEstimate;
  if (!e) return undefined;
  const ja = g.language === 'ja';
  const formats = [...new Set(e.items.map((i) => i.format))];
  const span = m.volumeSpan(e.items.map((i) => i.volume));
  const format = formats.length === 1 && formats[0] !== 'tankobon' ? m.format(formats[0]) : '';
  const what = ja ? `『${e.title}』${span}${format ? `（${format}）` : ''}` : `${e.title} ${span}${format ? `, ${format}` : ''}`;
  const campaign = e.campaign ? (ja ? e.campaign.titleJa : e.campaign.title) : undefined;
  const subtotal = m.yen(e.subtotal);
  if (e.tier === 'guest') return m.pointsGuest(what, subtotal, e.ratePercent, campaign, e.multiplier, e.memberPoints ?? 0);
  return m.pointsEstimate(what, subtotal, e.tier, e.ratePercent, campaign, e.multiplier, e.points);
}

/** A section's place on its page (`kb:en/payment-methods#3` → 3). */
function sectionNumber(id: string): number {
  return Number(/#(\d+)$/.exec(id)?.[1] ?? 0);
}

/** Answers a policy question from the section that answers it, answer first; admits when it has nothing. */
export const composeFaq: Composer = (ctx) => {
  const { g, m } = ctx;
  const lines = policyLines(ctx, MAX_DETAIL, g.question?.text ?? g.text);
  if (lines.length > 0) return lines;
  return g.degraded.includes('retrieval') ? fromBuiltInKnowledge(ctx) : [m.noPassage(g.links.support)];
};

/**
 * The policy answer from the grounding's passages: the answer, its detail, where it comes from.
 * Empty when there is no passage. Order answers use it too ("can I still cancel it?"), asking
 * the question as read for the order's status.
 */
export function policyLines(ctx: ComposeContext, detailLimit = MAX_DETAIL, asked = ctx.g.text): string[] {
  const { g, m } = ctx;
  const kb = g.passages.filter((p) => p.doc.kind === 'kb');
  const pool = kb.length ? kb : g.passages;
  const picked = pickPassage(pool, g.language);
  if (!picked) return [];
  const best = picked.doc;
  const unlisted = unlistedMethod(asked);
  const listed = leadsList(best.doc, asked);
  if (unlisted || listed) {
    // The methods the page lists, one section each: "Is Apple Pay accepted?" is not among them
    // (say so, and list them); "how can I pay?" asks for them.
    const excepted = exceptedMethods(asked);
    const methods = pool
      .filter((p) => p.doc.ref === best.doc.ref && p.doc.language === best.doc.language && sectionHeading(p.doc).heading !== '' && !conceptsOf(p.doc.text).has('not-accepted'))
      .sort((a, b) => sectionNumber(a.doc.id) - sectionNumber(b.doc.id))
      .map((p) => sectionHeading(p.doc).heading)
      // (Not the way the customer left out: "besides a credit card", 「クレカ以外」.)
      .filter((heading) => ![...conceptsOf(heading)].some((c) => excepted.has(c)));
    const source = m.faqSource(sectionHeading(best.doc).page, '', g.links.support);
    if (methods.length > 1 && unlisted) return [m.notAMethod(unlisted, methods), source];
    if (methods.length > 1) {
      const [lead, ...rest] = sectionLines(best.doc.text);
      // The list asked during a conversation about a scope it does not cover ("what can I pay
      // with?" about an order from abroad): that scope's rule first ("cards only for international orders").
      const question = { text: asked, context: g.question?.context ?? earlierQuestions(g.history) };
      const rule = unlisted ? undefined : pool.filter((p) => p.doc.language === best.doc.language).map((p) => inPlayAnswer(p.doc, question)).find((r) => r !== undefined);
      const ruleLines = rule ? rule.lines.slice(0, 1).map((l) => m.inPlayRule(rule.scope, l.text)) : [];
      return [...ruleLines, m.sentence(lead.text), ...methods.map((x) => m.listItem(x)), ...render(m, rest), source];
    }
  }
  const question = { text: asked, context: g.question?.context ?? earlierQuestions(g.history), tier: g.customer.kind };
  const found = answerFrom(best.doc, question);
  // Paying with points asked, not earning them ("do points work on digital?", 「ポイントで払える？」):
  // the sentence of points earned answers another question — it is said only when asked.
  const payingPoints = asksPayWithPoints(asked) && !conceptsOf(asked, true).has('earn');
  const notEarning = (ls: typeof found.answer) => (payingPoints && ls.some((l) => !conceptsOf(l.text).has('earn')) ? ls.filter((l) => !conceptsOf(l.text).has('earn')) : ls);
  const answer = notEarning(found.answer);
  const detail = payingPoints ? found.detail.filter((l) => !conceptsOf(l.text).has('earn')) : found.detail;
  // The next section of the same page, when it answers nearly as well ("we pay return shipping"
  // is the answer to a damaged book; "open /orders, choose Return an item" what to do next).
  const samePage = (p: ScoredDoc) => p !== best && p.doc.ref === best.doc.ref && p.doc.language === best.doc.language && sectionHeading(p.doc).heading !== '';
  // ...and only on the subject asked or the best section's own: on a page of alternatives (the
  // payment methods) the next section is another method — konbini after "cash on delivery?", the
  // not-accepted list after "PayPay?" — which answers nothing that was asked.
  const specific = (text: string) => [...conceptsOf(text)].filter((c) => !GENERIC_ASKS.has(c));
  const onSubject = new Set([...specific(sectionHeading(best.doc).heading), ...[...conceptsOf(asked, true)].filter((c) => !GENERIC_ASKS.has(c))]);
  const related = (p: ScoredDoc) => {
    const own = specific(sectionHeading(p.doc).heading);
    return own.length > 0 ? own.some((c) => onSubject.has(c)) : specific(sectionHeading(best.doc).heading).length === 0;
  };
  const next = pool.find((p) => samePage(p) && p.score >= NEXT_SECTION_SHARE * best.score && related(p));
  const nextAnswer = next ? answerFrom(next.doc, question) : undefined;
  let more = nextAnswer?.matched ? nextAnswer.answer.slice(0, MAX_MORE) : [];
  // A fault reported (a torn cover, the wrong volume): after what the store does, how to start.
  if (reportsFault(asked) && !answer.some((l) => l.step)) {
    const steps = pool.find((p) => samePage(p) && hasSteps(p.doc));
    if (steps) more = sectionLines(steps.doc.text).filter((l) => l.step);
  }
  const extra = (more.some((l) => l.step) ? [...more, ...detail] : [...detail, ...more]).filter((l, i, all) => !answer.some((a) => a.text === l.text) && all.findIndex((x) => x.text === l.text) === i).slice(0, Math.max(detailLimit, more.filter((l) => l.step).length));
  const { page, heading } = sectionHeading(best.doc);
  // An answer that leaves its subject to the heading (「予約商品と電子書籍にはご利用いただけません」
  // under 代金引換) says it: the heading leads it.
  const subject = [...conceptsOf(heading)];
  // ...and so does one that leaves out the page's subject the heading names ("Print books: added
  // when the order is delivered" under "When points are added").
  const core = subject.filter((c) => conceptsOf(page).has(c));
  const [first, ...others] = answer;
  const leaves = (concepts: string[]) => concepts.length > 0 && !concepts.some((c) => speaksOf(first.text, c));
  const led = first && ((!first.item && leaves(subject)) || leaves(core)) ? [{ ...first, text: m.labelled(heading, first.text) }, ...others] : answer;
  const lines = [...render(m, led), ...render(m, extra)];
  // The topic in play changes the answer ("can I pay cash on delivery?" while preordering): that
  // rule first, unless the answer already is it.
  // A section about that topic (the preorder page) says it better than one that mentions it in passing.
  const rules = pool.filter((p) => p.doc.language === best.doc.language).map((p) => inPlayAnswer(p.doc, question)).filter((r) => r !== undefined);
  const rule = rules.find((r) => r.about) ?? rules[0];
  // (A rule line the answer already gives is not said twice: "For Prime members: … 30-day free trial." then the same sentence.)
  // (...nor a line the detail after it gives: "For digital editions: X" then X again.)
  const ruleLines = rule ? rule.lines.slice(0, MAX_MORE).filter((l) => ![...answer, ...extra].some((a) => a.text === l.text) && !(payingPoints && conceptsOf(l.text).has('earn'))) : [];
  // (An answer from the page about that topic is its rule already: 「発売日当日に届くよう発送します」 on the preorder page.)
  if (rule && ruleLines.length > 0 && !speaksOf(answer.map((l) => l.text).join('\n'), rule.scope) && !conceptsOf(page).has(rule.scope)) {
    // ...unless the rule restates the answer's own figure: it qualifies the answer, it does not replace
    // it ("how much is shipping?" with a preorder in play: the fee, then "each shipment is judged
    // separately for the ¥2,000"); "cash on delivery?" while preordering is still the rule first.
    const figures = (t: string) => new Set((t.normalize('NFKC').replace(/(\d),(?=\d{3})/g, '$1').match(/\d{2,}/g) ?? []));
    const given = figures(answer.map((l) => l.text).join('\n'));
    const qualifies = ruleLines.some((l) => [...figures(l.text)].some((f) => given.has(f)));
    lines.splice(qualifies ? render(m, led).length : 0, 0, ...ruleLines.map((l) => m.inPlayRule(rule.scope, l.text)));
  }
  // "Can I pay with PayPay?", 「代引きは使えますか」: a yes/no question about a method the payment page
  // lists as its own section is answered yes first, then how it works.
  // Only when nothing else is asked with it ("cash on delivery for a preorder?" may be a no) and no rule of the topic in play leads.
  const methodOnly = [...conceptsOf(asked, true)].every((c) => GENERIC_ASKS.has(c) || specific(heading).includes(c));
  if (asksIfAccepted(asked) && methodOnly && ruleLines.length === 0 && page === PAYMENT_PAGE[best.doc.language] && heading !== '' && !conceptsOf(best.doc.text).has('not-accepted') && specific(heading).some((c) => conceptsOf(asked, true).has(c))) lines.unshift(m.methodAccepted(heading));
  // Paying with points: yes, and what a point is worth, first (the payment page's points section
  // says both), whichever section answers the rest (digital editions' payment while one is in play).
  if (payingPoints) {
    const pointsSection = pool.find((p) => p.doc.language === best.doc.language && sectionHeading(p.doc).page === PAYMENT_PAGE[best.doc.language] && specific(sectionHeading(p.doc).heading).includes('points'));
    if (pointsSection) {
      const accepted = m.methodAccepted(sectionHeading(pointsSection.doc).heading);
      const worth = sectionLines(pointsSection.doc.text).find((l) => POINT_WORTH.test(l.text));
      const lead = [accepted, ...(worth && !lines.some((l) => POINT_WORTH.test(l)) ? render(m, [worth]) : [])];
      const at = lines.indexOf(accepted);
      if (at >= 0) lines.splice(at, 1);
      lines.unshift(...lead);
    }
  }
  // "Can I preorder it?" from a signed-in member: yes, first, then the rule (it is theirs to know, not to apply).
  const verdict = tierVerdict(ctx, asked, answer, pool.filter((p) => p !== best && p.doc.ref === best.doc.ref && p.doc.language === best.doc.language && p.score >= NEXT_SECTION_SHARE * best.score));
  if (verdict) lines.unshift(verdict);
  // "How many points would I get for Frieren 1-3?": the figure first, then the policy behind it.
  const points = pointsLine(ctx);
  if (points) lines.unshift(points);
  // A question that asks two things ("how much is shipping, and how long to Hokkaido?"): what
  // the first section leaves unanswered, from the section that answers it.
  const said = [page, heading, ...answer.map((l) => l.text)].join('\n');
  // (A place is where the question is asked from, not a second question: "I live in the UK, can I buy
  // ebooks?" is answered by the e-book rule, not with the UK's shipping rates besides.)
  // ...and a "what if" follow-up asks it for the case the question before set out ("I opened it and
  // didn't like it" then "what if I hadn't opened it?": the change-of-mind return's fee too).
  const before = isElliptical(asked) ? (question.context?.[0] ?? '') : '';
  // (Its scope is the conversation's, not a second question: that is the topic in play's rule above.)
  // (Nor how the question before was put: "and for ebooks?" after "when do I get the points?" asks no other section's "how long".)
  // (...nor what the follow-up put another in the place of: "what about cash on delivery?" after PayPay asks nothing more of PayPay.)
  const was = conceptsOf(before);
  swapOut(was, conceptsOf(asked, true));
  // (Words the answer has answered are not a second question for being read twice: 「何時まで対応していますか」
  // is the hours, which the answer gives — not the same-day shipping cut-off besides.)
  const askedNow = [...conceptsOf(asked)];
  const overlap = (a?: [number, number], b?: [number, number]) => a !== undefined && b !== undefined && a[0] < b[1] && b[0] < a[1];
  const readTwice = (c: string) => askedNow.some((d) => d !== c && speaksOf(said, d) && overlap(conceptWords(asked, c), conceptWords(asked, d)));
  const open = [...new Set([...askedNow, ...[...was].filter((c) => !SCOPES.includes(c) && !ASKED_AS.has(c))])].filter((c) => !GENERIC_ASKS.has(c) && !PLACE.test(c) && !speaksOf(said, c) && !readTwice(c));
  if (open.length > 0) {
    // (What only the question before asked is looked for on the answer's own page: the fee of konbini
    // after the cash-on-delivery fee is not the refund section's "the ¥330 fee is refunded".)
    const own = new Set(askedNow);
    const other = pool.find((p) => p !== best && p.doc.language === best.doc.language && p.score >= SECOND_TOPIC_SHARE * best.score && open.some((c) => (own.has(c) || p.doc.ref === best.doc.ref) && speaksOf(`${p.doc.title}\n${p.doc.text}`, c)));
    const otherAnswer = other ? answerFrom(other.doc, question) : undefined;
    // Only what is asked now: a case carried from the question before is asked again of this
    // follow-up's own subject ("what if I hadn't opened it?": the unopened return's fee) — a line on
    // none of it ("and if I cancel it later?" after when a preorder is charged: carrier billing's
    // refund days from the cancellations page) answers nothing that was asked.
    const ownSubject = askedNow.filter((c) => !GENERIC_ASKS.has(c) && !PLACE.test(c));
    const onAsked = (t: string) => open.some((c) => askedNow.includes(c) && speaksOf(t, c)) || ownSubject.length === 0 || ownSubject.some((c) => speaksOf(t, c));
    const otherLines = otherAnswer?.matched ? otherAnswer.answer.slice(0, MAX_MORE).filter((l) => onAsked(l.text)) : [];
    // (Not a line the answer already gives: the next section of the page may have said it.)
    lines.push(...render(m, otherLines).filter((l) => !lines.includes(l)));
  }
  // A campaign named that is not running (ended, or not started): said so before the running ones.
  lines.push(...notRunningLines(ctx));
  // "What's the fee for a ¥1,500 order?" while every domestic order ships free: the fee worked
  // out, first — ¥0 now — not the rule and the campaign side by side for the customer to combine.
  // (A campaign with no condition of its own; the question not about shipping abroad.)
  const amount = amountIn(asked);
  const freeNow = amount !== undefined && !conceptsOf(asked, true).has('international') && conceptsOf(asked, true).has('shipping') ? g.promotions.find((p) => p.kind === 'free_shipping' && p.seriesIds.length === 0 && p.value === undefined) : undefined;
  if (freeNow) lines.unshift(m.shipsFreeNow(m.yen(amount!), g.language === 'ja' ? freeNow.titleJa : freeNow.title, m.date(freeNow.endsAt)));
  // A campaign running now that changes this answer (free shipping until Christmas).
  for (const p of g.promotions) {
    const ja = g.language === 'ja';
    lines.push(m.promoNow(ja ? p.titleJa : p.title, ja ? p.descriptionJa : p.description, m.date(p.endsAt)));
  }
  if (!picked.sameLanguage) lines.push(m.faqOtherLanguage);
  lines.push(m.faqSource(page, heading, g.links.support));
  return lines;
}
