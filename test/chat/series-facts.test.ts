import { test } from 'node:test';
import assert from 'node:assert/strict';
import { factsAskedOf } from '../../src/llm/compose/series-facts.ts';
import { asksSeriesStatus, asksVolumeCount } from '../../src/understanding/status-question.ts';
import { withoutFalseStart } from '../../src/understanding/false-start.ts';
import { titleQuery } from '../../src/chat/title-query.ts';
import { extractStatus } from '../../src/understanding/constraints.ts';
import { contentAspects } from '../../src/guardrails/age-dialogue.ts';

// Questions about one fact of a series (the lead's findings L5, L6, L8, L10, session 22).

test('a yes/no status question, the author and the length are read as the facts asked (L6)', () => {
  assert.equal(factsAskedOf('is it finished?')?.status, 'finished');
  assert.equal(factsAskedOf('完結してる？')?.status, 'finished');
  assert.equal(factsAskedOf('still ongoing?')?.status, 'ongoing');
  assert.equal(factsAskedOf('まだ続いてる？')?.status, 'ongoing');
  assert.equal(factsAskedOf('is it on hiatus?')?.status, 'hiatus');
  assert.equal(factsAskedOf('did it end?')?.status, 'finished');
  assert.equal(factsAskedOf('will it ever end?')?.status, 'either');
  assert.equal(factsAskedOf('is it done yet or still going?')?.status, 'either');
  assert.equal(factsAskedOf("is it finished? I heard it's on a break")?.status, 'finished');
  assert.equal(factsAskedOf('who wrote it?')?.author, true);
  assert.equal(factsAskedOf('作者って誰だっけ')?.author, true);
  assert.equal(factsAskedOf('描いてるのは誰？')?.author, true);
  assert.equal(factsAskedOf('how many vols total?')?.count, true);
  assert.equal(factsAskedOf('全何巻？')?.count, true);
  const both = factsAskedOf('who drew it and is it complete?');
  assert.equal(both?.author, true);
  assert.equal(both?.authorFirst, true);
  // Not facts: the story, a volume to start from, a price.
  assert.equal(factsAskedOf("what's it about?"), undefined);
  assert.equal(factsAskedOf('何巻から読めばいい？'), undefined);
  assert.equal(factsAskedOf('is it for over 18s?'), undefined);
});

test('a status or length question with a remark beside it is still that question', () => {
  assert.equal(asksSeriesStatus("is it finished? I heard it's on a break"), true);
  assert.equal(asksSeriesStatus('連載まだ続いてますか？ アニメ見てハマりました'), true);
  assert.equal(asksSeriesStatus('まだ連載してる？休載中って聞いたけど'), true);
  assert.equal(asksVolumeCount('how many volumes? want to binge it'), true);
  // A second question is not a remark.
  assert.equal(asksSeriesStatus('is it finished? how much is vol 3?'), false);
  assert.equal(asksSeriesStatus('まだ続いてる？3巻はいくら？'), false);
});

test('a false start taken back is no title (L10)', () => {
  assert.equal(titleQuery('ok add... actually how much is volume 1 of it in digital'), '');
  assert.equal(titleQuery('ok so add it... wait, how much is vol 2 of it'), '');
  assert.equal(withoutFalseStart('cart... no wait, is vol 3 of it in stock?'), 'is vol 3 of it in stock?');
  assert.equal(withoutFalseStart('hmm, actually, is it finished?'), 'is it finished?');
  assert.equal(withoutFalseStart('あ、やっぱりその1巻の値段教えて'), 'その1巻の値段教えて');
  assert.equal(withoutFalseStart('えーと、やっぱそれの2巻いくら'), 'それの2巻いくら');
  // A title before the cut-off with nothing pointing back stays; so do titles that start like filler.
  assert.equal(titleQuery('Berserk... actually is vol 3 in stock?').includes('Berserk'), true);
  assert.equal(withoutFalseStart('no guns life vol 2'), 'no guns life vol 2');
  assert.equal(withoutFalseStart('Oh! My Goddess vol 3'), 'Oh! My Goddess vol 3');
});

test("'I just finished <title>' is a book read, not a wish for finished series (L8)", () => {
  assert.equal(extractStatus('i just finished witch hat atelier and loved it. what should i read next?'), undefined);
  assert.equal(extractStatus("i've finished it, something else?"), undefined);
  assert.equal(extractStatus('finished reading naruto, what next'), undefined);
  assert.equal(extractStatus('my daughter just finished frieren, anything similar?'), undefined);
  assert.equal(extractStatus('finally completed berserk, anything similar but finished?'), 'finished');
  assert.equal(extractStatus('finished series please'), 'finished');
  assert.equal(extractStatus('only completed ones'), 'finished');
  assert.equal(extractStatus('完結済みのやつ'), 'finished');
  assert.equal(extractStatus('フリーレンを読み終わった。完結してるのある？'), 'finished');
});

test('a content question asks every quality named with or/and (L5)', () => {
  assert.deepEqual(contentAspects('is the first one scary or more gross?').sort(), ['gore', 'horror']);
  assert.deepEqual(contentAspects('is it gross?'), ['gore']);
  assert.deepEqual(contentAspects('一つ目のってグロいですか？'), ['gore']);
});
