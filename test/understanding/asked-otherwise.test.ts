// The pieces of a question asked otherwise (fixer E, step 8): when a series began, asked as a whole
// message; a title's own words are no store rule asked; 'all 6' is no volume 6; 'vs' names no
// title; 'the next <title> volume' is the next volume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksWhenStarted } from '../../src/understanding/status-question.ts';
import { withoutTitlesNamed } from '../../src/chat/titles-named.ts';
import { asksPolicy } from '../../src/retrieval/policy-sections.ts';
import { extractVolume } from '../../src/understanding/entities.ts';
import { leftoverOf } from '../../src/understanding/follow-up-words.ts';
import { extractVolumeRef } from '../../src/understanding/constraints.ts';
import type { IntentClassifier } from '../../src/understanding/types.ts';

test('when the series in play began, asked as a whole message in either language', () => {
  for (const t of ['何年に始まった作品?', '何年に始まった？', 'いつから連載してる？', 'いつ始まった漫画？', '連載開始はいつ？', 'これいつ頃から連載してるんですか？', 'when did it start?', 'what year did it begin?', 'since when has it been running?']) assert.ok(asksWhenStarted(t), t);
  for (const t of ['when did vol 5 come out?', 'いつ発売？', '次の巻はいつ？', 'いつから買える？', 'when did you start?', 'いつからセール？']) assert.ok(!asksWhenStarted(t), t);
});

test("a title's own words are no store rule asked (Trigun Maximum is no upper limit)", () => {
  const classifier: IntentClassifier = {
    classify: () => ({ intent: 'product_search', confidence: 1, language: 'en' }),
    names: (text) => (/trigun maximum/i.test(text) ? [{ text: 'trigun maximum', kind: 'title' as const }] : []),
  };
  assert.ok(asksPolicy('Does the shop sell Trigun Maximum?', true));
  assert.ok(!asksPolicy(withoutTitlesNamed(classifier, 'Does the shop sell Trigun Maximum?'), true));
  // A rule asked beside the title still is one; without a name finder the message is as it was.
  assert.ok(asksPolicy(withoutTitlesNamed(classifier, 'is there a maximum number of Trigun Maximum copies per order?'), true));
  assert.equal(withoutTitlesNamed({ classify: classifier.classify }, 'Trigun Maximum'), 'Trigun Maximum');
});

test("'all 6' counts every volume; 'vs' and 'compared' name no title; 'the next <title> volume' is the next one", () => {
  assert.equal(extractVolume('Do you have Akira? how much for the whole thing, all 6'), undefined);
  assert.equal(extractVolume('how much is One Piece 108?'), 108);
  assert.notEqual(leftoverOf('vs the box set?').kind, 'title');
  assert.notEqual(leftoverOf('compared to the ebook?').kind, 'title');
  assert.equal(leftoverOf('vs naruto?').kind, 'title');
  assert.equal(extractVolumeRef('can i use them on the next frieren volume?'), 'next');
  assert.equal(extractVolumeRef('is the next frieren volume out?'), 'next');
  assert.equal(extractVolumeRef('the next life volume 3'), undefined);
});

test('the author of the series in play checked by another work of theirs is weighed against it', async () => {
  const { comparedWithInPlay, comparisonAspects } = await import('../../src/understanding/comparison.ts');
  const cases: [string, string][] = [
    ['作者って聲の形の人だよね？', '聲の形'],
    ['これチェンソーマンと同じ作者？', 'チェンソーマン'],
    ['is it by the chainsaw man guy?', 'chainsaw man'],
    ['is this from the author of Naruto?', 'naruto'],
    ['same author as Naruto?', 'naruto'],
  ];
  for (const [text, other] of cases) {
    assert.equal(comparedWithInPlay(text), other, text);
    assert.ok(comparisonAspects(text).includes('author'), text);
  }
  assert.equal(comparedWithInPlay('who is the author?'), undefined);
});
