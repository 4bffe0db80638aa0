// What a customer says around the 18+ rule, read from the message: age claims, "why not?",
// pushing back, suitability questions, a minor on a parent's account, a customer abroad.
// Phrasings written for round 2 (both languages, casual and keigo, typos, mixed, two questions).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ageAspects, ageClaim, asksForPerson, saysConfirmed, asksWhy, insists, mentionsAbroad, minorOnAccount, pushbackOnly, ratingLabel, requestsTitles, sexualContentWord, suitabilityQuestion, suitabilitySubjects } from '../../src/guardrails/age-dialogue.ts';

describe('ageClaim', () => {
  const adults: [string, number | undefined][] = [
    ["I'm 25, trust me", 25],
    ['im 30 years old', 30],
    ['I am over 18', 18],
    ["I'm 18+ lol", 18],
    ["i'm twenty-five", 25],
    ['this is stupid. I\'m 30 years old', 30],
    ["I'm an adult", undefined],
    ["come on, I'm a grown man", undefined],
    ["I'm old enough, just show me", undefined],
    ['my age is 42', 42],
    ['大人です', undefined],
    ['もう20歳超えてるので見せてください', 20],
    ['25歳です', 25],
    ['成人してます！', undefined],
    ['私は二十歳です', 20],
    ['一応社会人なんですけど', undefined],
    ['18歳以上です', 18],
  ];
  for (const [text, age] of adults) {
    test(`adult: ${text}`, () => {
      const c = ageClaim(text);
      assert.ok(c, text);
      assert.equal(c.adult, true, text);
      if (age !== undefined) assert.equal(c.age, age, text);
    });
  }
  const minors = ["I'm 17, can I buy Elfen Lied?", "i'm 16 and using my mom's account", "I'm a minor", "I'm in high school", '17歳です', '高校生なんですけど読めますか', 'まだ未成年です'];
  for (const text of minors) {
    test(`minor: ${text}`, () => {
      const c = ageClaim(text);
      assert.ok(c, text);
      assert.equal(c.adult, false, text);
    });
  }
  const none = [
    'how much is volume 25?',
    "I'm 5 volumes into One Piece",
    'my son is 10, can he read Tokyo Ghoul?',
    '10歳の息子におすすめは？',
    'is it ok for my 12 year old?',
    'I am looking for Gantz',
    '大人向けの漫画ありますか',
    '25巻ありますか',
    "I'm in Canada",
    'ワンピースの100巻です',
  ];
  for (const text of none) test(`no claim: ${text}`, () => assert.equal(ageClaim(text), undefined, text));
});

describe('why, pushing back, a person', () => {
  for (const text of ['why not?', 'why??', 'what? why can\'t I see it', 'how come', 'what do you mean', 'なんで？', 'どうしてダメなの？', 'なぜですか', '何で見れないの', 'どういうこと？']) {
    test(`why: ${text}`, () => assert.ok(asksWhy(text)));
  }
  for (const text of ['just show me', 'come on', 'please, I promise', 'seriously?', 'that\'s ridiculous', 'お願いします', 'いいじゃん見せてよ', 'ケチ', '意味わからない', '本当に大人だから']) {
    test(`insists: ${text}`, () => assert.ok(insists(text)));
  }
  for (const text of ['can I talk to a human?', 'let me speak to a real person', 'get me a manager', 'customer service please', '担当者につないで', 'スタッフと話したい', '人間と話させて']) {
    test(`person: ${text}`, () => assert.ok(asksForPerson(text)));
  }
  for (const text of ['how much is volume 3?', 'ok thanks', 'ワンピースの1巻', 'recommend something similar I can buy']) {
    test(`none of them: ${text}`, () => assert.ok(!asksWhy(text) && !insists(text) && !asksForPerson(text), text));
  }
  for (const text of ['why not?', "what? why can't I see it", "I'm 25, trust me", 'this is stupid. I\'m 30 years old', 'come on just show me', 'seriously??', '大人です', 'なんでダメなの？', 'もう20歳超えてるので見せてください', 'ケチ！']) {
    test(`only a pushback: ${text}`, () => assert.ok(pushbackOnly(text), text));
  }
  for (const text of ['please show me One Piece', 'why is Naruto out of stock?', 'ok how much is shipping', 'ワンピースを見せて', 'じゃあ鬼滅の刃は？']) {
    test(`more than a pushback: ${text}`, () => assert.ok(!pushbackOnly(text), text));
  }
});

describe('suitabilityQuestion', () => {
  const cases: [string, string | undefined][] = [
    ['is Attack on Titan ok for my 12 year old?', 'child'],
    ['Is One Piece appropriate for a 9-year-old?', 'child'],
    ['would Chainsaw Man be suitable for a kid?', 'child'],
    ['my son is 10, can he read Tokyo Ghoul?', 'child'],
    ['Is Yotsuba&! kid friendly?', 'child'],
    ['is prison school ok for a 15 year old', 'teen'],
    ['what age is Berserk for? thinking of getting it for my 14yo nephew', 'teen'],
    ['is it ok for a 12 year old though?', 'child'],
    ['is death note too violent for a teenager', 'teen'],
    ['can my daughter read Frieren, she is 8', 'child'],
    ['進撃の巨人って中学生でも読めますか？', 'teen'],
    ['ガンツって中学生でも読めますか？', 'teen'],
    ['小学生の娘に鬼滅の刃を買ってあげたいんですが、内容的に大丈夫ですか？', 'child'],
    ['GANTZ:Gは高校生でも大丈夫？', 'teen'],
    ['これって小学生が読んでも大丈夫な内容ですか？', 'child'],
    ['ワンピースは何歳から読めますか', undefined],
    ['チェンソーマンは10歳の子に読ませても平気？', 'child'],
  ];
  for (const [text, audience] of cases) {
    test(text, () => {
      const q = suitabilityQuestion(text);
      assert.ok(q, text);
      assert.equal(q.audience, audience, text);
    });
  }
  const not = ['manga for a 10-year-old', 'how much is One Piece volume 1?', 'is it good?', 'is Gantz finished?', 'ワンピースはどこで読めますか', 'do you have Yotsuba?', '10歳の子供向けの漫画を教えて', 'is that ok?'];
  for (const text of not) test(`not: ${text}`, () => assert.equal(suitabilityQuestion(text), undefined, text));
  const subjects: [string, string][] = [
    ['is Attack on Titan ok for my 12 year old?', 'Attack on Titan'],
    ['Is One Piece appropriate for a 9-year-old?', 'One Piece'],
    ['would Chainsaw Man be suitable for a kid?', 'Chainsaw Man'],
    ['my son is 10, can he read Tokyo Ghoul?', 'Tokyo Ghoul'],
    ['Is Yotsuba&! kid friendly?', 'Yotsuba&!'],
    ['what age is Berserk for? thinking of getting it for my 14yo nephew', 'Berserk'],
    ['is death note too violent for a teenager', 'death note'],
    ['進撃の巨人って中学生でも読めますか？', '進撃の巨人'],
    ['GANTZ:Gは高校生でも大丈夫？', 'GANTZ:G'],
    ['ワンピースは何歳から読めますか', 'ワンピース'],
    ['チェンソーマンは10歳の子に読ませても平気？', 'チェンソーマン'],
  ];
  for (const [text, subject] of subjects) test(`subject: ${text}`, () => assert.equal(suitabilitySubjects(text)[0], subject, JSON.stringify(suitabilitySubjects(text))));
  test('subject in another clause, or none (a pronoun)', () => {
    assert.ok(suitabilitySubjects('小学生の娘に鬼滅の刃を買ってあげたいんですが、内容的に大丈夫ですか？').some((x) => x.includes('鬼滅の刃')));
    assert.deepEqual(suitabilitySubjects('is it ok for a 12 year old though?'), ['']);
    assert.deepEqual(suitabilitySubjects('これって小学生が読んでも大丈夫な内容ですか？'), ['']);
  });
  test('a request for titles is told apart from a question about one', () => {
    assert.ok(requestsTitles('what manga would be ok for a 10 year old?'));
    assert.ok(requestsTitles('recommend something suitable for my kid'));
    assert.ok(requestsTitles('小学生でも読めるおすすめの漫画ある？'));
    assert.ok(!requestsTitles('is Attack on Titan ok for my 12 year old?'));
    assert.ok(!requestsTitles('進撃の巨人って中学生でも読めますか？'));
  });
});

describe('minorOnAccount and mentionsAbroad', () => {
  for (const text of [
    'my kid used my account to buy an adult manga, what do I do?',
    "I'm 16 and using my mom's account, can I buy Gantz?",
    'Can I stop my son from buying 18+ manga on my account?',
    'my daughter bought something 18+ with my account',
    '子供が私のアカウントで18禁の漫画を買ってしまいました。どうすればいいですか？',
    '息子が私のアカウントで年齢制限のある本を見られないようにできますか',
    '高校生ですが親のアカウントで買えますか',
  ]) {
    test(`minor on an account: ${text}`, () => assert.ok(minorOnAccount(text)));
  }
  for (const text of ['how do I delete my account?', 'my son loves One Piece', '子供向けの漫画ある？', 'アカウントを削除したい']) {
    test(`not: ${text}`, () => assert.ok(!minorOnAccount(text)));
  }
  for (const text of ["I'm in Canada — can you ship Gantz 1-3 to me?", 'I live in the US, can you send me Gantz volume 1?', 'do you ship to the UK', 'shipping overseas?', '海外から注文できますか', 'アメリカに住んでます']) {
    test(`abroad: ${text}`, () => assert.ok(mentionsAbroad(text)));
  }
  for (const text of ['how much is shipping?', 'thus', 'I love Gantz', '沖縄に住んでます', 'us too', 'let us know']) {
    test(`not abroad: ${text}`, () => assert.ok(!mentionsAbroad(text)));
  }
});

describe('ageAspects and saysConfirmed: what the store does differently for 18+ titles, asked beside one', () => {
  const cases: [string, string[]][] = [
    ["I'm in Canada — can you ship Gantz 1-3 to me?", ['abroad']],
    ['Is Ichi the Killer available as an ebook?', ['digital']],
    ['エルフェンリートは電子書籍で買えますか？', ['digital']],
    ['can I pay for Gantz with my phone bill?', ['carrier']],
    ['ガンツってキャリア決済できますか', ['carrier']],
    ['can I pick up Elfen Lied at a convenience store?', ['konbini']],
    ['監獄学園をコンビニ受け取りにしたい', ['konbini']],
    ['can you gift wrap Battle Royale for my brother?', ['wrapping']],
    ['will my parents see what is inside the package if I order Gantz?', ['packaging']],
    ['家族にバレないように送ってもらえますか', ['packaging']],
    ['I live in the US, can I get the Kindle version of Gantz?', ['abroad', 'digital']],
  ];
  for (const [text, aspects] of cases) test(text, () => assert.deepEqual(ageAspects(text), aspects));
  for (const text of ['how much is Gantz vol 1?', 'can I pay at a konbini?', 'do you have Elfen Lied?', '在庫ありますか']) test(`none: ${text}`, () => assert.deepEqual(ageAspects(text), []));
  for (const text of ["i confirmed my age already, why can't i see gantz??", "I've verified my age", 'my age is already confirmed', '年齢確認はもうしました', '年齢確認済ませてます']) test(`confirmed: ${text}`, () => assert.ok(saysConfirmed(text)));
  for (const text of ['how do I confirm my age?', '年齢確認の方法は？']) test(`not confirmed: ${text}`, () => assert.ok(!saysConfirmed(text)));
});

describe('whether a title is sold 18+ at all is a question about that title', () => {
  const subjects: [string, string][] = [
    ['is Food Wars 18+?', 'Food Wars'],
    ['ベルセルクって18禁ですか？', 'ベルセルク'],
    ['is tokyo ghoul age restricted?', 'tokyo ghoul'],
    ['Is Gantz R18?', 'Gantz'],
    ['東京喰種はR18？', '東京喰種'],
    ['To LOVEるは成人向けですか', 'To LOVEる'],
    ['is berserk an adults only manga? can I buy it as a guest?', 'berserk'],
    ['is chainsaw man adult only', 'chainsaw man'],
    ['エルフェンリートって年齢確認が必要ですか', 'エルフェンリート'],
    ['is Prison School x-rated?', 'Prison School'],
  ];
  for (const [text, subject] of subjects) {
    test(`asks: ${text}`, () => {
      assert.ok(suitabilityQuestion(text), text);
      assert.equal(suitabilitySubjects(text)[0], subject, JSON.stringify(suitabilitySubjects(text)));
    });
  }
});

describe('ratingLabel (round 4)', () => {
  // The words the input filter found: a rating label is asked about, an explicit word is not.
  for (const words of ['18禁', '成人向け', 'adults only', 'adult manga', 'R18', 'アダルト', '18+ manga']) test(`label: ${words}`, () => assert.equal(ratingLabel(words), true));
  for (const words of ['hentai', 'エロ', 'porn', 'nsfw']) test(`explicit: ${words}`, () => assert.equal(ratingLabel(words), false));
});

describe('content questions about one title (round 5)', () => {
  // A yes/no question about what the series in play (or the one named) has: answered from its tags, never a list of that kind.
  const cases: [string, string[], string][] = [
    ['グロい？', ['gore'], ''],
    ['怖いですか', ['horror'], ''],
    ['これって泣ける？', ['sad'], ''],
    ['エロい？', ['sexual'], ''],
    ['暴力描写ある？', ['violence'], ''],
    ['ちょっと重い？', ['dark'], ''],
    ['ベルセルクってグロいですか', ['gore'], 'ベルセルク'],
    ['is it gory?', ['gore'], ''],
    ['Is Berserk too violent?', ['violence'], 'Berserk'],
    ['how scary is Uzumaki?', ['horror'], 'Uzumaki'],
    ['does it have fan service?', ['sexual'], ''],
    ['is there a lot of gore in it?', ['gore'], ''],
    ['is this one kind of sad?', ['sad'], ''],
    ['is Yotsuba funny?', ['funny'], 'Yotsuba'],
  ];
  for (const [text, content, subject] of cases) {
    test(text, () => {
      assert.deepEqual(suitabilityQuestion(text)?.content, content, text);
      assert.equal(suitabilitySubjects(text)[0], subject, JSON.stringify(suitabilitySubjects(text)));
    });
  }
  // Who it is written for: "is it for adults?" / 「大人向け？」, "is it for kids?" / 「子供向けですか？」.
  const whom: [string, string][] = [['is it for adults?', 'adult'], ['大人向け？', 'adult'], ['is this meant for kids?', 'child'], ['子供向けですか？', 'child'], ['is it for teens?', 'teen']];
  for (const [text, audience] of whom) {
    test(`for whom: ${text}`, () => {
      assert.equal(suitabilityQuestion(text)?.audience, audience, text);
      assert.deepEqual(suitabilitySubjects(text), ['']);
    });
  }
  // A wish for titles of a kind, or something else: not a question about one title.
  for (const text of ['グロいのある？', '泣ける漫画ある？', '怖いのは嫌です', 'もっと明るいのがいい', 'any scary ones?', 'is this a graphic novel?', 'is it finished?', '感動の最終巻ある？', '本がこわれてない？', 'どのくらい？', '感動した！', 'is the halloween horror sale still on? can I still use SPOOKY20?', 'ホラーセールはまだやってる？', '怖い話ある？']) {
    test(`not: ${text}`, () => assert.ok(requestsTitles(text) || suitabilityQuestion(text) === undefined, JSON.stringify(suitabilityQuestion(text))));
  }
  test('the word of a sexual-content question is told from other adult words', () => {
    for (const w of ['エロ', 'lewd', 'sex scenes', 'erotic']) assert.ok(sexualContentWord(w), w);
    for (const w of ['hentai', 'porn', '18禁', 'nsfw']) assert.ok(!sexualContentWord(w), w);
  });
});
