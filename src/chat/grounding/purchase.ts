// A request to buy or preorder a volume ("put me down for it", "I'll take vol 15", 「9巻を予約したいです」):
// the chat takes no orders, so the answer is that volume (its card), how to buy it when it is out
// (first: "I'll take it" moves to buying), how to preorder it when it
// is not out yet (who may, when they are charged: the preorders page), and — for a signed-in
// customer who already has it on an open order — that order, rather than an invitation to a second copy.
import type { Grounding } from '../../llm/types.ts';
import { storeDate } from '../../llm/compose/index.ts';
import { latestVolume, nextPreorder } from '../../llm/compose/context.ts';
import { newestFirst } from '../../orders/order-match.ts';
import { callDependency } from '../dependency-call.ts';
import type { Lookup } from './lookup.ts';

// "Put me down for it", "reserve it", "I'll take it", "can I preorder it?", "order it for me",
// 「予約して」「予約したいです」「予約できる？」「買います」「じゃあ1巻買う」「それください」 (not 「買うといくら」「買う？」),
// "add it to my cart", "put vol 2 in the basket", 「カートに入れて」: the chat has no cart of its own either.
// (A preorder asked of as a state — "out yet or still preorder?", "is it up for preorder?" — is no request.)
const BUY_REQUEST =
  /\bput me down\b|\bsign me up\b|\bcount me in\b|\breserve\b|(?<!\b(?:still|or|on|up for|open for|available for|a|as)\s)\bpre-?order(?:s|ing)?\b(?! (?:rules?|polic(?:y|ies)|bonus))|\bi(?:'ll| will|'d like to| would like to| want to| wanna) (?:take|buy|get|order|grab|purchase|pre-?order)\b|\b(?:order|buy|get|grab|hold|save) (?:it|that|this|one|them|a copy) for me\b|予約して(?:ください|下さい|おいて|ほしい|欲しい|もらえ|くれ|$|[。！!?？])|予約(?:したい|します|お願い|でき|可能|希望)|予約し(?:とき|ておき)たい|買います|買いたい|買う(?:わ|よ|ね|ぞ)?\s*(?:$|[!！。.])|買おう(?:っと|かな)?\s*(?:$|[!！。.])|購入(?:します|したい|希望)|(?:それ|これ|その巻|この巻)(?:を)?(?:ください|下さい|お願いします)|(?:それ|これ|あれ|その巻|この巻|そっち|こっち|そちら|こちら)(?:に|で)(?:します|しよう|する|決めた|決めます|お願いします)|(?:それ|これ|そっち|こっち)で\s*(?:$|[!！。.])|\bi(?:'ll| will) go with (?:it|that|this|the)\b|\badd (?:it|that|this|them|that one|this one) to (?:my |the )?cart\b|\bi(?:'ll| will) have (?:it|that|this|that one|this one)\b|\b(?:add|put|throw|stick|pop)\b[^.?!]{0,40}?\b(?:to|in|into) (?:my |the |your )?(?:shopping )?(?:cart|basket)\b|(?:カート|カゴ|かご)(?:に|へ)(?:入れ|いれ|追加|入)[\u3041-\u309f]*/i;

/** True when the message asks to buy, reserve or preorder something (not how preorders work in general). */
export function asksToBuy(text: string): boolean {
  return BUY_REQUEST.test(text.normalize('NFKC'));
}

/** Open orders (not cancelled or returned) looked through for the volume asked. */
const ORDER_HISTORY = 50;

/**
 * For one volume asked to be bought: the open order of theirs that already holds it, and — when
 * it is not out yet — the preorders page's rule for this customer (a guest: who may preorder; a
 * member: when they are charged). Best effort: a failed lookup adds nothing.
 */
export async function purchaseLookup(lk: Lookup, g: Grounding): Promise<void> {
  const found = g.series[0];
  if (g.series.length !== 1 || !found) return;
  const today = storeDate(lk.now());
  // The volume asked, or the one up for preorder ("can I preorder the next one?", "any preorders for One Piece?").
  const next = g.volumeAsked?.ref === 'next' && !g.volumeAsked.none ? nextPreorder(found.products, today, g.volumeAsked.after ?? latestVolume(found.products, today) ?? 0)?.volume : undefined;
  const volume = g.requestedVolume ?? next;
  if (volume === undefined) return;
  const products = found.products.filter((p) => p.volume === volume);
  if (products.length === 0) return;
  const upcoming = products.some((p) => p.releaseDate.slice(0, 10) > today);
  const customerId = lk.customer.kind === 'guest' ? undefined : lk.customer.customerId;
  if (customerId) {
    const ids = new Set(products.map((p) => p.id));
    const r = await callDependency(lk.guard('orders'), lk.deps.deadlines.orders, lk.ctx, (signal) => lk.deps.orders.listForCustomer(customerId, { signal, limit: ORDER_HISTORY }));
    const holding = r.ok ? newestFirst(r.value).find((o) => o.status !== 'cancelled' && o.status !== 'returned' && o.lines.some((l) => ids.has(l.productId))) : undefined;
    if (holding) {
      g.purchase = { volume, ordered: { orderId: holding.id, status: holding.status } };
      return;
    }
  }
  // Out already: how to buy it (the chat takes no orders; a guest may buy print books).
  if (!upcoming) {
    g.purchase = { volume, guest: !customerId, buy: true };
    return;
  }
  if (!lk.policySections) return;
  const question = customerId ? (g.language === 'ja' ? '予約 いつ 請求' : 'when am I charged for a preorder?') : g.language === 'ja' ? '予約できるのは誰？ゲスト' : 'who can preorder? guests';
  const rule = lk.policySections.rank({ text: question, language: g.language }, 1)[0];
  g.purchase = { volume, ...(rule ? { rule } : {}), guest: !customerId };
}
