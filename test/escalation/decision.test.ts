import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksForPerson, escalationKind, reportsBillingError, soundsAngry, supportQuestionBeside, withoutVenting } from '../../src/escalation/decision.ts';
import { conceptsOf } from '../../src/retrieval/policy-sections.ts';

const kind = (text: string) => escalationKind(text, conceptsOf(text, true));

test('a request for a person opens a ticket, in either language and register', () => {
  for (const text of [
    'get me your manager',
    'I want to speak to your supervisor right now',
    'talk to a human please',
    'agent',
    'can I speak to someone?',
    'fine, connect me to a human',
    'I want to file a complaint about the packaging',
    '責任者を出してください',
    'ちょっと責任者と話させて',
    '店長呼んで',
    'スタッフの方と話せますか',
    'オペレーターにつないでください',
    '人と話したいです',
    'I want to talk to a human this weekend',
    '土日に担当者と話したい',
  ]) {
    assert.equal(kind(text), 'person', text);
    assert.ok(asksForPerson(text), text);
  }
});

test('a question about support (when, which number) is a policy question, not a ticket', () => {
  for (const text of [
    'when is your customer service open?',
    'what time can I reach your staff?',
    'what hours are your human support agents available in the chat?',
    'スタッフと話せる時間帯は何時から何時までですか？',
    '担当者に電話したいんですけど、電話番号を教えてください',
    // Calling, and the days staff answer: the phone line and the hours, not a ticket.
    'can I call someone instead?',
    'can I phone customer service?',
    'do you have live chat with a human on weekends?',
    'サポートに電話したいです',
    '土日もスタッフの方は対応してますか？',
  ]) {
    assert.equal(kind(text), 'question', text);
    assert.ok(!asksForPerson(text), text);
  }
});

test('anger with nothing asked is an outburst: no ticket', () => {
  for (const text of ['you stupid useless bot', "you're a useless piece of junk", 'this is outrageous', "I'm losing my patience here", 'まじで使えないな', 'ほんとバカじゃないの', 'いい加減にしてよ']) {
    assert.equal(kind(text), 'outburst', text);
  }
});

test('a problem the policy pages answer is answered; with a person asked, a ticket', () => {
  assert.equal(kind("I'm so angry, the manga came damaged"), 'problem');
  assert.equal(kind('届いた本が破れていて最悪'), 'problem');
  assert.equal(kind('my book arrived damaged and I want to talk to a person'), 'person');
  assert.equal(kind('届いた本が破れていました。人と話したいです'), 'person');
});

test('anger at the store is heard beside a question; ordinary dislikes are not anger', () => {
  assert.ok(soundsAngry('your site is garbage. how much is shipping anyway?'));
  assert.ok(soundsAngry('ふざけんな、送料いくらか早く教えろ'));
  assert.ok(!soundsAngry('I hate horror, recommend something light'));
  assert.ok(!soundsAngry('is it a terrible idea to start with volume 5?'));
  assert.ok(!soundsAngry('ホラーは苦手です'));
});

test("asking for support's email address or contact form is a question about support, not a request for a person", () => {
  for (const text of ['is there an email address for your support team?', "what's your customer service email?", 'how do I email support?', 'サポートのメールアドレスを教えてください', 'お問い合わせフォームはどこですか']) {
    assert.equal(kind(text), 'question', text);
    assert.equal(asksForPerson(text), false, text);
  }
  assert.equal(kind('can someone from your staff email me about my refund? I want a person'), 'person');
});

test('a clause that only vents at the store is dropped beside a question; titles and questions stay', () => {
  assert.equal(withoutVenting('ゴミみたいな店だな、ワンピース1巻ある？'), 'ワンピース1巻ある？');
  assert.equal(withoutVenting('this store is garbage like a dumpster, do you have One Piece vol 1?'), 'do you have One Piece vol 1?');
  assert.equal(withoutVenting('ほんと使えないAIだな。進撃の巨人の34巻ある？'), '進撃の巨人の34巻ある？');
  assert.equal(withoutVenting('クソみたいなサイトだけど、鬼滅の刃の在庫ある？'), '鬼滅の刃の在庫ある？');
  assert.equal(withoutVenting('wtf. how much is shipping'), 'how much is shipping');
  assert.equal(withoutVenting('useless bot, I want Berserk vol 3'), 'I want Berserk vol 3');
  assert.ok(soundsAngry('you guys suck. is Chainsaw Man vol 15 in stock?'));
  assert.equal(withoutVenting('you guys suck. is Chainsaw Man vol 15 in stock?'), 'is Chainsaw Man vol 15 in stock?');
  assert.ok(!soundsAngry('does the ending of Berserk suck?'));
  // An insult the guardrail found (not one of the anger words) marks its clause too.
  assert.equal(withoutVenting('うざいなこのボット、チェンソーマンの最新刊は？', ['うざい']), 'チェンソーマンの最新刊は？');
  // Nothing but venting, a title with an anger word in it, a question in the angry clause: as written.
  for (const t of ['this store is garbage. worst service ever.', 'バカとテストと召喚獣、ある？', 'why are you so useless, do you have Berserk?', 'I hate horror, recommend something light']) assert.equal(withoutVenting(t), t, t);
});

test('a person asked in one sentence and support asked about in another: both (blind6 b6-esc-en-person-hours)', () => {
  for (const [text, asked] of [
    ['can I speak to someone? what hours are your staff around', 'what hours are your staff around'],
    ['I want to talk to a person. what time are they available', 'support staff what time are they available'],
    ['人と話したいです。何時まで対応していますか？', 'スタッフ 何時まで対応していますか?'],
    ['担当者につないでください。電話番号も教えて', 'スタッフ 電話番号も教えて'],
    ['i need a real person, when are you open?', 'support staff when are you open?'],
    ['人間と話したい。電話もできる？', 'スタッフ 電話もできる?'],
    ["can I talk to a human? also what's your phone number", "support staff also what's your phone number"],
  ] as const) {
    assert.equal(kind(text), 'person', text);
    assert.equal(supportQuestionBeside(text), asked, text);
  }
  // Support asked about, no person asked for: a question, nothing beside it.
  for (const text of ['what are the hours for a real agent? not now, just asking', "What's your phone number? I'd rather call someone", 'when can I talk to someone?']) {
    assert.notEqual(kind(text), 'person', text);
    assert.equal(supportQuestionBeside(text), undefined, text);
  }
  // A person asked, nothing about support: no question beside it; nor one about an order ('when' asks of the order).
  assert.equal(supportQuestionBeside('get me your manager'), undefined);
  assert.equal(supportQuestionBeside('上の人出して。あとこの注文いつ届くの？'), undefined);
  assert.equal(supportQuestionBeside('get me a human. when will my order arrive?'), undefined);
});

test('a wrong charge told is for staff (a ticket), in both languages; a failed payment or a fee question is not', () => {
  for (const text of ['I was charged twice for order MA-20261121-0004, why?', 'you double charged me', 'there is a duplicate payment on my card', 'my card was charged again for the same order', '二重に引き落とされてるんですが', '請求が2回来てます', '同じ注文で2回決済されてる']) {
    assert.ok(reportsBillingError(text), text);
    assert.equal(kind(text), 'other', text);
  }
  for (const text of ['my payment failed', 'when will I be charged for a preorder?', 'is there a fee for cash on delivery?', '支払いができなかった', 'カードはいつ請求されますか']) assert.ok(!reportsBillingError(text), text);
});

// (Fixer w2c, step 8: on 63e8117 every description below read as anger, and the reply opened with an apology.)
test('garbage, trash, ゴミ in a story or a subject is no anger; aimed at the store, or alone, it still is', () => {
  for (const text of [
    "what's that manga where a kid gets thrown into a garbage dump world",
    'any manga about trash collectors?',
    'a story set in a city built on rubbish heaps',
    'ゴミの世界に落とされる少年の漫画ってなんだっけ',
    'ゴミ山で戦うバトル漫画ある？',
    'ゴミ拾いをする主人公の話',
  ]) assert.ok(!soundsAngry(text), text);
  for (const text of ['this store is garbage. how much is shipping?', 'ゴミみたいな店だな、ワンピース1巻ある？', 'garbage. do you have naruto 1', 'ゴミ', 'your bot is trash']) assert.ok(soundsAngry(text), text);
});
