/** Checking an answer while it streams: async and sync modes, chunk boundaries and the overlap. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import { createStreamCheck, type StreamCheckOptions, type StreamStep } from '../../src/guardrails/stream-check.ts';
import { safeReplacement } from '../../src/guardrails/remediation.ts';
import type { Audience } from '../../src/guardrails/types.ts';
import { splitForStreaming } from '../../src/llm/stream-text.ts';

const guardrails = createGuardrails({ restrictedTitles: ['Prison School', '監獄学園', 'Gantz'] });
const guest: Audience = { language: 'en', kind: 'guest' };

const EN_ANSWER =
  'Attack on Titan has 34 volumes, and volume 1 is 528 yen. It has violent scenes, so we suggest it for readers 15 and up. ' +
  'If you like it, Vinland Saga and Berserk are good next reads. Your order ORD-2024-000123 shipped on 2024-03-15, tracking number 360935519027. ' +
  'Returns are accepted within 30 days; write to support@mangaassist-books.example or call 0120-370-841. The story is about death and revenge.';
const JA_ANSWER =
  '進撃の巨人は全34巻で、1巻は528円（税込）です。暴力的な描写があるため、15歳以上の方におすすめしています。' +
  'ダークソウルが好きな方には『ベルセルク』もおすすめです。ご注文（ORD-2024-000123）は2024年3月15日に発送済みで、お問い合わせ番号は360935519027です。' +
  '返品は商品到着後30日以内に承ります。お問い合わせは0120-370-841までどうぞ。鬼滅の刃は、鬼を殺す剣士を目指す物語です。';

interface Run {
  steps: StreamStep[];
  sent: string;
  violation?: StreamStep;
  passed: string;
  chunks: number[];
}

function run(text: string, opts: Partial<StreamCheckOptions> & { pieces?: string[] } = {}): Run {
  const chunks: number[] = [];
  const check = createStreamCheck({ guardrails, audience: guest, mode: 'async', onChunk: (_ms, chars) => chunks.push(chars), ...opts });
  const steps: StreamStep[] = [];
  for (const piece of opts.pieces ?? splitForStreaming(text)) steps.push(check.push(piece));
  steps.push(check.finish());
  return { steps, sent: steps.map((s) => s.send).join(''), violation: steps.find((s) => s.violation), passed: check.passed, chunks };
}

describe('ordinary answers stream through untouched', () => {
  for (const mode of ['async', 'sync'] as const) {
    for (const [lang, text] of [['en', EN_ANSWER], ['ja', JA_ANSWER]] as const) {
      it(`${mode}, ${lang}`, () => {
        const r = run(text, { mode });
        assert.equal(r.violation, undefined);
        assert.equal(r.sent, text);
        assert.equal(r.passed, text);
        assert.ok(r.chunks.length >= 2, 'evaluated in chunks, not once at the end');
        assert.equal(r.chunks.reduce((a, b) => a + b, 0), text.length, 'every character evaluated once as new text');
      });
    }
  }

  it('async sends each piece as it arrives', () => {
    const pieces = splitForStreaming(EN_ANSWER);
    const r = run(EN_ANSWER, { mode: 'async' });
    assert.deepEqual(r.steps.slice(0, -1).map((s) => s.send), pieces);
  });

  it('sync holds text until its chunk passed, then releases whole sentences while the answer streams', () => {
    const r = run(JA_ANSWER, { mode: 'sync', chunkChars: 60 });
    const pushes = r.steps.slice(0, -1);
    let arrived = 0;
    let released = 0;
    const pieces = splitForStreaming(JA_ANSWER);
    let progress = 0;
    for (let i = 0; i < pushes.length; i++) {
      arrived += pieces[i].length;
      released += pushes[i].send.length;
      assert.ok(released <= arrived);
      if (pushes[i].send) {
        progress++;
        assert.match(pushes[i].send, /[。！？]$/, 'released up to a sentence end');
      }
    }
    assert.ok(progress >= 2, 'the customer sees text before the end of the answer');
    assert.equal(pushes[0].send, '', 'nothing before the first chunk is checked');
  });

  it('sync without sentence ends releases at a token boundary, holding back the overlap', () => {
    const text = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one';
    const check = createStreamCheck({ guardrails, audience: guest, mode: 'sync', chunkChars: 60, overlapChars: 20 });
    const sends: string[] = [];
    let seen = '';
    for (const piece of splitForStreaming(text)) {
      seen += piece;
      const s = check.push(piece);
      if (s.send) {
        sends.push(s.send);
        const releasedSoFar = sends.join('');
        assert.ok(seen.length - releasedSoFar.length >= 20, 'the last overlapChars stay held');
        assert.ok(/\s$/.test(releasedSoFar), 'cut after a whole token');
      }
    }
    sends.push(check.finish().send);
    assert.equal(sends.join(''), text);
    assert.ok(sends.length >= 3);
  });
});

describe('sync: the first words do not wait for a full chunk', () => {
  it('a first sentence goes out as soon as it has arrived and passed', () => {
    // default chunk (120 characters): before, nothing was sent until 120 characters had arrived
    const check = createStreamCheck({ guardrails, audience: guest, mode: 'sync' });
    const pieces = splitForStreaming(JA_ANSWER);
    const firstSentence = JA_ANSWER.slice(0, JA_ANSWER.indexOf('。') + 1);
    let arrived = '';
    let sent = '';
    for (const piece of pieces) {
      arrived += piece;
      sent += check.push(piece).send;
      if (arrived.length >= firstSentence.length) break;
    }
    assert.equal(sent, firstSentence);
  });

  it('without a sentence end, what lies before the held-back overlap goes out once checked', () => {
    const text = 'Your order MA-20261121-0004 with three volumes of Frieren and the box set of Haikyu shipped on the twenty second';
    const check = createStreamCheck({ guardrails, audience: guest, mode: 'sync', overlapChars: 32 });
    let arrived = '';
    let sent = '';
    for (const piece of splitForStreaming(text)) {
      arrived += piece;
      sent += check.push(piece).send;
      if (sent) break;
    }
    assert.ok(sent.length > 0 && arrived.length < 60, `released after ${arrived.length} characters`);
    assert.ok(arrived.length - sent.length >= 32, 'the overlap stays held');
    sent += check.finish().send;
    assert.ok(text.startsWith(sent));
  });

  it('a finding among the first words is never sent', () => {
    for (const text of ['Call 090-1234-5678 for your order.', 'Your order: call Ms. Sato at 090-1234-5678 about the delivery of volume 3 tomorrow']) {
      const check = createStreamCheck({ guardrails, audience: guest, mode: 'sync' });
      let sent = '';
      let violation = false;
      for (const piece of [...text]) {
        const step = check.push(piece);
        sent += step.send;
        violation ||= step.violation !== undefined;
      }
      const end = check.finish();
      sent += end.send;
      violation ||= end.violation !== undefined;
      assert.ok(violation, text);
      assert.ok(!sent.includes('090'), `${text}: sent ${JSON.stringify(sent)}`);
    }
  });
});

describe('violations', () => {
  const bad = EN_ANSWER + ' Or call Ms. Sato directly at 090-1234-5678. Thanks for shopping with us!';

  it('async: the failing text was already sent; the piece completing the chunk and everything after are not', () => {
    const r = run(bad, { mode: 'async' });
    assert.ok(r.violation);
    assert.equal(r.violation.sentBeforeCheck, true);
    assert.equal(r.violation.send, '');
    const v = r.violation.violation!;
    assert.equal(v.ok, false);
    const phone = v.findings.find((f) => f.filter === 'pii.phone')!;
    assert.equal(bad.slice(phone.start, phone.end), '090-1234-5678', 'offsets are in the whole answer');
    const after = r.steps.slice(r.steps.indexOf(r.violation) + 1);
    assert.ok(after.every((s) => s.send === '' && !s.violation));
    assert.ok(bad.startsWith(r.passed) && !r.passed.includes('090'));
    assert.ok(r.sent.length > r.passed.length, 'unchecked text had been sent');
  });

  it('async: a violation at finish() is also sentBeforeCheck', () => {
    const text = 'Thanks! Call 090-1234-5678.';
    const r = run(text, { mode: 'async' }); // shorter than one chunk: checked at finish
    assert.equal(r.sent, text);
    assert.ok(r.violation);
    assert.equal(r.steps.at(-1), r.violation);
    assert.equal(r.violation.sentBeforeCheck, true);
    assert.equal(r.passed, '');
  });

  it('sync: held text that fails is never sent', () => {
    const r = run(bad, { mode: 'sync' });
    assert.ok(r.violation);
    assert.equal(r.violation.sentBeforeCheck, false);
    assert.ok(!r.sent.includes('090'));
    assert.equal(r.sent, r.passed);
    assert.ok(bad.startsWith(r.sent));
  });

  it('sync: an age-restricted title for a guest is never shown; the same answer passes for an age-confirmed member', () => {
    const text = 'Here are three picks for you. Vinland Saga is a Viking epic. Prison School is a raunchy comedy. Berserk is dark fantasy.';
    const r = run(text, { mode: 'sync', chunkChars: 40 });
    assert.ok(r.violation);
    assert.equal(r.violation.violation!.findings[0].category, 'age_restricted');
    assert.ok(!r.sent.includes('Prison'));
    const member = createStreamCheck({ guardrails, audience: { language: 'en', kind: 'member', ageConfirmed: true }, mode: 'sync', chunkChars: 40 });
    let out = '';
    for (const p of splitForStreaming(text)) out += member.push(p).send;
    out += member.finish().send;
    assert.equal(out, text);
  });

  it('after a violation nothing more is sent, finish() included', () => {
    const check = createStreamCheck({ guardrails, audience: guest, mode: 'async', chunkChars: 10 });
    assert.equal(check.push('call 090-1234-5678 now').violation !== undefined, true);
    assert.deepEqual(check.push('more text'), { send: '' });
    assert.deepEqual(check.finish(), { send: '' });
  });

  it('the replacement keeps what passed, cut back to a sentence, with the notice', () => {
    const r = run(bad, { mode: 'async' });
    const replacement = safeReplacement(r.passed, r.violation!.violation!, 'en');
    assert.ok(replacement.startsWith(EN_ANSWER.slice(0, 40)));
    assert.ok(!replacement.includes('090'));
    assert.match(replacement, /content rules/);
  });
});

describe('chunk boundaries', () => {
  const cases: [string, string][] = [
    ['phone', 'call me on 090-1234-5678 tonight'],
    ['restricted title', 'you will love Prison School a lot'],
    ['abuse', 'そんなやつは死ねと言いたい'],
    ['obfuscated', 'watch p.o.r.n here'],
    ['card', 'card 4111 1111 1111 1111 ok'],
  ];
  const filler = 'Here is a normal sentence about manga. ';

  for (const [name, bad] of cases) {
    it(`${name}: caught wherever the chunk boundary falls, in both modes`, () => {
      for (let pad = 0; pad < 24; pad++) {
        const text = filler.slice(0, pad) + bad;
        for (const mode of ['async', 'sync'] as const) {
          // one character per push: every split of the term across two chunks happens for some pad
          const r = run(text, { mode, chunkChars: 12, overlapChars: 32, pieces: [...text] });
          assert.ok(r.violation, `${mode}, pad ${pad}: ${text}`);
        }
      }
    });
  }

  it('without the overlap a split term slips through (why the overlap exists)', () => {
    let missed = 0;
    for (let pad = 0; pad < 24; pad++) {
      // (a phone number would still be caught: the window moves back to the start of the number it cuts)
      const text = filler.slice(0, pad) + 'you will love Prison School a lot';
      if (!run(text, { chunkChars: 12, overlapChars: 0, pieces: [...text] }).violation) missed++;
    }
    assert.ok(missed > 0);
  });

  it('a word cut by the overlap start is not misread (ダークソウル is not クソ, ORD-2024-000123 is not a phone)', () => {
    const texts = [
      'ダークソウルが好きな方にはベルセルクもおすすめです。ダークソウルの世界観に近い作品です。',
      'Order ORD-2024-000123 and MA-20261101-0001 shipped; ISBN 978-4-08-872509-3, JAN 4901234567894.',
      'Yuri titles explore same-sex romance. Same-sex couples are at the heart of these stories.',
    ];
    for (const text of texts) {
      for (let chunkChars = 3; chunkChars <= 30; chunkChars++) {
        for (const overlapChars of [1, 2, 3, 4, 5, 8]) {
          for (const mode of ['async', 'sync'] as const) {
            const r = run(text, { mode, chunkChars, overlapChars, pieces: [...text] });
            assert.equal(r.violation?.violation?.findings.map((f) => f.filter).join(), undefined, `${text} chunk ${chunkChars} overlap ${overlapChars} ${mode}`);
            assert.equal(r.sent, text);
          }
        }
      }
    }
  });
});
