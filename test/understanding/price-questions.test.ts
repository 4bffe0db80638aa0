/** Price and stock questions read in the conversation: volumes asked in questions of their own, "is that the last one?", a status asked with an alternative. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver, volumesOfQuestions } from '../../src/understanding/references.ts';
import { asksSeriesStatus } from '../../src/understanding/status-question.ts';
import { splitQuestions } from '../../src/chat/questions.ts';

test('volumes asked in questions of their own about one series are each asked', () => {
  const cases: [string, number[]][] = [
    ['kingdom 77 price? and is 76 in stock?', [77, 76]],
    ['ワンピースの107巻いくら？106巻は在庫ある？', [107, 106]],
    ['Frieren 14 price? and when does 15 come out?', [14, 15]],
  ];
  for (const [text, volumes] of cases) assert.deepEqual(volumesOfQuestions(splitQuestions(text)), volumes, text);
  // Another title in the second question, one volume only, or one question: not this.
  for (const text of ['how much is chainsaw man 5? also is jjk 3 in stock?', 'One Piece 108 price? is it in stock?', 'kingdom 77 and 76 price', 'how much is shipping? and is vol 3 in stock?']) {
    assert.equal(volumesOfQuestions(splitQuestions(text)), undefined, text);
  }
});

test('"is that the last one?" right after a volume asks for the last volume, however the classifier read it', () => {
  const resolver = createReferenceResolver();
  const history = [
    { role: 'user' as const, text: 'price of volume twenty-three of demon slayer' },
    { role: 'assistant' as const, text: 'Vol. 23 ¥539', seriesIds: ['kimetsu-no-yaiba'], about: { focus: 'kimetsu-no-yaiba', volume: 23 } },
  ];
  for (const text of ['is that the last one', 'is that the final one?', 'is it the last volume?']) {
    const r = resolver.resolve(text, 'en', history, 'order_status');
    assert.equal(r.seriesId, 'kimetsu-no-yaiba', text);
    assert.equal(r.volumeRef, 'last', text);
    assert.equal(r.intent, 'price_availability', text);
  }
  // An order word keeps it an order question.
  assert.notEqual(resolver.resolve('is that the last order?', 'en', history, 'order_status').intent, 'price_availability');
});

test('a status asked with its alternative ("finished or still coming out?") is a status question', () => {
  for (const text of ['and is it finished or still coming out', 'is it still ongoing or finished?', 'is it over or still running?', 'is it finished?']) assert.equal(asksSeriesStatus(text), true, text);
  for (const text of ['when is the next one coming out?', 'is vol 3 out yet or not']) assert.equal(asksSeriesStatus(text), false, text);
});

test('a polite request in a sentence of its own asks its volume too (「…17巻の在庫は…。また、18巻の発売日も…」); a volume only mentioned does not', () => {
  assert.deepEqual(volumesOfQuestions(splitQuestions('いつもお世話になっております。娘が『薫る花は凛と咲く』にはまっておりまして、17巻まで揃えてあげたいのですが、17巻の在庫はございますでしょうか。また、18巻の発売日も教えていただけますと幸いです。')), [17, 18]);
  assert.equal(volumesOfQuestions(splitQuestions('3巻は持っています。4巻の在庫はありますか？')), undefined);
});

test('a sigh beside a volume asked is that volume; a spin-off asked for is a title, not a sale', () => {
  const resolver = createReferenceResolver();
  const history = [
    { role: 'user' as const, text: 'berserk vol 40 price?' },
    { role: 'assistant' as const, text: 'Vol. 40 ¥924', seriesIds: ['berserk'], about: { focus: 'berserk', volume: 40 } },
  ];
  const r = resolver.resolve('ugh ok what about 41', 'en', history, 'escalation');
  assert.equal(r.volume, 41);
  assert.equal(r.intent, 'price_availability');
  assert.equal(resolver.resolve('キメツ学園っていうスピンオフあります？', 'ja', [], 'promotion').intent, 'product_search');
  assert.equal(resolver.resolve('スピンオフも10%オフになる？', 'ja', [], 'promotion').intent, undefined);
  assert.equal(resolver.resolve('is there a sale on the sequel?', 'en', [], 'promotion').intent, undefined);
});

test('two titles written volume first ("vol 1 of X and vol 1 of Y") are two parts', async () => {
  const { titleParts } = await import('../../src/chat/questions.ts');
  const { extractVolume } = await import('../../src/understanding/entities.ts');
  const parts = (t: string) => titleParts(t, (q) => extractVolume(q) !== undefined, () => true);
  assert.deepEqual(parts('need vol 1 of Fullmetal Alchemist and vol 1 of The Promised Neverland - prices?'), ['need vol 1 of Fullmetal Alchemist', 'vol 1 of The Promised Neverland - prices?']);
  assert.equal(parts('how much is vol 1 of Fullmetal Alchemist?'), undefined);
});
