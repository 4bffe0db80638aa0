/** What the customer sees instead of a failed answer or a blocked message. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledgement, blockedCategory, calmReply, frustrated, inputRefusal, lastCompleteSentence, phoneNotice, safeReplacement, withoutStatedPhone } from '../../src/guardrails/remediation.ts';
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
