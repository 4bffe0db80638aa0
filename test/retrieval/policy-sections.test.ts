import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase } from '../../src/retrieval/documents.ts';
import { amountIn, answerFrom, createPolicySections, inPlayAnswer, isElliptical, orderPolicyQuestion, sectionHeading, sectionLines, thresholdMet, unlistedMethod } from '../../src/retrieval/policy-sections.ts';
import type { IndexedDoc } from '../../src/retrieval/types.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import { isSection, POLICY_QUESTIONS, ROUND2_POLICY_QUESTIONS, UNANSWERED_QUESTIONS } from './policy-questions.ts';

// The store's own knowledge base: the answers must come from the pages customers are shown.
const KB = loadKnowledgeBase(join(fileURLToPath(new URL('../../data/kb/', import.meta.url))));
const sections = createPolicySections(KB);
const name = (d: IndexedDoc) => `${d.ref}/${sectionHeading(d).heading}`;

/** The best section for a question, and the sentences of it that answer. */
function ask(text: string, after: string[] = []): { section: string; answer: string; detail: string } {
  const language = detectLanguage(text) as 'en' | 'ja';
  const [best] = sections.rank({ text, language, context: after });
  assert.ok(best, `a section for "${text}"`);
  const { answer, detail } = answerFrom(best.doc, { text, context: after });
  return { section: name(best.doc), answer: answer.map((l) => l.text).join(' '), detail: detail.map((l) => l.text).join(' ') };
}

describe('policy sections: the section that answers the question', () => {
  for (const q of [...POLICY_QUESTIONS, ...ROUND2_POLICY_QUESTIONS]) {
    it(`${q.say}${q.after ? ` (after "${q.after[0]}")` : ''} → ${q.section.join(' or ')}`, () => {
      const { section } = ask(q.say, q.after);
      assert.ok(q.section.some((s) => isSection(section, s)), `got ${section}`);
    });
  }

  for (const say of UNANSWERED_QUESTIONS) {
    it(`no section answers "${say}": none is given`, () => {
      const language = detectLanguage(say) as 'en' | 'ja';
      const ranked = sections.rank({ text: say, language });
      assert.deepEqual(ranked.map((r) => name(r.doc)), []);
    });
  }

  it('ranks in the language asked: a Japanese question gets a Japanese section', () => {
    const [best] = sections.rank({ text: '送料はいくらですか？', language: 'ja' });
    assert.equal(best.doc.language, 'ja');
  });

  it('finds nothing for a question no section is about', () => {
    assert.deepEqual(sections.rank({ text: 'qwzx', language: 'en' }), []);
  });
});

describe('policy sections: the answer first, with its figures', () => {
  it('shipping fee: the ¥350 flat fee and the ¥2,000 free-shipping threshold, not the Prime line', () => {
    const { answer } = ask('how much is shipping?');
    assert.match(answer, /¥350/);
    assert.match(answer, /¥2,000 or more/);
    assert.doesNotMatch(answer, /Prime/);
  });

  it('a follow-up about another region answers with that zone of the rate table', () => {
    assert.match(ask('and what about shipping to the US?', ['how much is shipping?']).answer, /North America, Europe, Oceania — Up to 1 kg: ¥1,800/);
    assert.match(ask('アメリカに送ってもらう場合、送料はいくらですか？').answer, /北米・ヨーロッパ・オセアニア：1kgまで 1,800円/);
  });

  it('PayPay: the PayPay section, not the list of methods that are not accepted', () => {
    const { section, answer } = ask('can I pay with PayPay?');
    assert.equal(section, 'payment-methods/PayPay');
    assert.doesNotMatch(answer, /not accept/);
  });

  it('preorders are charged when they ship', () => {
    assert.match(ask('when am I charged for a preorder?').answer, /charged when the item ships/);
    assert.match(ask('予約した商品の代金っていつ引き落とされますか？').answer, /発送時に請求/);
  });

  it('a damaged book: we pay the return and send a replacement (not only a contact form)', () => {
    assert.match(ask('my book arrived damaged, what should I do?').answer, /we pay return shipping and can send a replacement/);
    assert.match(ask('届いた本の表紙が破れていました。どうしたらいいですか？').answer, /当店負担.*交換品/);
  });

  it('a rule comes with its exception: digital editions are refunded when defective', () => {
    assert.match(ask('can I get a refund on an ebook?').answer, /non-refundable.*The exception is a defect/);
    assert.match(ask('電子書籍って返金できますか？').answer, /返金(?:は)?できません.*ただし.*不具合/);
  });

  it('a short list is answered whole: points are 1% for members and 3% for Prime', () => {
    const { answer } = ask('how many points do I earn on purchases?');
    assert.match(answer, /Members: 1%/);
    assert.match(answer, /Prime members: 3%/);
  });

  it('a shipped order cannot be cancelled, and refusing it costs ¥700', () => {
    const { answer } = ask('発送された後でもキャンセルできますか？');
    assert.match(answer, /キャンセルできません/);
    assert.match(answer, /700円/);
  });

  it('the figure asked for leads: 5 devices, 3 days to pay at a konbini, the same-day cutoff, Jan 1-3 closure', () => {
    assert.match(ask('何台の端末で読めますか？', ['電子書籍って返金できますか？']).answer, /^同時に 5台まで/);
    assert.match(ask('コンビニ払いの支払い期限って何日ですか？').answer, /^払込番号.*3日以内/);
    assert.match(ask('当日発送の締め切りは何時ですか？').answer, /午後3時/);
    assert.match(ask('年末年始も発送してますか？').answer, /1月1日〜3日を除き/);
    assert.match(ask('how long does delivery take to Hokkaido?').answer, /^Hokkaido: 2 to 3 days/);
  });

  it('an elliptical follow-up is read with the question before it', () => {
    const prime = ask('プライム会員だとどうなりますか？', ['送料はいくらですか？']);
    assert.match(prime.answer, /プライム会員.*(?:送料無料|配送が無料)/);
    const cancel = ask('can I cancel whenever I want?', ['is there a free trial?', 'How much does Prime cost?']);
    assert.match(cancel.answer, /Cancel any time from \/account\/membership/);
  });
});

describe('policy sections: what goes with the answer', () => {
  it('a fault reported brings the steps to start the return, even when their section ranks lower', () => {
    for (const text of ['違う巻が届きました', 'the cover of my manga was torn when it arrived']) {
      const language = detectLanguage(text) as 'en' | 'ja';
      const ranked = sections.rank({ text, language });
      assert.ok(ranked.some((r) => r.doc.ref === 'returns' && sectionLines(r.doc.text).some((l) => l.step)), text);
    }
  });

  it('an alternative in a short list stays out ("changed your mind" is not the answer to "damaged")', () => {
    const { answer } = ask('the cover of my manga was torn when it arrived');
    assert.doesNotMatch(answer, /changed your mind/);
  });

  it('a payment method the store does not list brings every section of the payment page (to list what it accepts)', () => {
    assert.equal(unlistedMethod('is Apple Pay accepted?'), 'Apple Pay');
    assert.equal(unlistedMethod('LINE Payは使えますか'), 'LINE Pay');
    assert.equal(unlistedMethod('do you take bitcoin'), undefined, 'cryptocurrency is on the page: not accepted');
    assert.equal(unlistedMethod('can I pay with PayPay?'), undefined);
    const ranked = sections.rank({ text: 'is Apple Pay accepted?', language: 'en' });
    for (const heading of ['Credit and debit cards', 'Konbini payment', 'PayPay', 'Carrier billing', 'Bank transfer', 'Cash on delivery']) {
      assert.ok(ranked.some((r) => r.doc.ref === 'payment-methods' && sectionHeading(r.doc).heading === heading), heading);
    }
  });

  it('"can I …?" hints that who may is part of the answer: a guest asking to preorder learns who can', () => {
    assert.equal(ask('can I preorder it?', ['When does One Piece volume 113 come out?']).section, 'preorders/Who can preorder');
    assert.equal(ask('予約したいです').section, 'preorders/ご予約いただける方');
  });

  it('"us" is a pronoun, "US" the country', () => {
    assert.equal(ask('can I pay by bank transfer from the US?').section, 'shipping/International shipping');
    assert.notEqual(ask('can you give us a refund?').section, 'shipping/International shipping');
  });

  it('an order question\'s policy part is read for the order\'s status, a guest\'s as asked', () => {
    assert.match(orderPolicyQuestion('can I still cancel the Given order?', 'processing')!, /before it ships/);
    assert.equal(orderPolicyQuestion('can I still cancel it?'), 'can I still cancel it?');
    assert.equal(orderPolicyQuestion('where is my order?', 'shipped'), undefined);
  });
});

describe('policy sections: the answer for this customer', () => {
  const answerFor = (text: string, tier: 'guest' | 'member' | 'prime', after: string[] = []) => {
    const language = detectLanguage(text) as 'en' | 'ja';
    const [best] = sections.rank({ text, language, context: after });
    return answerFrom(best.doc, { text, context: after, tier }).answer.map((l) => l.text).join(' ');
  };

  it('an amount given picks the rule it meets: ¥1,200 pays ¥350, ¥3,000 ships free, ¥20,000 abroad ships free', () => {
    assert.match(answerFor("I'm only buying ¥1,200 worth, how much is shipping?", 'guest'), /^Orders under ¥2,000 cost a flat ¥350/);
    assert.match(answerFor('送料っていくらかかりますか？3,000円分買います', 'guest'), /^ご注文金額.*2,000円以上で送料無料/);
    assert.match(answerFor("I'm buying ¥20,000 of manga to send to Canada, how much is shipping?", 'member'), /¥15,000 or more ship free/);
    assert.equal(amountIn('1,200円分だけ'), 1200);
    assert.equal(thresholdMet('Orders under ¥2,000 cost a flat ¥350.', 1200), true);
    assert.equal(thresholdMet('2,000円以上で送料無料 です。', 1200), false);
    assert.equal(thresholdMet('Prime members get free shipping.', 1200), undefined);
  });

  it('a Prime member is told the Prime rule; a guest gets the rates and, in the detail, that guests earn none', () => {
    assert.match(answerFor('送料っていくらかかりますか？1,200円分だけ買う予定です', 'prime'), /プライム会員 の方は、金額にかかわらずすべての国内配送が無料です/);
    assert.match(answerFor('how many points do I earn?', 'prime'), /Prime members: 3%/);
    const guest = answerFor('how many points do I earn on purchases?', 'guest');
    assert.match(guest, /Members: 1%.*Prime members: 3%/);
  });

  it('too many wrong passwords: the lock and how long it lasts', () => {
    assert.match(answerFor("I typed my password wrong a bunch of times and now I can't log in", 'member'), /After 5 failed sign-in attempts, the account is locked for 30 minutes/);
    assert.match(answerFor('ログインに何回も失敗してロックされました', 'member'), /5回失敗.*30分間/);
  });

  it('a scope only an earlier question named does not pull a new question into it', () => {
    assert.equal(ask('how long does delivery to Okinawa take?', ['can I preorder the ebook version?']).section, 'delivery-times/Standard domestic delivery (after shipping)');
  });
});

describe('policy sections: reading a section', () => {
  it('keeps a list item whole and remembers it is one; never splits inside brackets', () => {
    const lines = sectionLines('Intro line:\n- First item. With two sentences.\n- Second\n\n包装紙は 季節のデザイン(季節ごとに変わります。冬は雪の結晶柄です)をお選びいただけます。次の文です。');
    assert.deepEqual(lines, [
      { text: 'Intro line:', item: false },
      { text: 'First item. With two sentences.', item: true },
      { text: 'Second', item: true },
      { text: '包装紙は 季節のデザイン(季節ごとに変わります。冬は雪の結晶柄です)をお選びいただけます。', item: false },
      { text: '次の文です。', item: false },
    ]);
  });

  it('tells a follow-up that leans on the question before it', () => {
    for (const t of ['and what about shipping to the US?', 'Can I pay cash on delivery for it?', 'プライム会員だとどうなりますか？']) assert.ok(isElliptical(t), t);
    for (const t of ['how much is shipping?', '送料はいくらですか？', 'can I pay with PayPay?']) assert.ok(!isElliptical(t), t);
  });
});

describe('policy sections: the topic the conversation is on (round 2)', () => {
  /** What the topic in play adds: the rule of the best section about it among the ranked ones, else its answer. */
  function inPlay(text: string, after: string[]): string {
    const language = detectLanguage(text) as 'en' | 'ja';
    const ranked = sections.rank({ text, language, context: after });
    const rules = ranked.map((r) => inPlayAnswer(r.doc, { text, context: after })).filter((r) => r !== undefined);
    const rule = rules.find((r) => r.about) ?? rules[0];
    return rule ? rule.lines.map((l) => l.text).join(' ') : answerFrom(ranked[0].doc, { text, context: after }).answer.map((l) => l.text).join(' ');
  }
  const cases: [string, string, RegExp][] = [
    ['can I pay cash on delivery?', 'I want to preorder the new Frieren volume', /Cash on delivery (?:is not available|cannot be used) for preorders/],
    ['is COD ok?', 'I just preordered One Piece 114', /Cash on delivery (?:is not available|cannot be used) for preorders/],
    ['代引きは使えますか？', 'フリーレンの新刊を予約したいです', /予約商品(?:に|と)/],
    ['コンビニ払いはできますか', '予約注文をしたいのですが', /発送準備が整った時点でお支払いのご案内/],
    ['can I pay at a konbini?', 'can I reserve the next Blue Lock?', /Konbini payment and bank transfer: we email a payment request when the item is ready to ship/],
    ['can I gift wrap it?', 'I want to preorder Kagurabachi 9', /Preorders can be gift wrapped/],
    ['ラッピングはできますか', '次の巻を予約したい', /予約商品もお包みできます/],
    ['can I cancel?', 'I placed a preorder for Dandadan 23', /cancel a preorder at any time/],
    ['can I get a refund?', 'I bought an ebook by mistake', /Digital editions are non-refundable/],
    ['返金できますか？', '電子書籍を間違えて買ってしまいました', /電子書籍.*返金/],
    ['can I pay by bank transfer?', "I'm ordering from Canada", /Cards are the only method accepted for international orders/],
  ];
  for (const [say, after, want] of cases) {
    it(`"${say}" after "${after}"`, () => assert.match(inPlay(say, [after]), want));
  }

  it('a question that names its own scope, or a conversation on none, is answered as asked', () => {
    assert.doesNotMatch(inPlay('can I pay cash on delivery?', []), /preorder/);
    assert.match(inPlay('can I pay cash on delivery for an ebook?', ['I want to preorder Frieren']), /digital editions/);
  });
});

describe('the rule of the topic in play gives the lines that say it, not every line its heading matched', () => {
  it('"how do I cancel it?" about Prime is "Cancel any time…", not "Join from…" (en and ja)', () => {
    const en = KB.find((d) => d.id === 'kb:en/membership#3')!;
    const rule = inPlayAnswer(en, { text: 'how do I cancel it?', context: ['is there a free trial?', 'What do I get with Prime?'] });
    assert.ok(rule, 'a Prime rule');
    assert.match(rule.lines[0].text, /Cancel any time/);
    assert.ok(!rule.lines.some((l) => /^Join from/.test(l.text)), rule.lines.map((l) => l.text).join(' | '));
    const ja = KB.find((d) => d.id === 'kb:ja/membership#3')!;
    const jaRule = inPlayAnswer(ja, { text: '解約はどうすればいい？', context: ['プライム会員の無料体験はありますか？'] });
    if (jaRule) assert.match(jaRule.lines[0].text, /解約/);
  });
});
