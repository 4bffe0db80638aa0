/**
 * What the customer sees when a guardrail fails: the replacement for an answer cut short by a
 * failed chunk (the `revise` frame's text), and the reply to a blocked message.
 */
import type { Language } from '../understanding/types.ts';
import type { GuardrailCategory, Verdict } from './types.ts';

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

const REFUSAL: Record<Language, Record<'prompt_injection' | 'abuse' | 'adult' | 'other', string>> = {
  en: {
    prompt_injection: "Sorry, I can only help with our manga store: finding titles, prices and stock, your orders, shipping and returns. What can I help you with?",
    abuse:
      "I'm sorry this has been frustrating. I'm here to help with your order or any question about our manga, and if you would rather talk to a person, I can connect you with one of our staff.",
    adult:
      'Age-restricted (18+) titles are only available to signed-in customers who have registered their date of birth and confirmed their age. Please sign in and confirm your age to see them; I am happy to help with anything else in the meantime.',
    other: "Sorry, I can't help with that message. I can help you find manga, check your orders, or answer questions about shipping and returns.",
  },
  ja: {
    prompt_injection: '申し訳ございません。こちらでは当店に関するご案内（作品探し、価格・在庫、ご注文、配送・返品）のみお手伝いしております。ご用件をお聞かせください。',
    abuse: 'ご不便をおかけして申し訳ございません。ご注文や作品についてのご質問でしたら、こちらでお手伝いいたします。スタッフとのやり取りをご希望の場合は、担当者におつなぎすることもできます。',
    adult: '年齢制限（18+）のある作品は、生年月日をご登録のうえ、ログインして年齢確認を済ませたお客さまにのみご案内しています。ログインして年齢確認をお済ませください。その他のご質問でしたら、喜んでお手伝いいたします。',
    other: '申し訳ございません。このメッセージにはお答えできません。作品探しやご注文の確認、配送・返品についてのご質問でしたらお手伝いいたします。',
  },
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
const REFUSAL_ORDER: GuardrailCategory[] = ['prompt_injection', 'abuse', 'adult'];

/**
 * The reply to a customer's message that checkInput blocked: injection → only store help; abuse →
 * a calm offer of help and a human agent; adult request → how age confirmation works. Personal
 * data never blocks a message, so it has no reply of its own.
 */
export function inputRefusal(verdict: Verdict, language: Language): string {
  const category = REFUSAL_ORDER.find((c) => verdict.findings.some((f) => f.category === c));
  return REFUSAL[language][(category as 'prompt_injection' | 'abuse' | 'adult' | undefined) ?? 'other'];
}
