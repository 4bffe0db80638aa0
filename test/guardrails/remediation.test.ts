/** What the customer sees instead of a failed answer or a blocked message. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inputRefusal, lastCompleteSentence, safeReplacement } from '../../src/guardrails/remediation.ts';
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
    assert.match(inputRefusal(verdict('abuse'), 'en'), /connect you with one of our staff/);
    assert.match(inputRefusal(verdict('adult'), 'en'), /confirmed their age/);
    assert.match(inputRefusal(verdict('prompt_injection'), 'ja'), /当店に関するご案内/);
    assert.match(inputRefusal(verdict('abuse'), 'ja'), /担当者におつなぎ/);
    assert.match(inputRefusal(verdict('adult'), 'ja'), /年齢確認/);
  });

  it('answers an injection as an injection even when it also swears or carries personal data', () => {
    assert.equal(inputRefusal(verdict('personal_data', 'abuse', 'prompt_injection'), 'en'), inputRefusal(verdict('prompt_injection'), 'en'));
    assert.equal(inputRefusal(verdict('personal_data', 'adult'), 'ja'), inputRefusal(verdict('adult'), 'ja'));
  });

  it('has a generic reply for a verdict with nothing it knows', () => {
    assert.match(inputRefusal(verdict('personal_data'), 'en'), /can't help with that message/);
  });

  it('goes with a real verdict from checkInput', () => {
    const g = createGuardrails({});
    const v = g.checkInput('18禁の漫画ありますか？', { language: 'ja', kind: 'guest' });
    assert.equal(v.ok, false);
    assert.match(inputRefusal(v, 'ja'), /ログインして年齢確認/);
  });
});
