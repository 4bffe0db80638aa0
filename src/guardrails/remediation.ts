/**
 * What the customer sees when a guardrail acts: the replacement for an answer cut short by a
 * failed chunk (the `revise` frame's text), the reply to a blocked message, the calm reply to an
 * insult (the 18+ explanation for a title the customer may not see is age-replies.ts).
 */
import type { Language } from '../understanding/types.ts';
import type { Finding, GuardrailCategory, Verdict } from './types.ts';
import { FILTER_BY_ID } from './filters.ts';

const NOTICE: Record<Language, { removed: string; ageRestricted: string }> = {
  en: {
    removed: "Part of this answer was removed because it did not meet our store's content rules.",
    ageRestricted:
      "Part of this answer was removed because it did not meet our store's content rules: age-restricted titles are only shown to signed-in customers who have confirmed their age.",
  },
  ja: {
    removed: '当店のコンテンツ基準に沿わない内容が含まれていたため、回答の一部を削除しました。',
    ageRestricted: '当店のコンテンツ基準に沿わない内容が含まれていたため、回答の一部を削除しました。年齢制限のある作品は、ログインして年齢確認を済ませたお客さまにのみご案内しています。',
  },
};

type Refusal = 'prompt_injection' | 'abuse' | 'card' | 'my_number' | 'adult' | 'other';

const REFUSAL: Record<Language, Record<Refusal, string>> = {
  en: {
    prompt_injection: "Sorry, I can only help with our manga store: finding titles, prices and stock, your orders, shipping and returns. What can I help you with?",
    abuse:
      "I want to help, but I can't continue with messages like this. If something has gone wrong with an order or a title, tell me what happened and I'll do my best to sort it out, or I can connect you with a member of our staff.",
    card:
      "For your security, please never share card numbers (or their expiry date and security code) here: this chat is not a payment channel. I've masked what you sent, so it isn't kept or shown to anyone. Card details are only entered at checkout on our secure payment page, where you can also pay by PayPay, konbini payment or bank transfer. If you think your card details have been exposed, please contact your card issuer. Is there anything else I can help with?",
    my_number:
      "For your security, please don't share your My Number (individual number) here: we never need it for an order. I've masked what you sent, so it isn't kept or shown to anyone. Is there anything else I can help with?",
    adult:
      'Age-restricted (18+) titles are only available to signed-in customers who have registered their date of birth and confirmed their age. Please sign in and confirm your age to see them; I am happy to help with anything else in the meantime.',
    other: "Sorry, I can't help with that message. I can help you find manga, check your orders, or answer questions about shipping and returns.",
  },
  ja: {
    prompt_injection: '申し訳ございません。こちらでは当店に関するご案内（作品探し、価格・在庫、ご注文、配送・返品）のみお手伝いしております。ご用件をお聞かせください。',
    abuse: 'お力になりたいのですが、このようなメッセージにはお答えいたしかねます。ご注文や作品のことでお困りでしたら、何があったかをお聞かせください。できる限り対応いたします。スタッフ（担当者）におつなぎすることもできます。',
    card: 'お客さまの安全のため、カード番号（有効期限やセキュリティコードも）はこちらに入力・送信しないでください。このチャットはお支払いの窓口ではありません。お送りいただいた番号は伏せ字にしており、保存や表示はされません。カード情報はご注文手続きの安全なお支払いページでのみご入力ください（PayPay、コンビニ払い、銀行振込もご利用いただけます）。カード情報が漏れたおそれがある場合は、カード会社へご連絡ください。ほかにお手伝いできることはございますか。',
    my_number: 'お客さまの安全のため、マイナンバー（個人番号）はこちらに入力・送信しないでください。ご注文にマイナンバーは必要ありません。お送りいただいた番号は伏せ字にしており、保存や表示はされません。ほかにお手伝いできることはございますか。',
    adult: '年齢制限（18+）のある作品は、生年月日をご登録のうえ、ログインして年齢確認を済ませたお客さまにのみご案内しています。ログインして年齢確認をお済ませください。その他のご質問でしたら、喜んでお手伝いいたします。',
    other: '申し訳ございません。このメッセージにはお答えできません。作品探しやご注文の確認、配送・返品についてのご質問でしたらお手伝いいたします。',
  },
};

/** The reply to a message that is only an insult or an outburst: calm, owning the frustration, offering help or a person. */
const CALM: Record<Language, string> = {
  en: "I'm sorry this has been frustrating. Tell me what went wrong — an order, a title you're looking for, a return — and I'll do my best to sort it out. If you'd rather talk to a person, just say so and I'll connect you with our staff.",
  ja: 'ご不快な思いをおかけして申し訳ございません。ご注文、お探しの作品、返品など、お困りのことをお聞かせいただければ、できる限り対応いたします。スタッフ（担当者）とのやり取りをご希望でしたら、そうお伝えください。おつなぎいたします。',
};

/** Put before the answer to a request that came with an insult: the frustration is acknowledged, then the request answered. */
const ACKNOWLEDGE: Record<Language, string> = {
  en: "I'm sorry for the frustration. ",
  ja: 'ご不便をおかけして申し訳ございません。',
};

// A sentence ends at 。！？ or a line break, or at . ! ? followed by a space or the end.
const SENTENCE_END = /[。！？!?\n]|[.!?](?=\s|$)/g;

// "Vol. 3" and "Ms. Sato" do not end a sentence.
const ABBREVIATION = /(?:^|[^a-z])(?:vol|vols|no|nos|mr|ms|mrs|dr|st|vs|etc|approx|e\.g|i\.e)$/i;

/** `text` cut back to the end of its last complete sentence ('' when none has ended). */
export function lastCompleteSentence(text: string): string {
  let cut = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    if (m[0] === '.' && ABBREVIATION.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
    cut = m.index + m[0].length;
  }
  return text.slice(0, cut).trimEnd();
}

/** The text to show instead of an answer whose chunk failed: what had passed, cut back to its last complete sentence, plus a short notice in the customer's language. */
export function safeReplacement(passed: string, violation: Verdict, language: Language): string {
  const notices = NOTICE[language];
  const notice = violation.findings.some((f) => f.category === 'age_restricted') ? notices.ageRestricted : notices.removed;
  const kept = lastCompleteSentence(passed);
  if (!kept) return notice;
  return `${kept}\n\n${notice}`;
}

// The most telling reason first: an injection attempt that also swears is answered as the injection.
const REFUSAL_ORDER: Refusal[] = ['prompt_injection', 'abuse', 'card', 'my_number', 'adult'];

function refusalOf(f: Finding): Refusal | undefined {
  if (FILTER_BY_ID.get(f.filter)?.blocksInput === false) return undefined; // insults, contact data: answered, not refused
  if (f.category === 'personal_data') return f.filter === 'pii.my_number' ? 'my_number' : f.filter.startsWith('pii.card') ? 'card' : undefined;
  return f.category === 'prompt_injection' || f.category === 'abuse' || f.category === 'adult' ? f.category : undefined;
}

/**
 * The reply to a customer's message that checkInput blocked: injection → only store help;
 * threats → a calm, firm reply that still offers help and a person; card data or a My Number →
 * never post them here (nothing of them repeated); adult request → how age confirmation works.
 */
export function inputRefusal(verdict: Verdict, language: Language): string {
  const found = new Set(verdict.findings.map(refusalOf));
  const reason = REFUSAL_ORDER.find((r) => found.has(r));
  return REFUSAL[language][reason ?? 'other'];
}

/** The category a blocked message is reported under (end frame, metrics): the reason inputRefusal answered. */
export function blockedCategory(verdict: Verdict): GuardrailCategory | 'blocked' {
  const found = verdict.findings.filter((f) => refusalOf(f) !== undefined);
  const first = REFUSAL_ORDER.map((r) => found.find((f) => refusalOf(f) === r)).find((f) => f !== undefined);
  return first?.category ?? 'blocked';
}

/** True when the message carries an insult or an outburst (not blocking): the answer acknowledges the frustration. */
export function frustrated(verdict: Verdict | undefined): boolean {
  return verdict?.findings.some((f) => f.category === 'abuse' && FILTER_BY_ID.get(f.filter)?.blocksInput === false) ?? false;
}

/** The insults (not blocking) the input check found in `checked`, the text it checked, as written there. */
export function insultsIn(checked: string, verdict: Verdict | undefined): string[] {
  return (verdict?.findings ?? []).filter((f) => f.category === 'abuse' && FILTER_BY_ID.get(f.filter)?.blocksInput === false).map((f) => checked.slice(f.start, f.end));
}

/** The whole reply to a message that is only an insult: calm, sorry, offering help or a person. */
export function calmReply(language: Language): string {
  return CALM[language];
}

// Personal data typed into the chat is masked before anything reads it, and the message still
// answered: a phone number, an e-mail or a postal address (it may be the customer's contact for an
// order), and a card number sent with a question that is not a payment ("my card … was charged
// twice for order X, why?"). The customer is told plainly, first, what was masked and that it was
// neither kept nor needed here — never silently.
const CONTACT_KINDS: { filter: string; en: [string, string]; ja: string }[] = [
  { filter: 'pii.phone', en: ['phone number', 'phone numbers'], ja: '電話番号' },
  { filter: 'pii.email', en: ['email address', 'email addresses'], ja: 'メールアドレス' },
  { filter: 'pii.address', en: ['address', 'addresses'], ja: '住所' },
];

const CARD_NOTICE: Record<Language, string> = {
  en: "For your security, please never share card numbers (or their expiry date and security code) here: this chat is not a payment channel. I've masked what you sent, so it isn't kept or shown to anyone; if you think your card details have been exposed, please contact your card issuer. ",
  ja: 'お客さまの安全のため、カード番号（有効期限やセキュリティコードも）はこちらに入力・送信しないでください。このチャットはお支払いの窓口ではありません。お送りいただいた番号は伏せ字にしており、保存や表示はされません。カード情報が漏れたおそれがある場合は、カード会社へご連絡ください。',
};

/** The warning put before the answer to a message that carried a phone number, an e-mail or an address (masked, not refused), or undefined. */
export function phoneNotice(verdict: Verdict | undefined, language: Language): string | undefined {
  const kinds = CONTACT_KINDS.filter((k) => verdict?.findings.some((f) => f.filter === k.filter));
  if (kinds.length === 0) return undefined;
  if (language === 'ja') {
    const named = kinds.map((k) => k.ja).join('・');
    return `お客さまの安全のため、お送りいただいた${named}は伏せ字にしており、保存や表示はされません。${named}などの個人情報はこのチャットに入力しないでください（ご連絡先はアカウントに登録されたものを使用します）。`;
  }
  const one = kinds.map((k) => k.en[0]).join(' and ');
  const many = kinds.map((k) => k.en[1]).join(', ');
  return `For your security, I've masked the ${one} you sent, so ${kinds.length > 1 ? "they aren't" : "it isn't"} kept or shown to anyone; please don't share ${many} or other personal details in this chat (your contact details are kept in your account). `;
}

/** Every warning put before an answer: card data answered beside (cardAside), then contact data. */
export function privacyNotice(verdict: Verdict | undefined, language: Language, cardAnswered: boolean): string | undefined {
  const card = cardAnswered ? CARD_NOTICE[language] : '';
  const contact = phoneNotice(verdict, language) ?? '';
  return card + contact || undefined;
}

// Paying with the card sent ("can you charge it", "put the order through", 「これで払いたい」): what the
// card refusal answers (this chat takes no payments). "I was charged twice" asks about a charge made.
const PAYS_WITH_IT =
  /\b(?:charge|bill|use)\s+(?:it|this|that|me|my card|the card|\[card\])\b|\bcan (?:you|u|i|we) (?:just )?(?:charge|bill|use|pay|take)\b|\b(?:pay|paying|buy|order|purchase)\b[^.?!]{0,30}\b(?:with|using|by) (?:(?:this|that|my|the|a) )?(?:it|this|that|card|credit card|debit card|\[card\])|\bput (?:it|the order|this|the purchase|my order) (?:through|on)\b|\b(?:place|make|complete|process|finish) (?:the|my|an?|this) (?:order|purchase|payment)\b|\bbuy (?:it|them|this|that) for me\b|\b(?:buy|order|get|purchase)\b[^.?!]{1,40}\bfor (?:me|us)\b|(?:買|購入し|注文し)(?:っ)?(?:て(?:おいて|おいてください|ください|下さい|くれ|ほしい|欲しい|もらえ)|といて)|\bpay (?:for (?:it|this|that|my order)|now)\b|これで|この(?:カード|番号)で|で(?:払|支払|決済|購入|注文|買|お願い)|(?:決済|支払|払|購入|注文)(?:って|して|い?たい|え(?:ます|る)|お願い)/i;
// What stays of a message once the card data and the words that present it are gone.
const CARD_WORDS =
  /\[card(?: details)?\]|\b(?:here'?s|here is|this is|it'?s|is|my|the|a|card|credit|debit|visa|mastercard|amex|jcb|number|no|num|exp(?:iry|iration|ires)?|valid|thru|through|until|date|cvv2?|cvc2?|security|code|and|with|of)\b|(?:クレジット)?カード(?:番号)?|クレカ|有効期限|期限|セキュリティコード|セキュリティ番号|番号|は|が|で|の|です|だ|と|[\s\p{P}\p{S}\d]+/giu;

/**
 * True when a message blocked only for the card data in it asks something else the store answers
 * ("my card … was charged twice for order X, why?", 「カード…で二重に引き落とされた、なぜ？」): the
 * card data is masked (`masked`, as redact left it) and the question answered after the warning,
 * instead of refusing it whole. Paying with the card, or nothing but the card: the refusal.
 */
export function cardAside(verdict: Verdict | undefined, masked: string): boolean {
  if (!verdict || verdict.ok) return false;
  const reasons = verdict.findings.map(refusalOf).filter((r) => r !== undefined);
  if (reasons.length === 0 || reasons.some((r) => r !== 'card')) return false;
  const t = masked.normalize('NFKC');
  if (PAYS_WITH_IT.test(t)) return false;
  return t.replace(/\[card(?: details)?\]/g, ' ').replace(CARD_WORDS, '').length >= 6;
}

// "my number is [phone]", 「電話番号は[phone]です」: the customer stating their own (masked) number,
// which asks nothing; read as it stands, its 電話番号/phone would ask the store's phone number.
const STATED_PHONE =
  /(?:\b(?:my|our)\s+)?(?:(?:phone|mobile|cell|contact)(?:\s+number)?|number)\s*(?:is|:)?\s*\[phone\][.,;]?|\b(?:call|reach|text|contact)\s+me\s+(?:at|on)\s+\[phone\][.,;]?|(?:私の|僕の|自分の|わたしの)?(?:電話番号|携帯番号|携帯|連絡先|番号)\s*(?:は|:|：)?\s*\[phone\]\s*(?:です|だ|になります)?[。、,.]?/giu;

/** The masked message without the clause that only states the customer's phone number ('' left as it was: the clause was the whole message). */
export function withoutStatedPhone(masked: string): string {
  if (!masked.includes('[phone]')) return masked;
  const rest = masked.replace(STATED_PHONE, ' ').replace(/\s{2,}/g, ' ').trim();
  return rest.length > 0 ? rest : masked;
}

/**
 * The masked message without the card data and the words that present it ("my card [card] exp
 * [card details] was charged twice" → "my card was charged twice", 「カード番号[card]、有効期限[card details]で…」
 * → 「カードで…」): what a message cardAside lets through is read, stored and handed over as.
 */
export function withoutCardData(masked: string): string {
  return masked
    .replace(/,?\s*(?:exp(?:iry|iration|ires)?\.?(?:\s*date)?|valid\s*(?:thru|through|until|till)|good\s*thru|cvv2?|cvc2?|cid|csc|security\s*code)\s*(?:is|:|=)?\s*\[card details\]/gi, '')
    .replace(/[、,]?\s*(?:有効期限|期限|セキュリティ\s*コード|セキュリティ番号)\s*(?:は|が|:)?\s*\[card details\]\s*(?:です)?/g, '')
    .replace(/[、,]?\s*\[card details\]/g, '')
    .replace(/(カード)番号\s*(?:は|が|:)?\s*\[card\]\s*(?:です)?/g, '$1')
    .replace(/\b(card)(?:\s+(?:number|no\.?|#))?\s*(?:is|:)?\s*\[card\]/gi, '$1')
    .replace(/\s*\[card\]/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** The acknowledgement put before the answer to a request that came with an insult. */
export function acknowledgement(language: Language): string {
  return ACKNOWLEDGE[language];
}
