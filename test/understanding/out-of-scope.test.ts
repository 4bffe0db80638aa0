/** Subjects the store has nothing on, in both languages — and the store's own questions that only mention them. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asksAboutTheManga, asksOfOtherMedium, outOfScopeSubject, titleOfOtherMedium, withoutOtherMedium } from '../../src/understanding/out-of-scope.ts';

describe('out-of-scope subjects', () => {
  it('legal, medical, weather, the time, general knowledge, homework, translating, watching, bookings, other shops', () => {
    const cases: [string, string][] = [
      ['can I sue my landlord?', 'legal'],
      ['弁護士を紹介してもらえますか', 'legal'],
      ['my kid has a fever what should I do', 'medical'],
      ['頭痛がするんだけど何の薬飲めばいい？', 'medical'],
      ["what's the weather in Tokyo tomorrow?", 'weather'],
      ['明日の東京の天気は？', 'weather'],
      ['今日のニュースは？', 'news'],
      ["what's today's news?", 'news'],
      ['what time is it in Tokyo?', 'time'],
      ["what's the capital of France?", 'knowledge'],
      ['can you help with my math homework?', 'homework'],
      ['宿題手伝って。二次方程式の解き方教えて', 'homework'],
      ['この英語のメールを日本語に翻訳してくれない？ Dear team, thank you for the meeting.', 'translation'],
      ['can you translate this into Japanese for me?', 'translation'],
      ['where can I watch the Frieren anime?', 'watching'],
      ['鬼滅の刃のアニメはどこで見られますか？', 'watching'],
      ['can you book me a hotel in Osaka?', 'booking'],
      ['is Book-Off or Animate cheaper for manga?', 'other-shop'],
      ['アマゾンより安い？', 'other-shop'],
      // Money of one's own (blind6 b6-oos-ja-kabu).
      ['株で儲ける方法教えて', 'money'],
      ['副業で稼ぐにはどうしたらいい？', 'money'],
      ['how do I make money investing in stocks?', 'money'],
      ['can you give me some tax advice?', 'money'],
      ['ビットコイン買うべき？', 'money'],
      ['what stocks should I buy', 'money'],
      ['おすすめの投資信託は？', 'money'],
      // Goods the store does not sell.
      ['おすすめのスマホは？', 'goods'],
      ["what's the best laptop for drawing?", 'goods'],
      ['パソコンはどれがいい？', 'goods'],
    ];
    for (const [say, subject] of cases) assert.equal(outOfScopeSubject(say), subject, say);
  });

  it('not when it asks about the store: its books, orders, rules, editions, sales', () => {
    for (const say of [
      'my son is sick, can you recommend a manga to cheer him up?',
      'is the digital edition translated into English?',
      'I watched the Chainsaw Man anime, which volume should I start with?',
      '劇場版の続きは何巻から？ 鬼滅の刃',
      'my order arrived damaged, do I need a lawyer or can I get a refund?',
      'is there a discount for doctors?',
      'does Kinokuniya have Frieren in stock?',
      '注文はどこで見られますか？',
      'how much is shipping to Osaka?',
      'any news on the next One Piece volume?',
      '当日発送の締め切りは何時ですか？',
      'what time does support open?',
      'can you translate the title Shingeki no Kyojin?',
      '投資の漫画でおすすめある？',
      'any manga about investing?',
      'what about bitcoin?',
      'ポイントを稼ぐ方法は？',
      'is the One Piece box set a good investment?',
      'can I pay with bitcoin?',
      'which tablet is best for reading your ebooks?',
      'スマホで読めるおすすめのアプリは？',
      'おすすめのタブレットで電子版は読めますか？',
      'what phone number should I call?',
      'which phone number do I call for support?',
      'which phone line is best to call you on?',
    ]) assert.equal(outOfScopeSubject(say), undefined, say);
  });
});

describe('the manga of an anime or film', () => {
  it('a question about the manga behind another medium is the store\'s, in both languages', () => {
    for (const say of ['Netflix版のワンピースの原作は何巻まで？', '呪術廻戦の映画って漫画だと何巻の話？', 'is the Chainsaw Man movie in the manga? which volumes?', 'which volume of the manga does the Frieren anime end at?']) assert.ok(asksAboutTheManga(say), say);
    for (const say of ['where can I watch the Frieren anime?', '鬼滅の刃のアニメはどこで見られますか？', 'how many volumes is One Piece?']) assert.ok(!asksAboutTheManga(say), say);
    assert.equal(withoutOtherMedium('Netflix版のワンピースの原作は何巻まで？').includes('Netflix'), false);
  });

  it('the anime itself asked (its release, where it streams): the title it names, without the words of the medium (blind5 out-of-scope)', () => {
    for (const say of ['鬼滅の刃の映画っていつ公開？', 'when does the Frieren movie premiere?', '呪術廻戦のアニメってどこの配信サイトで見れる？']) assert.ok(asksOfOtherMedium(say), say);
    assert.equal(titleOfOtherMedium('how many seasons does the Frieren anime have?'), 'how many does the Frieren have?');
    assert.doesNotMatch(titleOfOtherMedium('呪術廻戦のアニメってどこの配信サイトで見れる？'), /アニメ|配信|見れ/);
  });
});
