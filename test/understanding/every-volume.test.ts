/** Questions about every volume of a series at once: a total, a box set against the singles, which are sold out. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksEveryVolume } from '../../src/understanding/follow-up-words.ts';

test('a total of every volume, in words besides "all volumes"', () => {
  for (const text of ['how much would all of it cost?', 'what would everything cost me?', 'the whole thing, how much?', 'how much to buy the complete collection of Given?', 'チェンソーマン全部揃えたらいくらかかる？', 'まとめて買うといくら？', 'ぜんぶでいくら？']) assert.equal(asksEveryVolume(text), 'all', text);
});

test('a box set against buying the volumes one by one', () => {
  for (const text of ['Is the Akira box set cheaper than buying the 6 volumes separately?', 'box set vs buying the volumes individually', 'box set or the single volumes?', 'デスノートのBOXセットって、バラで12巻買うより安いの？', 'BOXと単品、どっちが安い？', '1冊ずつ買うのとBOXはどっちがお得？']) assert.equal(asksEveryVolume(text), 'singles', text);
});

test('which volumes are sold out', () => {
  for (const text of ['which volumes are out of stock?', 'any Blue Box volumes sold out right now?', 'what volumes of Kagurabachi are out of stock', '在庫切れになってる巻はどれですか？', 'ちいかわって品切れの巻ある？', '売り切れの巻を教えて']) assert.equal(asksEveryVolume(text), 'soldOut', text);
});

test('one volume, or nothing about every volume', () => {
  for (const text of ['is vol 3 sold out? what a pity', '3巻は在庫切れですか？どれくらいで入荷？', 'is it out of stock?', 'how much is volume 2?', 'do you have Frieren?', 'それは在庫ある？']) assert.notEqual(asksEveryVolume(text), 'soldOut', text);
  for (const text of ['how much is volume 2?', 'do you have Frieren?', 'is it finished?']) assert.equal(asksEveryVolume(text), undefined, text);
});

test('volumes right after a title with no volume word: a range or a list ("Berserk 1-3", 「ワンピース1〜3」, "Chiikawa 1, 2 and 4")', async () => {
  const { extractVolumes } = await import('../../src/understanding/entities.ts');
  const cases: [string, number[]][] = [
    ['Berserk 1-3 how much?', [1, 2, 3]],
    ['ワンピース1〜3 いくら？', [1, 2, 3]],
    ["can I get Death Note 1, 2 and 3? what's the total", [1, 2, 3]],
    ['Chiikawa 1,2,4 price', [1, 2, 4]],
    ['20th Century Boys 1-3', [1, 2, 3]],
  ];
  for (const [text, volumes] of cases) assert.deepEqual(extractVolumes(text), volumes, text);
  for (const text of ["I'm 17, 18 next month", 'romance between 10-20 volumes', 'shipping costs 350-700 yen?', 'Mob Psycho 100 price', 'under 10, please']) assert.equal(extractVolumes(text), undefined, text);
});

test('a total asked right after several volumes ("total?", 「合計は？」) is about those volumes', async () => {
  const { createReferenceResolver } = await import('../../src/understanding/references.ts');
  const resolver = createReferenceResolver();
  const history = [
    { role: 'user' as const, text: 'How much are Frieren volumes 1 to 3?' },
    { role: 'assistant' as const, text: 'Vol. 1 ¥539, Vol. 2 ¥539, Vol. 3 ¥539.', seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren', volume: 1, volumes: [1, 2, 3] } },
  ];
  for (const [text, intent] of [['total?', 'chitchat'], ['合計は？', 'product_question'], ['so how much altogether?', 'price_availability']] as const) {
    const r = resolver.resolve(text, 'en', history, intent);
    assert.equal(r.seriesId, 'sousou-no-frieren', text);
    assert.deepEqual(r.volumes, [1, 2, 3], text);
    assert.equal(r.intent ?? intent, 'price_availability', text);
  }
});

test('a range may run the length of a series ("volumes 1 to 15", 「1巻から17巻まで」); a list stays short', async () => {
  const { extractVolumes } = await import('../../src/understanding/entities.ts');
  assert.equal(extractVolumes('what would volumes 1 to 15 cost me altogether?')?.length, 15);
  assert.deepEqual(extractVolumes('1巻から17巻まで買うといくら？')?.slice(-2), [16, 17]);
  assert.equal(extractVolumes('Berserk 1-20 total?')?.length, 20);
  for (const text of ['romance between 10-20 volumes', 'shipping costs 350-700 yen?', "I'm 17, 18 next month"]) assert.equal(extractVolumes(text), undefined, text);
});

test('the whole series in other words: the title between ("every Monster volume"), a count (「全12巻の合計」), "all of <title>", "the complete run"', async () => {
  const { extractEntities } = await import('../../src/understanding/entities.ts');
  for (const text of ['how much would it be to buy every Monster volume?', 'are all the Frieren books in stock?', 'how much would all of Dungeon Meshi cost?', "what's the total for the complete run?", 'デスノートの全12巻の合計金額を知りたいです', 'all 18 volumes please, total?']) {
    assert.equal(extractEntities(text).wholeSeries, true, text);
  }
  for (const text of ['how much is volume 2?', 'every one of your recommendations was great', 'which volume is the best?']) assert.notEqual(extractEntities(text).wholeSeries, true, text);
});

test('a total after volumes asked one at a time ("both together?", 「その2冊で合計」) is all of them; a bare range with a comma after it is a range', async () => {
  const { createReferenceResolver } = await import('../../src/understanding/references.ts');
  const resolver = createReferenceResolver();
  const asked = (v: number) => ({ role: 'assistant' as const, text: `Vol. ${v} ¥572`, seriesIds: ['chainsaw-man'], about: { focus: 'chainsaw-man', volume: v } });
  const history = [{ role: 'assistant' as const, text: 'Berserk vol 1', seriesIds: ['berserk'], about: { focus: 'berserk', volume: 1 } }, { role: 'user' as const, text: 'chainsaw man vol 7' }, asked(7), { role: 'user' as const, text: 'and vol 8?' }, asked(8)];
  for (const text of ['how much for both together?', 'その2冊で合計いくら？', 'total for the two?', 'じゃあ2冊でいくらになりますか']) assert.deepEqual(resolver.resolve(text, 'en', history, 'price_availability').volumes, [7, 8], text);
  assert.equal(resolver.resolve('is it in stock?', 'en', history, 'price_availability').volumes, undefined);
  assert.deepEqual(resolver.resolve('and 3 thru 6, total?', 'en', history, 'price_availability').volumes, [3, 4, 5, 6]);
});

test('a box set weighed against every volume with no word for "separately" is the box set against the singles', () => {
  for (const text of ['Akira box set vs buying all 6 - which is cheaper?', 'is the box set cheaper than buying all 27?', 'the whole series or the box set, which is cheaper?', '鬼滅の刃、全23巻とBOXセットならどっちが安いですか', 'BOXセットと全巻、どっちがお得？']) assert.equal(asksEveryVolume(text), 'singles', text);
  for (const text of ['how much is the box set?', 'is the box set in stock?', 'BOXセットはいくら？', 'how much for all 6?']) assert.notEqual(asksEveryVolume(text), 'singles', text);
});

test('no series has a volume 0: "Jujutsu Kaisen 0", 「呪術廻戦0」 name a title', async () => {
  const { extractVolume } = await import('../../src/understanding/entities.ts');
  for (const text of ['Jujutsu Kaisen 0 - do you sell it?', 'and jujutsu kaisen 0?', '呪術廻戦0ってありますか']) assert.equal(extractVolume(text), undefined, text);
  assert.equal(extractVolume('Jujutsu Kaisen 10'), 10);
});

test('every volume of each series compared: "buy both complete", "the complete set of each"', () => {
  for (const text of ['what would it cost to buy both complete?', 'how much to buy each complete?', 'how much is the complete set of each?', 'getting them in full, how much?']) assert.equal(asksEveryVolume(text), 'all', text);
});

test('every volume asked right after one volume is the whole series, not that volume ("all 18 volumes would be how much?", 「全30巻まとめて」)', async () => {
  const { createReferenceResolver } = await import('../../src/understanding/references.ts');
  const { extractEntities } = await import('../../src/understanding/entities.ts');
  const resolver = createReferenceResolver();
  const history = [{ role: 'user' as const, text: 'Monster vol 1 price and stock?' }, { role: 'assistant' as const, text: 'Vol. 1 of Monster: ¥858, in stock.', seriesIds: ['monster'], about: { focus: 'monster', volume: 1 } }];
  for (const text of ['all 18 volumes would be how much?', '全18巻まとめて買うといくら？', 'what would the whole series cost me', 'and every volume, total?', '全巻だとおいくらですか']) {
    const r = resolver.resolve(text, 'en', history, 'price_availability');
    assert.equal(r.seriesId, 'monster', text);
    assert.equal(r.volume, undefined, text);
    assert.equal(r.volumes, undefined, text);
  }
  // Still the volume in play: a question about it, or "all of them" after several volumes.
  assert.equal(resolver.resolve('is it in stock?', 'en', history, 'price_availability').volume, 1);
  for (const text of ['how much for all of Death Note in print?', 'what would the whole of naruto cost me']) assert.equal(extractEntities(text).wholeSeries, true, text);
  // The price of every volume is no order of theirs, whatever 購入 and 合計 make the classifier read.
  const r = resolver.resolve('MONSTERを全巻まとめて購入したいのですが、全18巻の合計金額をお教えいただけますでしょうか。', 'ja', [], 'order_status');
  assert.equal(r.intent, 'price_availability');
  assert.equal(resolver.resolve('前回注文した分の合計金額は？', 'ja', [], 'order_status').intent, undefined);
});

test('which volumes are sold out, named by the volumes ("在庫がない巻は？", 「品切れの巻はありますか」) and in chat spelling', () => {
  for (const text of ['ブルーロックで在庫がない巻は？', '品切れの巻はありますか？', '在庫切れの巻って？', 'which volumes r out of stock']) assert.equal(asksEveryVolume(text), 'soldOut', text);
  for (const text of ['この巻は在庫がない？', '3巻は品切れ？']) assert.notEqual(asksEveryVolume(text), 'soldOut', text);
});
