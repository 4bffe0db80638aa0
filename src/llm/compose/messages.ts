/**
 * Every customer-facing phrase of the local engine, per language, in one place.
 * Japanese follows the polite です/ます register of a store clerk; English stays friendly and short.
 * Phrases take facts as arguments and never hold a title, price, date or order of their own.
 */
import type { Language } from '../../understanding/types.ts';
import type { ProductFormat, SeriesStatus } from '../../catalog/types.ts';
import type { OrderStatus } from '../../orders/types.ts';

/** Where a volume stands on the shelf. */
export type StockState = 'in_stock' | 'out_of_stock' | 'preorder';

/** The phrasebook of one language. */
export interface Messages {
  yen(amount: number): string;
  /** An ISO date or timestamp, shown as the calendar date it was written with. */
  date(iso: string): string;
  title(name: string): string;
  authors(names: string[]): string;
  volume(n: number): string;
  format(f: ProductFormat): string;
  orderStatus(s: OrderStatus): string;
  /** A genre, theme or demographic label, translated when the phrasebook knows it. */
  label(value: string): string;
  list(items: string[]): string;
  bullet(text: string, index: number): string;
  /** What goes between two sentences on one line: a space in English, nothing in Japanese. */
  gap: string;

  // product_search / product_question / price_availability
  seriesIntro(title: string, authors: string[], status: SeriesStatus, volumeCount?: number): string;
  searchLead(count: number): string;
  alsoFound(titles: string[]): string;
  synopsis(text: string): string;
  latestVolume(title: string, volume: string): string;
  searchLatest(volume: string, price: string): string;
  availabilityLead(title: string, volume: string): string;
  availability(volume: string, format: string, price: string, state: StockState, releaseDate: string): string;
  upcoming(volume: string, releaseDate: string): string;
  volumeMissing(title: string, requested: string, latest?: string): string;
  noProducts(title: string): string;
  rating(average: number, count: number): string;
  promoApplies(title: string, endDate: string, code?: string): string;
  productFollowUp: string;
  priceFollowUp: string;
  noMatch(searchLink: string): string;
  catalogDown(searchLink: string): string;

  // recommendation
  recommendLead: string;
  popularLead: string;
  popularFallbackLead: string;
  /** Asked for sales figures ("best selling this week"): the store shows popularity, not sales; then the popular list. */
  popularNotSales: string;
  reason(kind: string, value: string): string | undefined;
  genresReason(labels: string[]): string;
  recommendItem(title: string, authors: string, reasons: string[]): string;
  recommendFollowUp: string;
  noRecommendations(searchLink: string): string;

  // order_status
  signIn(trackingLink: string): string;
  ordersDown(trackingLink: string): string;
  unknownOrder(orderId: string, trackingLink: string): string;
  noOrders(trackingLink: string): string;
  /** None of their orders is in the state asked about ("anything pending payment?"); `status` as orderStatus words it. */
  noOrdersInStatus(status: string): string;
  noOrdersThen: string;
  orderSummary(id: string, placedAt: string, items: string, total: string, status: string): string;
  orderItem(title: string, quantity: number): string;
  orderShipping(carrier?: string, trackingNumber?: string): string;
  orderEta(date: string): string;
  orderDelivered(date: string): string;
  otherOrders(items: string[]): string;
  /** The customer's latest orders, when none of them was the one asked about. */
  recentOrders(items: string[]): string;
  /** Asked which orders have not arrived, and every one has (or was cancelled or returned). */
  allOrdersArrived: string;
  /** Asked which orders have not arrived: how many have not. */
  openOrders(count: number): string;
  /** Before the other orders of theirs still on their way, described after the one asked about. */
  alsoOnItsWay(count: number): string;
  orderRef(id: string, status: string): string;
  /** An order line named from the catalog ("ワンピース 113巻", "進撃の巨人 BOXセット 1"). */
  itemName(title: string, volume: number, format: ProductFormat): string;
  /** Where to follow a parcel that is on its way. */
  orderTrack(trackingLink: string): string;
  /** An order waiting for payment: it ships once paid, and is cancelled if not paid in time. */
  orderAwaitingPayment: string;
  orderCancelledNote: string;
  orderReturnedNote: string;
  /** Several orders hold the series the customer named. */
  ordersWith(title: string, count: number): string;
  /** Several orders fit when (or what) the customer said ("my orders from last month"). */
  ordersPicked(count: number): string;
  ordersPlaced(count: number): string;
  /** What several orders came to together (the sum of their totals). */
  ordersSpent(total: string, count: number): string;
  /** None of the customer's orders holds the series they named. */
  noOrderWith(title: string): string;
  /**
   * An order past its estimated delivery date and not delivered: it is late, and what to do —
   * past 2 days the store investigates with the carrier (order-tracking guide).
   */
  orderLate(due: string, daysLate: number, supportLink: string): string;
  /** How many of the series named the order holds ("how many Chiikawa did I order?"). */
  orderQuantity(title: string, quantity: number, orderId: string): string;
  /** A handoff about one order: the order the staff member is given (and the date it was due, when it is late). */
  handoffOrder(orderId: string, status: string, lateSince?: string): string;
  /** Whether the order asked about can still be cancelled, by its status (the cancellation page's rules). */
  orderCancellable(state: 'yes' | 'shipped' | 'delivered' | 'cancelled' | 'returned' | 'digital'): string;
  /** Whether the order's points have been added, by its status (the points page: print on delivery, digital at payment). */
  orderPoints(state: 'added' | 'on-delivery' | 'digital'): string;
  /** Changing the delivery address of a placed order: no self-service change in the help pages, so support. */
  orderAddressChange(shipped: boolean, supportLink: string): string;
  /** Adding an item to a placed order: no way in the help pages, so a new order (shipping as the shipping page says for the tier) or support. */
  orderAddition(shipped: boolean, prime: boolean, supportLink: string): string;
  /** Asked to buy a volume they already have on an open order: that order, not a second copy. */
  alreadyOrdered(volume: string, orderId: string, status: string): string;
  /** How to preorder a volume that is not out yet (the preorders page: product page, members only). */
  preorderHow(guest: boolean): string;
  /** How to buy a volume that is out (the chat takes no orders); a guest is told what guest checkout allows. */
  buyHow(guest: boolean): string;

  // faq
  /** A sentence quoted from a help page, ending as a sentence of this language ends. */
  sentence(text: string): string;
  /** A list item under a short label, as one sentence ("Prime benefits: free shipping."). */
  labelled(label: string, item: string): string;
  /** One item of a list, on its own line. */
  listItem(text: string): string;
  /** Where the answer comes from (the help page and its section) and where to get more help. */
  faqSource(page: string, section: string, supportLink: string): string;
  faqOtherLanguage: string;
  /** What the topic the conversation is on changes ("For a preorder: cash on delivery is not available"), before the general rule. */
  inPlayRule(scope: string, text: string): string;
  /** A payment method the store does not list, and the ones it accepts. */
  notAMethod(method: string, methods: string[]): string;
  /** A payment method the store lists, asked about yes or no ("can I pay with PayPay?"): yes, first. */
  methodAccepted(method: string): string;
  /** "Can I preorder it?" of a rule that shuts only guests out: yes for a signed-in customer, sign in first for a guest (`what` is the volume in play, if any). */
  tierMay(verb: string, signedIn: boolean, what?: string): string;
  noPassage(supportLink: string): string;
  retrievalDown(supportLink: string): string;
  /** Retrieval is down: a built-in summary of `topic`, with the honest note that details could not be looked up. */
  builtInSummary(topic: string, summary: string): string;
  /** After a built-in summary: where the full details are. */
  builtInMore(supportLink: string): string;

  // promotion
  promoLead(count: number): string;
  promoItem(title: string, description: string, endDate: string, code?: string): string;
  /** The promotions a question picked out ("a coupon for new members?"), before they are listed. */
  promoYes(count: number): string;
  /** The promotions that list the series asked about follow. */
  promoFor(title: string): string;
  /** No running promotion lists the series asked about. */
  promoNoneFor(title: string): string;
  /** Store-wide promotions that apply to the series asked about as well. */
  promoStoreWideToo(items: string[]): string;
  /** The other running promotions, by name. */
  promoAlso(items: string[]): string;
  /** One promotion by name and end date. */
  promoRef(title: string, endDate: string): string;
  /** A campaign running now that changes a policy answer (a fee waived, points multiplied). */
  promoNow(title: string, description: string, endDate: string): string;
  /** The fee asked for an order of a given amount, worked out with a free-shipping campaign running now: it ships free. */
  shipsFreeNow(amount: string, title: string, endDate: string): string;
  /**
   * Points a purchase earns a signed-in customer: what is bought (`what`, with its live price
   * `subtotal`), the tier's rate, the campaign that multiplies it, the points.
   */
  pointsEstimate(what: string, subtotal: string, tier: 'member' | 'prime', rate: number, campaign: string | undefined, multiplier: number, points: number): string;
  /** A guest earns no points; what the same purchase would earn a member. */
  pointsGuest(what: string, subtotal: string, rate: number, campaign: string | undefined, multiplier: number, memberPoints: number): string;
  /** Several volumes as a range or a list ("Vol. 1–3", 「1〜3巻」). */
  volumeSpan(volumes: number[]): string;
  /** One format's price during a promotion: the list price, then the promoted one. */
  promoPrice(volume: string, format: string, was: string, now: string): string;
  /** The promoted prices of the volume shown. */
  promoPrices(items: string[]): string;
  /** Whether a promotion covers the format asked about, from its own description ('unstated': it names none). */
  promoFormat(title: string, covers: 'print' | 'digital' | 'both' | 'unstated', asked: 'print' | 'digital'): string;
  /** A promotion's coupon code as its data gives it, or that it needs none. */
  promoCode(title: string, code: string | undefined): string;
  /** The last day a promotion runs. */
  promoUntil(title: string, endDate: string): string;
  /** A promotion for Prime members only, said against the customer's membership (prime, member, or a guest). */
  promoPrimeOnly(title: string, customer: 'guest' | 'member' | 'prime'): string;
  /** Combining promotions: the promotion data does not say, so no promise; support can confirm. */
  promoCombine(titles: string[], supportLink: string): string;
  /** The question names something no running promotion is about ("a student discount?"). */
  promoNoMatch: string;
  /** A promotion the customer named that has ended: said so, with its end date (never offered). */
  promoEnded(title: string, endDate: string): string;
  /** A promotion the customer named that has not started: when it runs. */
  promoUpcoming(title: string, startDate: string, endDate: string): string;
  /** After a promotion that is not running: the running ones, by name. */
  promoRunningInstead(items: string[]): string;
  noPromotions: string;
  promotionsDown: string;

  // chitchat / escalation / out_of_scope
  greeting: string;
  thanks: string;
  capabilities: string;
  /** A greeting again, later in the conversation: no second introduction. */
  greetingAgain: string;
  /** The assistant about itself ("are you human or AI?"): an AI, not a person; a person on request. */
  aboutAssistant: string;
  /** The customer asked to be answered in this message's language from now on. */
  languageSwitched: string;
  /** "ok", "👍": a short reply, not the greeting again. */
  acknowledged: string[];
  /** "?", "🙂": what the customer can ask, briefly (a second one reads differently). */
  unclear: string[];
  farewell: string;
  /** After thanks later in a conversation. */
  anythingElse: string;
  escalation(supportLink: string): string;
  /** A handoff ticket is open: a staff member will answer in this chat. */
  handedOver(ticketId: string, supportLink: string): string;
  outOfScope: string;
  /** Asked about an anime or film of a title: the store cannot answer that; it can help with the manga. */
  otherMediumAside: string;
}

const FORMATS_EN: Record<ProductFormat, string> = {
  tankobon: 'paperback',
  digital: 'digital',
  kanzenban: 'kanzenban edition',
  box_set: 'box set',
};
const FORMATS_JA: Record<ProductFormat, string> = {
  tankobon: '単行本',
  digital: '電子版',
  kanzenban: '完全版',
  box_set: 'BOXセット',
};

const ORDER_STATUS_EN: Record<OrderStatus, string> = {
  pending_payment: 'awaiting payment',
  processing: 'being prepared for shipping',
  shipped: 'shipped',
  out_for_delivery: 'out for delivery',
  delivered: 'delivered',
  cancelled: 'cancelled',
  returned: 'returned',
};
const ORDER_STATUS_JA: Record<OrderStatus, string> = {
  pending_payment: 'お支払い待ち',
  processing: '発送準備中',
  shipped: '発送済み',
  out_for_delivery: '配達中',
  delivered: '配達完了',
  cancelled: 'キャンセル済み',
  returned: '返品済み',
};

// Catalog labels arrive in English (MyAnimeList style); Japanese customers should read them in Japanese.
const LABELS_JA: Record<string, string> = {
  action: 'アクション', adventure: '冒険', comedy: 'コメディ', drama: 'ドラマ', fantasy: 'ファンタジー',
  horror: 'ホラー', mystery: 'ミステリー', romance: '恋愛', 'sci-fi': 'SF', 'slice of life': '日常系',
  sports: 'スポーツ', supernatural: '超常現象', suspense: 'サスペンス', psychological: '心理サスペンス',
  thriller: 'スリラー', historical: '歴史', music: '音楽', gourmet: 'グルメ', 'award winning': '受賞作',
  'boys love': 'BL', 'girls love': '百合', isekai: '異世界', school: '学園', 'martial arts': '格闘技',
  mecha: 'ロボット', military: 'ミリタリー', 'time travel': 'タイムトラベル', reincarnation: '転生',
  samurai: '侍', detective: '探偵', idols: 'アイドル', 'super power': '超能力', survival: 'サバイバル',
  workplace: 'お仕事', mythology: '神話', vampire: '吸血鬼', 'video game': 'ゲーム', iyashikei: '癒し系',
  medical: '医療', gore: 'グロ描写', 'adult cast': '大人が主役', childcare: '子育て', 'strategy game': '頭脳戦', 'team sports': 'チームスポーツ',
  'love polygon': '恋愛群像', 'visual arts': 'アート', 'performing arts': '芸能', pets: 'ペット',
  'high stakes game': 'ギャンブル', 'organized crime': '裏社会', villainess: '悪役令嬢', crossdressing: '女装・男装', parody: 'パロディ',
  'otaku culture': 'オタク文化', showbiz: '芸能界', memoir: '実録', anthropomorphic: '擬人化', 'reverse harem': '逆ハーレム',
  'combat sports': '格闘スポーツ', educational: '学習', harem: 'ハーレム', delinquents: 'ヤンキー', space: '宇宙', 'mahou shoujo': '魔法少女',
  'gag humor': 'ギャグ', 'idols (female)': 'アイドル', 'idols (male)': '男性アイドル', ecchi: 'お色気', racing: 'レース', cgdct: 'かわいい女の子の日常',
  shounen: '少年', seinen: '青年', shoujo: '少女', josei: '女性', kodomomuke: '児童',
};

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Dates are shown as written (YYYY-MM-DD prefix): converting time zones could move a date by a day.
function dateParts(iso: string): [number, number, number] | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The store's carriers in each language (the order data names them in English; the shipping guide in both). */
const CARRIERS: { en: string; ja: string; names: RegExp }[] = [
  { en: 'Yamato Transport', ja: 'ヤマト運輸', names: /yamato|ヤマト|クロネコ/i },
  { en: 'Japan Post', ja: '日本郵便', names: /japan ?post|yu-?packet|日本郵便|ゆうパケット|ゆうパック|郵便局/i },
  { en: 'Sagawa Express', ja: '佐川急便', names: /sagawa|佐川/i },
];

/** A carrier's name in the reply's language ("Yamato Transport" in a Japanese reply is ヤマト運輸); an unknown one as given. */
export function carrierName(carrier: string, language: 'ja' | 'en'): string {
  const known = CARRIERS.find((c) => c.names.test(carrier));
  return known ? known[language] : carrier;
}

function thousands(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const en: Messages = {
  yen: (n) => `¥${thousands(n)}`,
  date(iso) {
    const p = dateParts(iso);
    return p ? `${MONTHS_EN[p[1] - 1]} ${p[2]}, ${p[0]}` : iso;
  },
  title: (name) => name,
  authors: (names) => en.list(names),
  volume: (n) => `Vol. ${n}`,
  format: (f) => FORMATS_EN[f] ?? f,
  orderStatus: (s) => ORDER_STATUS_EN[s] ?? s,
  label: (v) => v,
  list(items) {
    if (items.length <= 1) return items.join('');
    if (items.length === 2) return `${items[0]} and ${items[1]}`;
    return `${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}`;
  },
  bullet: (text, i) => `${i + 1}. ${text}`,
  gap: ' ',

  seriesIntro(title, authors, status, count) {
    const by = authors.length ? `${title} by ${en.authors(authors)}` : title;
    const vols = count === undefined ? '' : `${count} volume${count === 1 ? '' : 's'}`;
    switch (status) {
      case 'publishing': return vols ? `${by} is ongoing, with ${vols} so far.` : `${by} is ongoing.`;
      case 'finished': return vols ? `${by} is complete in ${vols}.` : `${by} is complete.`;
      case 'hiatus': return vols ? `${by} is on hiatus, with ${vols} out.` : `${by} is on hiatus.`;
      case 'discontinued': return vols ? `${by} was discontinued after ${vols}.` : `${by} was discontinued.`;
      default: return vols ? `${by} has ${vols}.` : `${by} is in our catalog.`;
    }
  },
  searchLead: (n) => (n === 1 ? "Here's what I found:" : `I found ${n} series that match:`),
  alsoFound: (titles) => `I also found ${en.list(titles)}.`,
  synopsis: (text) => `The story: ${text}`,
  latestVolume: (title, vol) => `The latest volume of ${title} is ${vol}:`,
  searchLatest: (vol, price) => `Latest: ${vol}, ${price}.`,
  availabilityLead: (title, vol) => `Here's ${vol} of ${title}:`,
  availability(vol, format, price, state, release) {
    const head = `${vol} (${format}): ${price}`;
    if (state === 'preorder') return `${head}, available for preorder — it releases ${release}.`;
    if (state === 'out_of_stock') return `${head}, out of stock at the moment (released ${release}).`;
    return `${head}, in stock (released ${release}).`;
  },
  upcoming: (vol, release) => `${vol} is up for preorder and releases ${release}.`,
  volumeMissing: (title, req, latest) =>
    latest
      ? `Sorry, ${req} of ${title} isn't available in our store. The latest volume we have is ${latest}:`
      : `Sorry, ${req} of ${title} isn't available in our store.`,
  noProducts: (title) => `I don't have any volumes of ${title} on sale right now, so I can't give you a price.`,
  rating: (avg, count) => `Customers rate it ${avg.toFixed(1)}/5 (${count} review${count === 1 ? '' : 's'}).`,
  promoApplies: (title, end, code) => `Good news: "${title}" applies until ${end}${code ? ` with code ${code}` : ''}.`,
  productFollowUp: 'Would you like prices or stock for a particular volume?',
  priceFollowUp: 'Anything else I can check for you?',
  noMatch: (link) =>
    "Sorry, I couldn't find that title in our catalog. Could you check the spelling, or try the Japanese or English title? " +
    `You can also ask me for recommendations by genre (for example "romance manga"), or browse our search page: ${link}`,
  catalogDown: (link) => `Sorry, I can't reach our catalog right now. In the meantime you can search here: ${link}`,

  recommendLead: 'Here are a few series you might enjoy:',
  popularLead: "Here's what's popular right now:",
  popularFallbackLead: "I can't get personalised picks at the moment, but here's what's popular right now:",
  popularNotSales: "We don't publish sales figures or a weekly best-seller chart, so I can't tell you what sold most this week. Here's what's popular in our store right now:",
  reason(kind, value) {
    switch (kind) {
      case 'same_author': return value ? `from ${value}, the same author` : 'by the same author';
      case 'genre': return value ? `great if you enjoy ${value}` : undefined;
      case 'theme': return value ? `a ${value} story` : undefined;
      case 'demographic': return value ? `a ${value} favourite` : undefined;
      case 'popular': return 'one of our most popular series';
      case 'trending': return 'selling fast right now';
      default: return undefined;
    }
  },
  genresReason: (labels) => `${en.list(labels)}`,
  recommendItem: (title, authors, reasons) =>
    `${title}${authors ? ` by ${authors}` : ''}${reasons.length ? ` — ${reasons.join('; ')}` : ''}.`,
  recommendFollowUp: 'Want prices or details for any of these?',
  noRecommendations: (link) => `Sorry, I couldn't come up with recommendations for that right now. You can browse our catalog here: ${link}`,

  signIn: (link) => `To check your orders, please sign in first. You can also follow a parcel on our order tracking page: ${link}`,
  ordersDown: (link) => `Sorry, I can't reach our order system right now. Please check your order on the order tracking page: ${link}`,
  unknownOrder: (id, link) =>
    `I couldn't find order ${id} among the orders on your account. Please double-check the number in your confirmation email, or see the order tracking page: ${link}`,
  noOrders: (link) => `I don't see any orders on your account yet. If you ordered recently, the order tracking page has the latest: ${link}`,
  orderSummary: (id, placed, items, total, status) => `Order ${id} (placed ${placed}: ${items}; ${total} total) is ${status}.`,
  orderItem: (title, qty) => (qty > 1 ? `${title} ×${qty}` : title),
  orderShipping(carrier, tracking) {
    if (carrier && tracking) return `It's with ${carrierName(carrier, 'en')}, tracking number ${tracking}.`;
    if (carrier) return `It's with ${carrierName(carrier, 'en')}.`;
    return tracking ? `The tracking number is ${tracking}.` : '';
  },
  orderEta: (date) => `Estimated delivery: ${date}.`,
  orderDelivered: (date) => `It was delivered on ${date}.`,
  otherOrders: (items) => `Your other recent orders: ${items.join(', ')}.`,
  recentOrders: (items) => `Your recent orders: ${items.join(', ')}.`,
  noOrdersInStatus: (status) => `None of your orders is ${status} right now.`,
  noOrdersThen: "I can't find an order of yours placed then.",
  allOrdersArrived: 'None of your orders is on its way right now: every one has been delivered (or was cancelled or returned).',
  openOrders: (count) => `${count} of your orders have not arrived yet:`,
  alsoOnItsWay: (count) => (count === 1 ? 'Another of your orders is still on its way:' : `${count} more of your orders are still on their way:`),
  orderRef: (id, status) => `${id} (${status})`,
  itemName: (title, volume, format) => `${title}${format === 'tankobon' ? '' : ` ${FORMATS_EN[format]}`} ${en.volume(volume)}`,
  orderTrack: (link) => `You can follow it on our order tracking page: ${link}`,
  orderAwaitingPayment: 'It ships as soon as your payment is confirmed; an order that is not paid by its payment deadline is cancelled automatically.',
  orderCancelledNote: 'Any payment for it is refunded.',
  orderReturnedNote: 'We received the return and issued the refund.',
  ordersWith: (title, n) => `You have ${n} orders with ${title}:`,
  ordersPicked: (n) => `${n} of your orders fit that:`,
  ordersPlaced: (n) => (n === 1 ? 'You have placed 1 order with us:' : `You have placed ${n} orders with us. The latest:`),
  ordersSpent: (total, n) => `Together those ${n} orders came to ${total}.`,
  noOrderWith: (title) => `I couldn't find ${title} in any of your orders.`,
  orderLate: (due, days, link) =>
    days > 2
      ? `It's late: it was due ${due} and hasn't been delivered yet, so we'll open an investigation with the carrier — say "talk to a person" and I'll hand it to our staff, or contact support: ${link}`
      : `It's running late: it was due ${due} and hasn't been delivered yet. Tracking can take up to 24 hours to update; if it still hasn't arrived 2 days after that date, contact us and we'll investigate with the carrier: ${link}`,
  orderQuantity: (title, qty, id) => `You ordered ${qty} × ${title} (order ${id}).`,
  orderPoints: (state) =>
    ({
      added: 'It has been delivered, so its points have already been added to your account.',
      'on-delivery': "Its points will be added when it is delivered (print books earn their points on delivery).",
      digital: 'Its points were added as soon as it was paid for (digital editions earn points at payment).',
    })[state],
  orderCancellable: (state) =>
    ({
      yes: "It hasn't shipped yet, so you can still cancel it free of charge.",
      shipped: 'It has already shipped, so it can no longer be cancelled.',
      delivered: "It has already been delivered, so it can't be cancelled; you can return it instead.",
      cancelled: 'It has already been cancelled.',
      returned: 'It has already been returned.',
      digital: "Digital volumes can't be cancelled once paid for.",
    })[state],
  orderAddressChange: (shipped, link) =>
    shipped
      ? `It has already shipped, so its delivery address can't be changed from your account; please contact support with the order number: ${link}`
      : `It hasn't shipped yet. Our help pages have no way to change the delivery address of an order already placed, so please contact support right away with the order number: ${link}`,
  orderAddition: (shipped, prime, link) =>
    `${shipped ? "It has already shipped, so nothing more can be added to it." : "It hasn't shipped yet, but"} ${shipped ? 'Our' : 'our'} help pages have no way to add items to an order already placed: please place a new order for the other book (${prime ? 'as a Prime member, it ships free' : 'it ships free from ¥2,000, otherwise ¥350'}), or contact support with the order number: ${link}`,
  alreadyOrdered: (vol, id, status) => `You already have ${vol} on order: ${id} (${status}), so there's no need to order it again.`,
  buyHow: (guest) =>
    `I can't place orders in the chat, but you can buy it on its product page: add it to your cart and check out.${guest ? ' Print books can be bought as a guest (guest orders earn no points, and digital editions need an account).' : ''}`,
  preorderHow: (guest) => (guest ? 'To preorder it, sign in (or create a free account) and choose "Preorder" on its product page.' : 'To preorder it, choose "Preorder" on its product page.'),
  handoffOrder: (id, status, late) =>
    `I've passed on your order ${id} (${status}${late ? `, due ${late} and not delivered yet` : ''}) with your request, so our staff can see it${late ? ' and look into it with the carrier' : ''}.`,

  sentence: (text) => (/[.!?:]$/.test(text) ? text : `${text.replace(/[,;]?\s*(?:or|and)?$/, '')}.`),
  labelled: (label, item) => `${label.replace(/[:：]$/, '')}: ${en.sentence(item)}`,
  listItem: (text) => `- ${text.replace(/,\s*(?:or|and)$/, '')}`,
  faqSource: (page, section, link) => `(From our ${page} guide${section ? `, "${section}"` : ''}.) If you need more help, our support team is here: ${link}`,
  faqOtherLanguage: '(This guide is only available in Japanese.)',
  inPlayRule: (scope, text) => `${IN_PLAY_EN[scope] ?? 'In your case'}: ${en.sentence(text)}`,
  notAMethod: (method, methods) => `${method} isn't one of our payment methods. You can pay by: ${en.list(methods)}.`,
  // "Credit and debit cards" reads in a sentence as "credit and debit cards"; PayPay, JCB keep their capitals.
  tierMay: (verb, signedIn, what) => (signedIn ? `Yes — you're signed in, so you can ${verb} ${what ?? 'it'}.` : `Not as a guest — please sign in (or create a free account) to ${verb} ${what ?? 'it'}.`),
  methodAccepted: (method) => `Yes — we accept ${/^\p{Lu}\p{Ll}+(?:\s|$)/u.test(method) ? method[0].toLowerCase() + method.slice(1) : method}.`,
  noPassage: (link) => `I'm sorry, I don't have information on that. Our support team can help: ${link}`,
  retrievalDown: (link) => `Sorry, I can't look up our help articles right now. Please see our support page: ${link}`,
  builtInSummary: (topic, summary) => `I can't look up our help articles right now, so here is the short version of our ${topic} guide: ${summary}`,
  builtInMore: (link) => `For the full details, please see our support page: ${link}`,

  promoLead: (n) => (n === 1 ? "Here's our current promotion:" : "Here are our current promotions:"),
  promoItem: (title, desc, end, code) => `${title}: ${desc} Ends ${end}.${code ? ` Code: ${code}.` : ''}`,
  promoYes: (n) => (n === 1 ? 'Yes, we have this promotion right now:' : 'Yes, we have these promotions right now:'),
  promoFor: (title) => `For ${title}, these promotions are running:`,
  promoNoneFor: (title) => `There's no promotion just for ${title} right now.`,
  promoStoreWideToo: (items) => `Store-wide offers that apply to it too: ${en.list(items)}.`,
  promoAlso: (items) => `Also running: ${en.list(items)}.`,
  promoRef: (title, end) => `${title} (until ${end})`,
  promoNow: (title, desc, end) => `Right now: ${title} — ${desc.replace(/[.!]$/, '')} (until ${end}).`,
  shipsFreeNow: (amount, title, end) => `Right now an order of ${amount} ships free within Japan: "${title}" runs until ${end}.`,
  pointsEstimate: (what, subtotal, tier, rate, campaign, x, points) =>
    `${what} (${subtotal}) would earn you ${thousands(points)} points: ${subtotal} × your ${tier === 'prime' ? 'Prime' : 'member'} rate of ${rate}%${campaign ? ` × ${x} with "${campaign}"` : ''}, rounded down.`,
  pointsGuest: (what, subtotal, rate, campaign, x, points) =>
    `As a guest, ${what} (${subtotal}) would earn no points; signed in as a member you would get ${thousands(points)} points (${rate}%${campaign ? ` × ${x} with "${campaign}"` : ''}).`,
  volumeSpan: (vs) => (vs.length > 1 && vs.every((v, i) => i === 0 || v === vs[i - 1] + 1) ? `Vol. ${vs[0]}–${vs.at(-1)}` : vs.map((v) => `Vol. ${v}`).join(', ')),
  promoPrice: (volume, format, was, now) => `${volume} (${format}) ${now} instead of ${was}`,
  promoPrices: (items) => `With the discount: ${en.list(items)}.`,
  promoFormat(title, covers, asked) {
    if (covers === 'both') return `"${title}" covers both print books and digital editions.`;
    if (covers === 'unstated') return `The details of "${title}" don't limit it to print or digital.`;
    const only = covers === 'print' ? 'print books' : 'digital editions';
    return covers === asked ? `Yes — "${title}" is for ${only}.` : `"${title}" is for ${only} only, so it can't be used on ${asked === 'digital' ? 'digital editions' : 'print books'}.`;
  },
  promoCode: (title, code) => (code ? `"${title}" takes the coupon code ${code} at checkout.` : `"${title}" needs no coupon code.`),
  promoUntil: (title, end) => `"${title}" runs until ${end}.`,
  promoPrimeOnly: (title, customer) =>
    customer === 'prime' ? `As a Prime member, you get "${title}".` : customer === 'member' ? `"${title}" is for Prime members only, so it doesn't apply to your account (a regular membership).` : `"${title}" is for Prime members only.`,
  promoCombine: (titles, link) =>
    `Our promotion details don't say whether ${en.list(titles.map((t) => `"${t}"`))} can be combined with other offers in one order, so I can't promise that; our support team can confirm before you order: ${link}`,
  promoNoMatch: "I don't see a promotion for that right now. Here's everything that is running:",
  promoEnded: (title, end) => `"${title}" has ended: it ran until ${end}, so it can no longer be used.`,
  promoUpcoming: (title, start, end) => `"${title}" hasn't started yet: it runs from ${start} to ${end}.`,
  promoRunningInstead: (items) => `Running now: ${items.join('; ')}.`,
  noPromotions: "There aren't any promotions running right now — please check back soon!",
  promotionsDown: "Sorry, I can't load our current promotions right now. Please try again in a little while.",

  greeting: "Hi there! I'm MangaAssist, the store's chat assistant.",
  thanks: "You're very welcome!",
  greetingAgain: 'Hi again! What can I look up for you?',
  aboutAssistant:
    "I'm MangaAssist, the store's AI assistant — an automated program, not a person. I answer around the clock in English and Japanese. If you'd rather talk to a member of our staff, just say so and I'll hand you over.",
  languageSwitched: "Sure — I'll answer in English from now on. What can I help you with?",
  acknowledged: ['Great! Anything else I can help with?', 'Sure. Let me know if there is anything else.'],
  unclear: [
    'Happy to help — what are you looking for? You can ask me about a title, prices and stock, your orders or store policies.',
    'Just type a title, a genre you like, an order question or a store question, and I will look it up.',
  ],
  farewell: 'Thanks for stopping by — have a great day!',
  anythingElse: 'Anything else I can help with?',
  capabilities:
    'I can help you find manga, recommend series, check prices and stock, track your orders, and answer questions about shipping, returns and other store policies.',
  escalation: (link) =>
    `I'm sorry for the trouble. I'll connect you with a member of our support team — you can also reach them directly here: ${link}`,
  handedOver: (ticket, link) =>
    `I'm sorry for the trouble. I've passed your request to our support team (ticket ${ticket}); a staff member will reply right here in this chat. You can also reach them directly: ${link}`,
  outOfScope: "Sorry, that's outside what I can help with here.",
  otherMediumAside: "Sorry, I can't answer questions about the anime, films or other adaptations (episodes, broadcasts, streaming); I can help with the manga itself: its volumes, prices and stock.",
};

const ja: Messages = {
  yen: (n) => `${thousands(n)}円`,
  date(iso) {
    const p = dateParts(iso);
    return p ? `${p[0]}年${p[1]}月${p[2]}日` : iso;
  },
  title: (name) => `『${name}』`,
  authors: (names) => names.map((n) => `${n}先生`).join('・'),
  volume: (n) => `${n}巻`,
  format: (f) => FORMATS_JA[f] ?? f,
  orderStatus: (s) => ORDER_STATUS_JA[s] ?? s,
  label: (v) => LABELS_JA[v.toLowerCase()] ?? v,
  list: (items) => items.join('、'),
  bullet: (text) => `・${text}`,
  gap: '',

  seriesIntro(title, authors, status, count) {
    const head = authors.length ? `${title}は${ja.authors(authors)}の作品で、` : `${title}は`;
    const hasCount = count !== undefined;
    switch (status) {
      case 'publishing': return hasCount ? `${head}現在連載中で、${count}巻まで発売中です。` : `${head}現在連載中です。`;
      case 'finished': return hasCount ? `${head}全${count}巻で完結しています。` : `${head}すでに完結しています。`;
      case 'hiatus': return hasCount ? `${head}現在休載中で、既刊${count}巻です。` : `${head}現在休載中です。`;
      case 'discontinued': return hasCount ? `${head}連載は終了しており、既刊${count}巻です。` : `${head}連載は終了しています。`;
      default: return hasCount ? `${head}既刊${count}巻です。` : `${head}当店でお取り扱いがございます。`;
    }
  },
  searchLead: (n) => (n === 1 ? 'お探しの作品はこちらでしょうか。' : `該当する作品が${n}件見つかりました。`),
  alsoFound: (titles) => `ほかに${titles.join('、')}も見つかりました。`,
  synopsis: (text) => `あらすじ：${text}`,
  latestVolume: (title, vol) => `${title}の最新刊は${vol}です。`,
  searchLatest: (vol, price) => `最新刊は${vol}（${price}）です。`,
  availabilityLead: (title, vol) => `${title}${vol}の価格と在庫状況をご案内いたします。`,
  availability(vol, format, price, state, release) {
    const head = `${vol}（${format}）：${price}`;
    if (state === 'preorder') return `${head}、ただいま予約受付中です（${release}発売予定）。`;
    if (state === 'out_of_stock') return `${head}、申し訳ございませんが現在在庫切れです（${release}発売）。`;
    return `${head}、在庫がございます（${release}発売）。`;
  },
  upcoming: (vol, release) => `なお、${vol}は${release}発売予定で、ただいまご予約を承っております。`,
  volumeMissing: (title, req, latest) =>
    latest
      ? `申し訳ございません、${title}の${req}は当店ではお取り扱いがございません。現在ご購入いただける最新刊は${latest}です。`
      : `申し訳ございません、${title}の${req}は当店ではお取り扱いがございません。`,
  noProducts: (title) => `申し訳ございません、${title}は現在販売中の巻がないため、価格をご案内できません。`,
  rating: (avg, count) => `お客様レビューの平均評価は5点中${avg.toFixed(1)}点（${count}件）です。`,
  promoApplies: (title, end, code) => `現在「${title}」の対象です（${end}まで${code ? `、クーポンコード：${code}` : ''}）。`,
  productFollowUp: '気になる巻がございましたら、価格や在庫もお調べいたします。',
  priceFollowUp: 'ほかにもご不明な点がございましたら、お気軽にお尋ねください。',
  noMatch: (link) =>
    '申し訳ございません、お探しの作品が見つかりませんでした。お手数ですが、タイトルの表記をご確認いただくか、日本語または英語のタイトルでもう一度お試しください。' +
    `「恋愛漫画のおすすめ」のようにジャンルでお尋ねいただくこともできます。検索ページはこちらです：${link}`,
  catalogDown: (link) => `申し訳ございません、ただいま商品情報を取得できない状態です。お手数ですが、こちらの検索ページからお探しください：${link}`,

  recommendLead: 'おすすめの作品をいくつかご紹介いたします。',
  popularLead: 'いま当店で人気の作品をご紹介いたします。',
  popularFallbackLead: '申し訳ございません、ただいまお客様向けのおすすめをご用意できないため、いま当店で人気の作品をご紹介いたします。',
  popularNotSales: '申し訳ございません、当店では売上の数字や週間の売れ筋ランキングは公開しておりません。代わりに、いま当店で人気の作品をご紹介いたします。',
  reason(kind, value) {
    switch (kind) {
      case 'same_author': return value ? `同じ${value}先生の作品です` : '同じ作者の作品です';
      case 'genre': return value ? `${ja.label(value)}がお好きな方におすすめです` : undefined;
      case 'theme': return value ? `${ja.label(value)}をテーマにした作品です` : undefined;
      case 'demographic': return value ? `${ja.label(value)}漫画の人気作です` : undefined;
      case 'popular': return '当店で特に人気の作品です';
      case 'trending': return 'いま売れ行きが好調な話題作です';
      default: return undefined;
    }
  },
  genresReason: (labels) => `ジャンル：${labels.join('・')}`,
  recommendItem: (title, authors, reasons) =>
    `${title}${authors ? `（${authors}）` : ''}${reasons.length ? `：${reasons.join('。')}。` : ''}`,
  recommendFollowUp: '気になる作品がございましたら、価格や詳細もお調べいたします。',
  noRecommendations: (link) => `申し訳ございません、ただいまおすすめの作品をご用意できませんでした。こちらからカタログをご覧いただけます：${link}`,

  signIn: (link) => `ご注文状況の確認には、ログインが必要です。お手数ですがログインのうえ、もう一度お尋ねください。注文追跡ページからもご確認いただけます：${link}`,
  ordersDown: (link) => `申し訳ございません、ただいま注文情報を取得できない状態です。お手数ですが、注文追跡ページからご確認ください：${link}`,
  unknownOrder: (id, link) =>
    `恐れ入りますが、ご注文番号${id}はお客様のご注文履歴に見つかりませんでした。ご注文確認メールに記載の番号をご確認いただくか、注文追跡ページをご利用ください：${link}`,
  noOrders: (link) => `お客様のアカウントには、まだご注文履歴がございません。最近ご注文いただいた場合は、注文追跡ページもご確認ください：${link}`,
  orderSummary: (id, placed, items, total, status) => `ご注文番号${id}（${placed}ご注文：${items}、合計${total}）は「${status}」です。`,
  orderItem: (title, qty) => (qty > 1 ? `${title} ×${qty}` : title),
  orderShipping(carrier, tracking) {
    if (carrier && tracking) return `配送業者は${carrierName(carrier, 'ja')}、お問い合わせ番号は${tracking}です。`;
    if (carrier) return `配送業者は${carrierName(carrier, 'ja')}です。`;
    return tracking ? `お問い合わせ番号は${tracking}です。` : '';
  },
  orderEta: (date) => `お届け予定日は${date}です。`,
  orderDelivered: (date) => `${date}にお届け済みです。`,
  otherOrders: (items) => `そのほかの最近のご注文：${items.join('、')}`,
  recentOrders: (items) => `最近のご注文：${items.join('、')}`,
  noOrdersInStatus: (status) => `現在「${status}」のご注文はございません。`,
  noOrdersThen: 'その時期にいただいたご注文は見当たりません。',
  allOrdersArrived: '現在お届け前のご注文はございません。すべてのご注文がお届け済み（またはキャンセル・返品済み）です。',
  openOrders: (count) => `まだお届けしていないご注文が${count}件ございます。`,
  alsoOnItsWay: (count) => `ほかにもお届け前のご注文が${count}件ございます。`,
  orderRef: (id, status) => `${id}（${status}）`,
  itemName: (title, volume, format) =>
    format === 'box_set' ? `${title} ${FORMATS_JA.box_set}${volume}` : `${title}${format === 'kanzenban' ? ` ${FORMATS_JA.kanzenban}` : ''} ${ja.volume(volume)}${format === 'digital' ? `（${FORMATS_JA.digital}）` : ''}`,
  orderTrack: (link) => `配送状況は注文追跡ページでご確認いただけます：${link}`,
  orderAwaitingPayment: 'お支払いの確認が取れ次第、発送いたします。お支払い期限までにお支払いがない場合、ご注文は自動的にキャンセルとなります。',
  orderCancelledNote: 'お支払い済みの代金は返金いたします。',
  orderReturnedNote: '返品を受け取り、返金手続きを行いました。',
  ordersWith: (title, n) => `『${title}』を含むご注文が${n}件ございます。`,
  ordersPicked: (n) => `該当するご注文が${n}件ございます。`,
  ordersPlaced: (n) => `これまでのご注文は${n}件です。${n > 1 ? '最新のご注文：' : ''}`,
  ordersSpent: (total, n) => `${n}件のご注文の合計金額は${total}です。`,
  noOrderWith: (title) => `お客様のご注文に『${title}』を含むものは見つかりませんでした。`,
  orderLate: (due, days, link) =>
    days > 2
      ? `お届け予定日（${due}）を過ぎてもまだお届けできておらず、大変申し訳ございません。配送業者に調査を依頼いたしますので、「スタッフと話したい」とお送りいただくか、サポート窓口までご連絡ください：${link}`
      : `お届け予定日（${due}）を過ぎておりますが、まだお届けが完了しておりません。追跡情報の反映には最大24時間かかることがございます。予定日から2日以上過ぎても届かない場合はご連絡ください。配送業者に調査を依頼いたします：${link}`,
  orderQuantity: (title, qty, id) => `ご注文番号${id}で${title}を${qty}点ご注文いただいております。`,
  orderPoints: (state) =>
    ({
      added: 'このご注文はお届け済みのため、ポイントはすでに付与されています。',
      'on-delivery': 'このご注文のポイントは、お届け完了時に付与されます（紙の本はお届け完了時の付与です）。',
      digital: 'このご注文のポイントは、お支払い完了時に付与済みです（電子書籍はお支払い後すぐに付与されます）。',
    })[state],
  orderCancellable: (state) =>
    ({
      yes: 'まだ発送前のため、無料でキャンセルできます。',
      shipped: 'すでに発送済みのため、キャンセルはできません。',
      delivered: 'すでにお届け済みのため、キャンセルはできません。返品をご利用ください。',
      cancelled: 'このご注文はすでにキャンセル済みです。',
      returned: 'このご注文はすでに返品済みです。',
      digital: '電子書籍はお支払い後のキャンセルはできません。',
    })[state],
  orderAddressChange: (shipped, link) =>
    shipped
      ? `すでに発送済みのため、アカウントからお届け先を変更することはできません。ご注文番号を添えてサポート窓口へご連絡ください：${link}`
      : `まだ発送前です。ご注文後にお届け先を変更する方法はご利用ガイドにございません。お早めにご注文番号を添えてサポート窓口へご連絡ください：${link}`,
  orderAddition: (shipped, prime, link) =>
    `${shipped ? 'すでに発送済みのため、このご注文に商品を追加することはできません。' : 'まだ発送前です。'}ご注文後に商品を追加する方法はご利用ガイドにございませんので、追加の本は新しくご注文いただくか（${prime ? 'プライム会員様は送料無料です' : '2,000円以上で送料無料、それ未満は送料350円です'}）、ご注文番号を添えてサポート窓口へご連絡ください：${link}`,
  alreadyOrdered: (vol, id, status) => `${vol}はすでにご注文いただいております（ご注文番号${id}、${status}）。重ねてご注文いただく必要はございません。`,
  buyHow: (guest) =>
    `チャットではご注文を承れませんが、商品ページで「カートに入れる」からご購入いただけます。${guest ? '紙の本はゲストのままでもご購入いただけます（ゲスト購入ではポイントが付かず、電子版のご購入には会員登録が必要です）。' : ''}`,
  preorderHow: (guest) => (guest ? 'ご予約は、ログイン（または無料の会員登録）のうえ、「予約受付中」と表示された商品ページからお手続きください。' : 'ご予約は、「予約受付中」と表示された商品ページからお手続きいただけます。'),
  handoffOrder: (id, status, late) =>
    `ご注文番号${id}（${status}${late ? `、お届け予定日${late}を過ぎて未着` : ''}）についてのお問い合わせとして、スタッフに引き継ぎました${late ? '。配送業者への確認もあわせて行います' : ''}。`,

  sentence: (text) => (/[。！？」]$/.test(text) ? text : `${text.replace(/[、,]$/, '')}。`),
  labelled: (label, item) => `${label.replace(/[:：]$/, '')}：${ja.sentence(item)}`,
  listItem: (text) => `・${text}`,
  faqSource: (page, section, link) => `（ご利用ガイド「${page}」${section ? `の「${section}」` : ''}より）ご不明な点がございましたら、サポート窓口までお問い合わせください：${link}`,
  faqOtherLanguage: '（こちらのご案内は英語版のみとなっております。）',
  inPlayRule: (scope, text) => `${IN_PLAY_JA[scope] ?? 'お客さまの場合'}：${ja.sentence(text)}`,
  notAMethod: (method, methods) => `申し訳ございません、${method}はご利用いただけません。ご利用いただけるお支払い方法：${methods.join('、')}`,
  tierMay: (verb, signedIn, what) => (signedIn ? `はい、ログイン中のお客さまは${what ? `${what}を` : ''}ご${verb}いただけます。` : `ゲストのままではご${verb}いただけません。ログイン（または無料の会員登録）のうえ、ご${verb}ください。`),
  methodAccepted: (method) => `はい、${method}をご利用いただけます。`,
  noPassage: (link) => `申し訳ございません、その件についてご案内できる情報がございません。お手数ですが、サポート窓口までお問い合わせください：${link}`,
  retrievalDown: (link) => `申し訳ございません、ただいまご案内ページを検索できない状態です。お手数ですが、サポートページをご覧ください：${link}`,
  builtInSummary: (topic, summary) => `申し訳ございません、ただいまご案内ページを検索できないため、ご利用ガイド「${topic}」の要点のみご案内いたします。${summary}`,
  builtInMore: (link) => `詳しくはサポートページをご覧ください：${link}`,

  promoLead: () => '現在開催中のキャンペーンをご案内いたします。',
  promoItem: (title, desc, end, code) => `${title}（${end}まで${code ? `、クーポンコード：${code}` : ''}）：${desc}`,
  promoYes: () => 'はい、現在こちらのキャンペーンを開催中です。',
  promoFor: (title) => `『${title}』が対象のキャンペーンは次のとおりです。`,
  promoNoneFor: (title) => `現在、『${title}』を対象としたキャンペーンはございません。`,
  promoStoreWideToo: (items) => `全商品対象の${items.join('、')}もご利用いただけます。`,
  promoAlso: (items) => `そのほか開催中のキャンペーン：${items.join('、')}`,
  promoRef: (title, end) => `「${title}」（${end}まで）`,
  promoNow: (title, desc, end) => `現在「${title}」を開催中です（${end}まで）：${desc}`,
  shipsFreeNow: (amount, title, end) => `現在「${title}」を開催中のため（${end}まで）、${amount}のご注文は国内送料無料です。`,
  pointsEstimate: (what, subtotal, tier, rate, campaign, x, points) =>
    `${what}（${subtotal}）のご購入で ${thousands(points)}ポイント 付与されます（${subtotal}×${tier === 'prime' ? 'プライム会員' : '一般会員'}の${rate}%${campaign ? `×「${campaign}」の${x}倍` : ''}、端数切り捨て）。`,
  pointsGuest: (what, subtotal, rate, campaign, x, points) =>
    `ゲストのままでは${what}（${subtotal}）にポイントは付きません。会員としてログインしてご購入いただくと ${thousands(points)}ポイント 付与されます（${rate}%${campaign ? `×「${campaign}」の${x}倍` : ''}）。`,
  volumeSpan: (vs) => (vs.length > 1 && vs.every((v, i) => i === 0 || v === vs[i - 1] + 1) ? `${vs[0]}〜${vs.at(-1)}巻` : `${vs.join('・')}巻`),
  promoPrice: (volume, format, was, now) => `${volume}（${format}）は${was}のところ${now}`,
  promoPrices: (items) => `割引適用後の価格：${items.join('、')}です。`,
  promoFormat(title, covers, asked) {
    if (covers === 'both') return `「${title}」は紙の本・電子書籍のどちらも対象です。`;
    if (covers === 'unstated') return `「${title}」の内容には、紙・電子の指定はございません。`;
    const only = covers === 'print' ? '紙の本' : '電子書籍';
    return covers === asked ? `はい、「${title}」は${only}が対象です。` : `「${title}」は${only}のみが対象のため、${asked === 'digital' ? '電子書籍' : '紙の本'}にはご利用いただけません。`;
  },
  promoCode: (title, code) => (code ? `「${title}」は、ご注文時にクーポンコード「${code}」をご入力ください。` : `「${title}」にクーポンコードは不要です。`),
  promoUntil: (title, end) => `「${title}」は${end}までです。`,
  promoPrimeOnly: (title, customer) =>
    customer === 'prime' ? `プライム会員のお客さまは「${title}」の対象です。` : customer === 'member' ? `「${title}」はプライム会員の方のみが対象のため、一般会員のお客さまは対象外です。` : `「${title}」はプライム会員の方のみが対象です。`,
  promoCombine: (titles, link) =>
    `${titles.map((t) => `「${t}」`).join('、')}をほかのキャンペーンと1回のご注文で併用できるかどうかは、キャンペーンの内容に記載がないため、お約束できかねます。ご注文前にサポート窓口でご確認いただけます：${link}`,
  promoNoMatch: '申し訳ございません、お尋ねの内容に当てはまるキャンペーンは現在ございません。開催中のキャンペーンは次のとおりです。',
  promoEnded: (title, end) => `「${title}」は${end}で終了しました。現在はご利用いただけません。`,
  promoUpcoming: (title, start, end) => `「${title}」はまだ始まっていません。${start}から${end}まで開催予定です。`,
  promoRunningInstead: (items) => `現在開催中のキャンペーン：${items.join('、')}`,
  noPromotions: '申し訳ございません、現在開催中のキャンペーンはございません。またのご確認をお待ちしております。',
  promotionsDown: '申し訳ございません、ただいまキャンペーン情報を取得できない状態です。しばらくしてから再度お試しください。',

  greeting: 'こんにちは！MangaAssistです。ご来店ありがとうございます。',
  thanks: 'どういたしまして。お役に立てて光栄です。',
  greetingAgain: 'こんにちは。ほかにお調べすることはございますか？',
  aboutAssistant:
    '私は当店のAIアシスタント「MangaAssist」です。自動で応答するプログラムで、人間ではありません。24時間、日本語と英語でお答えしています。スタッフとのやり取りをご希望でしたら、お気軽にお申し付けください。担当者におつなぎいたします。',
  languageSwitched: 'かしこまりました。これからは日本語でお答えいたします。どのようなことをお調べしましょうか？',
  acknowledged: ['承知いたしました。ほかにお手伝いできることはございますか？', 'かしこまりました。何かございましたら、いつでもお声がけください。'],
  unclear: [
    'どのようなことをお探しでしょうか？作品名、価格・在庫、ご注文、ご利用案内など、お気軽にお尋ねください。',
    '作品名や好きなジャンル、ご注文やご利用案内についてのご質問を入力していただければ、お調べいたします。',
  ],
  farewell: 'ご利用ありがとうございました。またのお越しをお待ちしております。',
  anythingElse: 'ほかにお手伝いできることはございますか？',
  capabilities: '作品探しやおすすめのご紹介、価格・在庫の確認、ご注文状況の確認、配送や返品などのご利用案内を承っております。',
  escalation: (link) =>
    `ご不便をおかけして申し訳ございません。担当スタッフにおつなぎいたしますので、少々お待ちください。サポート窓口からも直接お問い合わせいただけます：${link}`,
  handedOver: (ticket, link) =>
    `ご不便をおかけして申し訳ございません。担当スタッフにお問い合わせを引き継ぎました（受付番号 ${ticket}）。このチャットでスタッフよりご返信いたしますので、少々お待ちください。サポート窓口からも直接お問い合わせいただけます：${link}`,
  outOfScope: '申し訳ございません、そちらのご質問にはお答えいたしかねます。',
  otherMediumAside: '申し訳ございません、アニメや映画など映像作品について（話数・放送・配信など）はお答えいたしかねます。原作の漫画でしたら、巻数・価格・在庫などをご案内いたします。',
};

/** The scope a conversation is on, as the lead of the rule that applies to it. */
const IN_PLAY_EN: Record<string, string> = { preorder: 'For a preorder', digital: 'For digital editions', international: 'For an order from abroad', gift: 'With gift wrapping', age: 'For 18+ titles', prime: 'For Prime members', guest: 'For guest checkout' };
const IN_PLAY_JA: Record<string, string> = { preorder: 'ご予約の場合', digital: '電子書籍の場合', international: '海外からのご注文の場合', gift: 'ギフトラッピングの場合', age: '18+作品の場合', prime: 'プライム会員の場合', guest: 'ゲスト購入の場合' };

/** The phrasebooks, by customer language. */
export const MESSAGES: Record<Language, Messages> = { en, ja };
