/** What the customer sees instead of a failed answer or a blocked message. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledgement, blockedCategory, calmReply, cardAside, frustrated, inputRefusal, lastCompleteSentence, phoneNotice, privacyNotice, safeReplacement, withoutCardData, withoutStatedPhone } from '../../src/guardrails/remediation.ts';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import type { Finding, GuardrailCategory, Verdict } from '../../src/guardrails/types.ts';

function verdict(...categories: GuardrailCategory[]): Verdict {
  const findings: Finding[] = categories.map((category, i) => ({ category, filter: `${category}.test`, tier: 'cheap', start: i, end: i + 1 }));
  return { ok: false, findings, filtersRun: 7, ms: 0.1 };
}

describe('lastCompleteSentence', () => {
  it('cuts back to the last sentence end, Japanese or English', () => {
    assert.equal(lastCompleteSentence('進撃の巨人は全34巻です。1巻は528円で、'), '進撃の巨人は全34巻です。');
    assert.equal(lastCompleteSentence('It has 34 volumes. Volume 1 is 528 yen, and'), 'It has 34 volumes.');
    assert.equal(lastCompleteSentence('Is it out? Yes! Vol. 3 is'), 'Is it out? Yes!', 'Vol. is not a sentence end');
    assert.equal(lastCompleteSentence('Ask Ms. Sato. She knows e.g. the dates'), 'Ask Ms. Sato.');
    assert.equal(lastCompleteSentence('The price is 1.5 times'), '', 'a decimal point is not a sentence end');
    assert.equal(lastCompleteSentence('Done.'), 'Done.');
    assert.equal(lastCompleteSentence(''), '');
  });
});

describe('safeReplacement', () => {
  it('keeps the passed text up to its last sentence and adds a notice in the customer\'s language', () => {
    const en = safeReplacement('Attack on Titan has 34 volumes. You might also like', verdict('personal_data'), 'en');
    assert.equal(en, "Attack on Titan has 34 volumes.\n\nPart of this answer was removed because it did not meet our store's content rules.");
    const ja = safeReplacement('進撃の巨人は全34巻です。こちらも', verdict('abuse'), 'ja');
    assert.ok(ja.startsWith('進撃の巨人は全34巻です。\n\n'));
    assert.match(ja, /コンテンツ基準/);
  });

  it('explains age confirmation when an age-restricted title was cut', () => {
    assert.match(safeReplacement('', verdict('age_restricted'), 'en'), /signed-in customers who have confirmed their age/);
    assert.match(safeReplacement('おすすめは', verdict('age_restricted'), 'ja'), /^当店の.*年齢確認/s);
  });

  it('is only the notice when no sentence had ended', () => {
    assert.equal(safeReplacement('Try', verdict('adult'), 'en'), "Part of this answer was removed because it did not meet our store's content rules.");
  });
});

describe('inputRefusal', () => {
  it('answers each blocking category in kind', () => {
    assert.match(inputRefusal(verdict('prompt_injection'), 'en'), /only help with our manga store/);
    assert.match(inputRefusal(verdict('abuse'), 'en'), /can't continue with messages like this.*connect you with a member of our staff/);
    assert.match(inputRefusal(verdict('adult'), 'en'), /confirmed their age/);
    assert.match(inputRefusal(verdict('prompt_injection'), 'ja'), /当店に関するご案内/);
    assert.match(inputRefusal(verdict('abuse'), 'ja'), /担当者）におつなぎ/);
    assert.match(inputRefusal(verdict('adult'), 'ja'), /年齢確認/);
  });

  it('answers an injection as an injection even when it also swears or carries personal data', () => {
    assert.equal(inputRefusal(verdict('personal_data', 'abuse', 'prompt_injection'), 'en'), inputRefusal(verdict('prompt_injection'), 'en'));
    assert.equal(inputRefusal(verdict('personal_data', 'adult'), 'ja'), inputRefusal(verdict('adult'), 'ja'));
  });

  it('has a generic reply for a verdict with nothing it knows', () => {
    assert.match(inputRefusal(verdict('personal_data'), 'en'), /can't help with that message/);
  });

  it('warns about card data and a My Number without repeating them, in the customer\'s language', () => {
    const g = createGuardrails({});
    const guest = { language: 'en' as const, kind: 'guest' as const };
    const card = g.checkInput('my card is 4111 1111 1111 1111 exp 12/28, can you charge it?', guest);
    assert.match(inputRefusal(card, 'en'), /please never share card numbers/);
    assert.match(inputRefusal(card, 'ja'), /カード番号.*入力・送信しないでください/);
    assert.ok(!/4111|12\/28/.test(inputRefusal(card, 'en')));
    assert.equal(blockedCategory(card), 'personal_data');
    assert.match(inputRefusal(g.checkInput('the cvv is 123', guest), 'en'), /never share card numbers/);
    assert.match(inputRefusal(g.checkInput('my My Number is 123456789018', guest), 'en'), /don't share your My Number/);
    // A phone number alongside an adult request: answered as the adult request, reported as adult.
    const adult = g.checkInput('call me on 090-1234-5678 about hentai', guest);
    assert.match(inputRefusal(adult, 'en'), /confirmed their age/);
    assert.equal(blockedCategory(adult), 'adult');
  });

  it('goes with a real verdict from checkInput', () => {
    const g = createGuardrails({});
    const v = g.checkInput('18禁の漫画ありますか？', { language: 'ja', kind: 'guest' });
    assert.equal(v.ok, false);
    assert.match(inputRefusal(v, 'ja'), /ログインして年齢確認/);
  });
});

describe('insults and 18+ titles', () => {
  const g = createGuardrails({});
  const guest = { language: 'en' as const, kind: 'guest' as const };

  it('an insult is frustration to acknowledge, a threat is not (it is refused)', () => {
    assert.equal(frustrated(g.checkInput('you stupid useless bot', guest)), true);
    assert.equal(frustrated(g.checkInput('使えないクソボット', guest)), true);
    assert.equal(frustrated(g.checkInput('where is my order?', guest)), false);
    assert.equal(frustrated(undefined), false);
    const threat = g.checkInput('死ね', guest);
    assert.equal(threat.ok, false);
    assert.equal(blockedCategory(threat), 'abuse');
  });

  it('the calm reply and the acknowledgement own the frustration and are never a greeting', () => {
    for (const lang of ['en', 'ja'] as const) {
      for (const text of [calmReply(lang), acknowledgement(lang)]) {
        assert.match(text, lang === 'en' ? /sorry/i : /申し訳/);
        assert.doesNotMatch(text, /^(?:hi|hello|welcome|こんにちは|いらっしゃいませ)/i);
      }
    }
    assert.match(calmReply('en'), /talk to a person/);
    assert.match(calmReply('ja'), /スタッフ/);
  });
});

describe('a phone number typed in', () => {
  it('is warned about (masked, not kept, not needed here) in the customer\'s language, with a real verdict', () => {
    const g = createGuardrails({});
    const ja = g.checkInput('電話番号は090-1234-5678です。注文したい', { language: 'ja', kind: 'guest' });
    assert.match(phoneNotice(ja, 'ja') ?? '', /電話番号は伏せ字/);
    assert.doesNotMatch(phoneNotice(ja, 'ja') ?? '', /1234/);
    const en = g.checkInput('call me back on 080-9876-5432 about my order', { language: 'en', kind: 'guest' });
    assert.match(phoneNotice(en, 'en') ?? '', /masked the phone number/);
    assert.equal(phoneNotice(g.checkInput('what is your phone number?', { language: 'en', kind: 'guest' }), 'en'), undefined);
  });
});

describe('withoutStatedPhone', () => {
  it('drops the clause that only states the customer\'s own masked number, both languages', () => {
    assert.equal(withoutStatedPhone('電話番号は[phone]です。ワンピース1巻を注文したい'), 'ワンピース1巻を注文したい');
    assert.equal(withoutStatedPhone('my phone number is [phone], is One Piece vol 1 in stock?'), 'is One Piece vol 1 in stock?');
    assert.equal(withoutStatedPhone('call me on [phone] about my order'), 'about my order');
    assert.equal(withoutStatedPhone('what is your phone number?'), 'what is your phone number?');
    assert.equal(withoutStatedPhone('電話番号は[phone]です'), '電話番号は[phone]です');
  });
});

describe('an e-mail or an address typed in (lead\'s privacy probe: masked without telling the customer)', () => {
  it('is warned about like a phone number, each kind named, in both languages', () => {
    const g = createGuardrails({});
    const mail = g.checkInput('my email is bob@example.com, can you send me the receipt', { language: 'en', kind: 'guest' });
    assert.match(phoneNotice(mail, 'en') ?? '', /^For your security, I've masked the email address you sent, so it isn't kept/);
    const both = g.checkInput('東京都渋谷区神南1丁目2-3、taro@example.jp に送って', { language: 'ja', kind: 'guest' });
    assert.match(phoneNotice(both, 'ja') ?? '', /お送りいただいたメールアドレス・住所は伏せ字/);
    assert.doesNotMatch(phoneNotice(both, 'ja') ?? '', /神南|taro/);
    assert.equal(privacyNotice(g.checkInput('how much is shipping?', { language: 'en', kind: 'guest' }), 'en', false), undefined);
  });
});

describe('card data beside a question that is not a payment', () => {
  const g = createGuardrails({});
  const aside = (text: string) => {
    const v = g.checkInput(text, { language: 'en', kind: 'guest' });
    return cardAside(v, g.redact(text));
  };
  it('is answered after the warning: a charge made, a refund, an order asked about (lead\'s privacy probe)', () => {
    for (const text of [
      'my card 4111 1111 1111 1111 exp 12/28 was charged twice for order MA-20261121-0004, why?',
      'カード 5555-4444-3333-1111 有効期限12/27 で二重に引き落とされてるんですが、なぜですか？',
      'I paid with 4111 1111 1111 1111 last week, when will the refund show up?',
    ]) assert.ok(aside(text), text);
  });
  it('paying with it, or nothing but the card, is refused whole as before; so is a My Number', () => {
    for (const text of [
      'my card is 4111 1111 1111 1111 exp 08/29, can you just charge it for One Piece vol 1?',
      "here's my card 4111 1111 1111 1111 exp 09/28, can you just put the order through",
      'please pay for my order with 5555 5555 5555 4444, 12/27, cvv 123',
      'カード番号 4111 1111 1111 1111 で払いたいです',
      'カード番号 5555-4444-3333-1111、有効期限12/27です。これで支払いお願いします',
      'カード番号 5555-5555-5555-4444 セキュリティコード 123 で決済して',
      'my card is 4111 1111 1111 1111 exp 12/28',
      '4111 1111 1111 1111',
      // ...and a title to buy with it (fixer U, step 8; blind8 b8-safet-en-201): paying with it too.
      'my card is 4111 1111 1111 1111 exp 12/29, buy naruto 1 for me',
      'here is my visa 5555 5555 5555 4444 12/27, order the new one piece volume for me please',
      'カード番号 4111 1111 1111 1111 有効期限12/29、ナルト1巻を買っておいてください',
    ]) assert.ok(!aside(text), text);
  });
  it('the words that present the card go with it, so only the question is read and stored', () => {
    assert.equal(withoutCardData('my card [card] exp [card details] was charged twice for order MA-20261121-0004, why?'), 'my card was charged twice for order MA-20261121-0004, why?');
    assert.equal(withoutCardData('カード番号[card]、有効期限[card details]で二重に引き落とされた'), 'カードで二重に引き落とされた');
    assert.equal(withoutCardData('I paid with [card] last week, when will the refund show up?'), 'I paid with last week, when will the refund show up?');
  });
  it('the warning says never to share card data, and nothing of it', () => {
    const v = g.checkInput('my card 4111 1111 1111 1111 exp 12/28 was charged twice', { language: 'en', kind: 'guest' });
    assert.match(privacyNotice(v, 'en', true) ?? '', /please never share card numbers/);
    assert.match(privacyNotice(v, 'ja', true) ?? '', /カード番号.*入力・送信しないでください/);
    assert.doesNotMatch(privacyNotice(v, 'en', true) ?? '', /4111|12\/28/);
  });
});
