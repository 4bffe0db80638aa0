/** Switches in a follow-up: the next volume asked in a word, another volume instead, the kana volume counter. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numbersAsDigits } from '../../src/understanding/numerals.ts';
import { extractVolume } from '../../src/understanding/entities.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { asksEveryVolume, leftoverOf } from '../../src/understanding/follow-up-words.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

test('the volume counter typed in kana is 巻, other words starting with かん are left alone', () => {
  assert.equal(numbersAsDigits('だんだだん 3かん ある？'), 'だんだだん 3巻 ある？');
  assert.equal(extractVolume('だんだだん 3かん ある？'), 3);
  assert.equal(numbersAsDigits('12かんけつ'), '12かんけつ');
  assert.equal(numbersAsDigits('3かんじ'), '3かんじ');
});

test('a title and a volume "instead" / "then" / "too" is that volume', () => {
  for (const [text, volume] of [['ugh. dandadan 6 instead?', 6], ['ok dandadan 4 then', 4], ['frieren 2 too', 2]] as const) assert.equal(extractVolume(text), volume, text);
});

test('"nxt one?", 「つぎは？」, "actually make that volume 7" stay on the series in play', () => {
  const resolver = createReferenceResolver();
  const on3: TurnContext[] = [
    { role: 'user', text: 'dandadan 3 price' },
    { role: 'assistant', text: 'Dandadan vol 3 is ¥572.', seriesIds: ['dandadan'], about: { focus: 'dandadan', volume: 3 } },
  ];
  for (const text of ['nxt one?', 'つぎは？', 'じゃあ次の巻は？']) {
    const r = resolver.resolve(text, 'en', on3, 'chitchat');
    assert.equal(r.seriesId, 'dandadan', text);
    assert.equal(r.volumeRef, 'next', text);
  }
  const r = resolver.resolve('actually make that volume 7', 'en', on3, 'price_availability');
  assert.equal(r.seriesId, 'dandadan');
  assert.equal(r.volume, 7);
});

test('a range or "all three" about the series in play, and "that in total" after several volumes, is every volume of it', () => {
  const resolver = createReferenceResolver();
  const series: TurnContext[] = [
    { role: 'user', text: 'tell me about dandadan' },
    { role: 'assistant', text: 'Dandadan by Yukinobu Tatsu is ongoing.', seriesIds: ['dandadan'], about: { focus: 'dandadan' } },
  ];
  for (const text of ["what's the total if I buy 1 through 5?", 'how much would 1 to 5 cost', '1から5までだと合計いくら？']) assert.deepEqual(resolver.resolve(text, 'en', series, 'price_availability').volumes, [1, 2, 3, 4, 5], text);
  const three: TurnContext[] = [
    { role: 'user', text: 'Chiikawa vols 1-3 in stock?' },
    { role: 'assistant', text: 'Vol. 1, Vol. 2, Vol. 3 of Chiikawa.', seriesIds: ['chiikawa'], about: { focus: 'chiikawa', volume: 1, volumes: [1, 2, 3] } },
  ];
  for (const text of ['ok what would all three cost?', 'how much is that in total?', 'それ全部でいくらになりますか']) assert.deepEqual(resolver.resolve(text, 'en', three, 'price_availability').volumes, [1, 2, 3], text);
});

test('a condition on the answer (「なければいつ入荷？」「もし…場合は」) names no title: the follow-up stays on the volume in play', () => {
  const resolver = createReferenceResolver();
  const on30: TurnContext[] = [
    { role: 'user', text: '呪術廻戦の30巻いくら' },
    { role: 'assistant', text: '『呪術廻戦』30巻：572円', seriesIds: ['jujutsu-kaisen'], about: { focus: 'jujutsu-kaisen', volume: 30 } },
  ];
  for (const text of ['在庫ある？なければいつ入荷？', 'それ在庫ある？なければ入荷いつ', 'もし在庫ない場合は入荷いつ？', '品切れだったら次いつ入る？', '在庫なかったら予約できる？']) {
    assert.equal(leftoverOf(text).kind === 'title', false, text);
    const r = resolver.resolve(text, 'ja', on30, 'price_availability');
    assert.equal(r.seriesId, 'jujutsu-kaisen', text);
  }
  // A title named beside the condition is still a title of its own.
  assert.equal(leftoverOf('なければ鬼滅の刃の1巻は？').kind, 'title');
});

test('"all of it" / "collect it completely" after a volume is every volume of the series, not that volume', () => {
  const resolver = createReferenceResolver();
  const on1: TurnContext[] = [
    { role: 'user', text: 'how much is frieren vol 1' },
    { role: 'assistant', text: 'Frieren vol 1 is ¥539.', seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren', volume: 1 } },
  ];
  for (const text of ['how much to buy all of it?', 'what would it cost to collect it completely?', 'how much to complete the collection?', 'how much are all of them?']) {
    assert.equal(asksEveryVolume(text), 'all', text);
    const r = resolver.resolve(text, 'en', on1, 'price_availability');
    assert.equal(r.seriesId, 'sousou-no-frieren', text);
    assert.equal(r.volume, undefined, text);
  }
  // ...but after volumes asked one at a time, 「全部で」 / "all of it" adds up those volumes.
  const oneByOne: TurnContext[] = [
    ...on1,
    { role: 'user', text: 'and vol 2?' },
    { role: 'assistant', text: 'Frieren vol 2 is ¥539.', seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren', volume: 2 } },
  ];
  for (const text of ['2冊全部でいくら？', 'how much for all of it?']) assert.deepEqual(resolver.resolve(text, 'ja', oneByOne, 'price_availability').volumes, [1, 2], text);
  // The volume in play is still the one asked when the message says nothing of the rest.
  assert.equal(resolver.resolve('is it in stock?', 'en', on1, 'price_availability').volume, 1);
  // Which costs less to collect, misread as out of scope: a question about the series in play.
  const cheaper = resolver.resolve('which one is cheaper to collect fully', 'en', on1, 'out_of_scope');
  assert.equal(cheaper.seriesId, 'sousou-no-frieren');
  assert.notEqual(cheaper.intent ?? 'out_of_scope', 'out_of_scope');
  // ...but thanks for everything is no price question.
  assert.notEqual(resolver.resolve('thanks for everything!', 'en', on1, 'chitchat').intent, 'price_availability');
});
