// A message that asks several things ("how much is shipping, and how many volumes does One Piece
// have?"): the questions beyond the one the main answer covers, each from its own section or lookup.
import type { Grounding } from '../../llm/types.ts';
import type { StoredMessage } from '../../memory/types.ts';
import type { Promotion } from '../../promotions/types.ts';
import { answerFrom, asksPolicy, conceptsOf, earlierQuestions, promotionKindsFor, speaksOf } from '../../retrieval/policy-sections.ts';
import type { IndexedDoc } from '../../retrieval/types.ts';
import type { Intent, Language } from '../../understanding/types.ts';
import { callDependency } from '../dependency-call.ts';
import { CATALOG_INTENTS, type Lookup } from './lookup.ts';
import { findSeries } from './series.ts';
import { followUp, volumeAsked } from './follow-ups.ts';
import { asksEveryVolume, leftoverOf } from '../../understanding/follow-up-words.ts';
import { asksWhichCheaper } from '../../understanding/buying.ts';

/** Questions of one message answered besides the main one ("…, and how many volumes does it have?"). */
const MAX_OTHER_QUESTIONS = 2;

/**
 * The questions of a message that asked several, beyond the one the main answer covers: each
 * policy question from its own knowledge-base section (when the message is a policy question,
 * the first of them is the main answer's), each question about a title from a catalog lookup of
 * its own when the main answer is not about titles. A question the main answer already covers
 * (same intent, same section) is not answered twice.
 */
export async function otherQuestions(lk: Lookup, g: Grounding, questions: string[], language: Language, history: StoredMessage[]): Promise<void> {
  const { deps, guard, now, policySections, ctx } = lk;
  if (!policySections) return;
  const earlier = earlierQuestions(history);
  // Sections the main answer quotes: an order answer's policy part (a policy answer's are chosen below).
  const answered = new Set(g.intent === 'order_status' ? g.passages.slice(0, 1).map((p) => p.doc.id) : []);
  let mainAnswered = g.intent !== 'faq';
  // Which question of this message each section answers (its sentences are chosen for that question).
  const answeredBy = new Map<string, { text: string; context: string[] }>();
  const also: Grounding[] = [];
  const base = (intent: Intent, q: string, context: string[]): Grounding => ({
    intent, language, text: q, history: g.history, customer: g.customer, series: [], passages: [], orders: [], promotions: [], reviews: [], degraded: [], links: g.links, question: { text: q, context },
  });
  for (const [i, q] of questions.entries()) {
    const context = [...questions.slice(0, i).reverse(), ...earlier];
    const intent = deps.classifier.classify(q, language).intent;
    // "…, and what's the cheapest way to buy them?" beside a price question: the main answer weighs the ways to buy,
    // and gives the whole series' total asked beside it.
    if (CATALOG_INTENTS.has(g.intent) && g.series.length > 0 && asksHowToBuy(q)) continue;
    // A question about the series beside one about a volume, when the main answer is that volume's price and stock.
    const seriesBesideVolume = intent === 'product_question' && g.requestedVolume !== undefined && deps.extractEntities(q, language).volume === undefined;
    // "I'm in Canada. Can you ship Berserk 1-3 to me, and how much would it cost?", 「アメリカに住んでいます。ベルセルク1〜3巻を
    // 送ってもらえますか？いくらになりますか？」: a bare price question is of the volumes the question before it named,
    // when the main answer is a policy (shipping abroad) and shows no title.
    const before = i > 0 ? questions[i - 1] : undefined;
    if (before !== undefined && g.series.length === 0 && BARE_PRICE.test(q.normalize('NFKC').trim().toLowerCase())) {
      const named = deps.extractEntities(before, language);
      if (named.volume !== undefined) {
        const sub = await ofTitleNamed(lk, base('price_availability', before, context), before);
        if (sub.series.length > 0) {
          sub.requestedVolume = named.volume;
          if (named.volumes && named.volumes.length > 1) sub.requestedVolumes = named.volumes;
          also.unshift(sub);
          continue;
        }
      }
    }
    // "…全巻まとめて購入を検討しているのですが、全部で何巻ありますでしょうか。" read as a policy question (まとめて
    // reads as shipping together): the length of the title it names, when it asks nothing else of a policy.
    if (g.intent === 'faq' && asksLengthOfTitle(q)) {
      const sub = await ofTitleNamed(lk, base('product_question', q, context), q);
      if (sub.series.length > 0) {
        also.unshift(sub);
        continue;
      }
    }
    // Covered by the main answer: the same kind of question (unless a title question asks a store topic too).
    if (intent === g.intent && intent !== 'faq' && !(CATALOG_INTENTS.has(intent) && asksPolicy(q, true)) && !seriesBesideVolume) continue;
    // Read as a title question but asking a store topic ("and how much is shipping?"): a policy question.
    if (CATALOG_INTENTS.has(intent) && !asksPolicy(q, true)) {
      if (g.intent === 'recommendation') continue;
      // A question about the series itself beside one about a volume ("How many volumes does Pluto
      // have, and is volume 6 in stock?"): the series' facts too — of the series it names, else the one found.
      if (CATALOG_INTENTS.has(g.intent)) {
        if (intent !== 'product_question' || (g.intent === 'product_question' && !seriesBesideVolume) || !g.series[0]) continue;
        const sub = base(intent, q, context);
        if (leftoverOf(q).kind === 'title') await findSeries(lk, sub, q, undefined, Promise.resolve(undefined), { withheldNamed: false });
        if (sub.series.length === 0) sub.series = [g.series[0]];
        also.push(sub);
        continue;
      }
      const sub = base(intent, q, context);
      sub.requestedVolume = deps.extractEntities(q, language).volume;
      // "Can I preorder that, and how much is it?": a question that names no title is about the series in play.
      const reference = deps.references.resolve(q, language, history.map((m) => ({ role: m.role, text: m.text, seriesIds: m.seriesIds, productIds: m.productIds, about: m.about })), intent);
      if (reference.titleFree && reference.seriesId) {
        sub.requestedVolume = reference.volume ?? sub.requestedVolume;
        await followUp(lk, sub, reference, { withheldNamed: false });
        if (reference.volumeRef) volumeAsked(lk, sub, reference.volumeRef, reference.previousVolume);
      } else await findSeries(lk, sub, q, undefined, Promise.resolve(undefined), { withheldNamed: false });
      sub.series = sub.series.filter((x) => lk.visible(x.series, lk.customer));
      if (sub.series.length > 0) also.push(sub);
      continue;
    }
    // A policy question: asked as one (the classifier says so), or a question about a store topic.
    if (intent !== 'faq' && !asksPolicy(q)) continue;
    const passages = policySections.rank({ text: q, language, context });
    const top = passages[0]?.doc.id;
    if (!top) continue;
    if (answered.has(top)) {
      // The same section as a question before it, asking another of its rules ("代引きの手数料っていくら？
      // 上限金額もある？", "Can I pay at a convenience store? Is there a maximum amount?"): answered too, when
      // the sentences that answer it are not the ones the earlier question already gets.
      const before = answeredBy.get(top);
      if (before !== undefined && newLinesFor(passages[0].doc, q, context, before)) also.push({ ...base('faq', q, context), passages });
      continue;
    }
    answeredBy.set(top, { text: q, context });
    // Already answered by the main answer's section ("What do I get with Prime? is delivery free?":
    // the Prime benefits say free shipping): another section of that page would answer a question
    // nobody asked ("Member (free)" for "free").
    const main = mainAnswered && g.intent === 'faq' ? g.passages[0] : undefined;
    // ...but when that section answers it with sentences the main answer does not give ("上限金額もある？"
    // after the cash-on-delivery fee: the limit is in the same section), those are its answer.
    if (main && passages[0].doc.ref === main.doc.ref && [...conceptsOf(q, true)].every((c) => speaksOf(main.doc.text, c))) {
      if (newLinesFor(main.doc, q, context, g.question ?? { text: g.text, context: [] })) also.push({ ...base('faq', q, context), passages: [main, ...passages.filter((p) => p.doc.id !== main.doc.id)] });
      continue;
    }
    answered.add(top);
    if (!mainAnswered) {
      g.passages = passages;
      g.question = { text: q, context };
      mainAnswered = true;
    } else also.push({ ...base('faq', q, context), passages });
  }
  // (A second title's answer found before, "… also is jjk 3 in stock?", stays first.)
  if (also.length > 0) g.also = [...(g.also ?? []), ...also].slice(0, MAX_OTHER_QUESTIONS);
  // A campaign that changes one of these answers (free shipping for the shipping question) goes
  // with it; the ones found for the whole message were for its first section.
  if (g.question) g.promotions = [];
  const policies = [...(g.question ? [g] : []), ...(g.also ?? [])].filter((x) => x.intent === 'faq' && x.passages[0]);
  const kinds = (x: Grounding) => promotionKindsFor(x.passages[0].doc, x.text);
  if (policies.some((x) => kinds(x).length > 0) && !(deps.brownout?.skipsTier3() ?? false)) {
    // ...a series' own campaign too when the message asks about that series ("Frieren vol 14 price? and how many points?").
    const named = new Set([g, ...(g.also ?? [])].flatMap((x) => x.series.map((s) => s.series.id)));
    const promos = await callDependency(guard('promotions'), deps.deadlines.promotions, ctx, (signal) => deps.promotions.active({ signal, now: now() }));
    const applies = (p: Promotion) => p.seriesIds.length === 0 || p.seriesIds.some((id) => named.has(id));
    if (promos.ok) for (const x of policies) x.promotions = promos.value.filter((p) => applies(p) && kinds(x).includes(p.kind)).sort((a, b) => a.seriesIds.length === 0 ? 1 : b.seriesIds.length === 0 ? -1 : 0);
    else deps.onFallback?.('promotions');
  }
}

/**
 * True when a question asks what buying the volumes costs, however it words it: which way is
 * cheaper ("the cheapest way to get them?", 「一番安い買い方は？」), or the whole series' total
 * (「全巻まとめて買うといくら？」: まとめて is no parcel question when nothing else of a policy is asked).
 * A catalog question, whatever store words it has.
 */
export function asksHowToBuy(q: string): boolean {
  return asksWhichCheaper(q) || (asksEveryVolume(q) === 'all' && [...conceptsOf(q, true)].every((c) => c === 'split' || c === 'price'));
}

/** `sub` about the one series `text` names that the customer may see (none when it names none). */
async function ofTitleNamed(lk: Lookup, sub: Grounding, text: string): Promise<Grounding> {
  await findSeries(lk, sub, text, undefined, Promise.resolve(undefined), { withheldNamed: false });
  sub.series = sub.series.filter((x) => lk.visible(x.series, lk.customer)).slice(0, 1);
  return sub;
}

// A price asked with nothing else ("how much would it cost?", "what's the total?", 「いくらになりますか？」).
const BARE_PRICE =
  /^(?:(?:and|so|then|also|ok|okay)[,\s]+)*(?:how much(?: would| will| does| is| do)?(?: it| that| they| those| all that| this| everything| all of it| all)?(?: (?:cost|come to|be|run me))?(?: in total| altogether| total| all together)?|what(?:'s| is| would be| will be| would| will)(?: the)? (?:total|price|cost)(?: be)?|(?:the )?(?:total|price|cost)(?: please)?)[\s?.!]*$|^(?:全部で|合計|合計で|総額|それで|で)?(?:いくら|おいくら)(?:に(?:なり|な)(?:ますか|る)?|ですか|かかりますか|かかる|くらい(?:ですか)?)?[？?。!！]*$/;

// How many volumes a title has, asked inside a longer sentence (「全部で何巻ありますでしょうか」, "how many volumes does it have").
const LENGTH_ASKED = /何巻|何冊|巻数|\bhow many (?:volumes|vols|books)\b/i;

// Store topics such a question may touch without asking a policy: buying every volume together (まとめて), the price,
// a young reader it is for (「娘がハマっておりまして」 asks nothing of minors' accounts).
const BESIDE_LENGTH = new Set(['split', 'price', 'minor']);

/** True when a question asks a title's length and, of the store's topics, at most buying it together, its price or who reads it. */
function asksLengthOfTitle(q: string): boolean {
  return LENGTH_ASKED.test(q.normalize('NFKC')) && leftoverOf(q).kind === 'title' && [...conceptsOf(q, true)].every((c) => BESIDE_LENGTH.has(c));
}

/** True when a section answers `q` with a sentence it does not give for the question before it (matched, not the section's opening). */
function newLinesFor(section: IndexedDoc, q: string, context: string[], before: { text: string; context: string[] }): boolean {
  const now = answerFrom(section, { text: q, context });
  if (!now.matched) return false;
  const given = new Set(answerFrom(section, before).answer.map((l) => l.text));
  return now.answer.some((l) => !given.has(l.text));
}
