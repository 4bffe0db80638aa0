import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksSeriesStatus, asksWhoMadeIt, generalOrderQuestion } from '../../src/understanding/status-question.ts';

test('a whole message asking whether the series in play is finished', () => {
  for (const text of ['has it ended?', 'still going?', 'is it finished?', 'so is it finished yet?', 'is the series complete?', 'did it end?', 'is it still going on?', 'is it complete or ongoing?', '終わってる？', '連載終わった？', 'まだ続いてる？', 'もうおわった？', '完結してる？', 'それってもう完結済み？', 'まだ連載中？', 'この漫画は完結していますか？']) {
    assert.ok(asksSeriesStatus(text), text);
  }
});

test('not a status question: other questions, a title beside it, the customer finishing', () => {
  for (const text of ['is it good?', 'how many volumes', 'done', 'I am done', '終わりです', '注文は終わった？', 'is berserk finished?', 'ワンピースは完結してる？']) {
    assert.ok(!asksSeriesStatus(text), text);
  }
});

test('how tracking or delivery works is general; a question about their own order is not', () => {
  assert.equal(generalOrderQuestion('how do I track a parcel in general?'), 'explicit');
  assert.equal(generalOrderQuestion('一般的に荷物の追跡ってどうやるんですか？'), 'explicit');
  assert.equal(generalOrderQuestion('荷物の追跡方法を教えてください'), 'general');
  assert.equal(generalOrderQuestion('追跡番号ってどこで見られますか？'), 'general');
  assert.equal(generalOrderQuestion('how long until tracking shows up after shipping?'), 'general');
  assert.equal(generalOrderQuestion('where is my order?'), undefined);
  assert.equal(generalOrderQuestion('how long until the parcel I ordered arrives?'), undefined);
  assert.equal(generalOrderQuestion('注文した本はいつ届きますか'), undefined);
  assert.equal(generalOrderQuestion('tracking number?'), undefined);
});

test('calling an order off, in either language; 「やめたい」 only with an order in play', async () => {
  const { asksToCancel } = await import('../../src/understanding/status-question.ts');
  for (const text of ["actually, I'd like to cancel after all", 'nah cancel it', 'やっぱキャンセルしたい', '取り消したいです', "I don't want it anymore"]) assert.ok(asksToCancel(text, false), text);
  assert.ok(asksToCancel('やっぱりやめたい', true));
  assert.ok(!asksToCancel('やっぱりやめたい', false));
  assert.ok(!asksToCancel('is volume 3 in stock?', true));
});

test('a whole message asking how many volumes the series in play has', async () => {
  const { asksVolumeCount } = await import('../../src/understanding/status-question.ts');
  for (const text of ['how many volumes are there in total?', 'how many volumes?', 'what volume is it up to now?', 'how many books total', '全部で何巻あるの？', 'いま何巻まで出てるの', '何巻まで？', '全何巻？', '何冊出てる？']) assert.ok(asksVolumeCount(text), text);
  for (const text of ['how many volumes does berserk have?', '3巻は何円？', 'how many do you have in stock?', '何巻がおすすめ？']) assert.ok(!asksVolumeCount(text), text);
});

test('who made the series in play is asked however it is put, and the author\'s other works are not', () => {
  for (const t of ['who writes it?', 'who wrote it', 'and who drew this one', "who's the author?", 'who is the artist of this one?', 'who is it by?', 'author?', '作者は？', '作者だれだっけ', '誰が描いてるの？', 'これの作者って誰ですか？', 'それって誰が書いてるの']) assert.ok(asksWhoMadeIt(t), t);
  for (const t of ['同じ作者の他の作品は？', 'anything else by him?', 'other books by the same author?', 'who wrote Monster and is it finished?', 'who are you?', 'write me a poem', '作者の他の漫画ある？']) assert.ok(!asksWhoMadeIt(t), t);
});
