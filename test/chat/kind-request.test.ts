import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksForAKind } from '../../src/chat/kind-request.ts';

test('a search for a kind of manga, in either language, is a kind: every word names a genre, theme or audience', () => {
  for (const t of ['detective manga?', 'ok what about detective manga instead? a few options pls', 'got any samurai manga? couple of options maybe', 'horror manga? give me a few', 'romance manga', '探偵ものの漫画ってある？', 'ホラー漫画ある？', '少女漫画でおすすめある？', '異世界ものある？']) {
    assert.equal(asksForAKind(t), true, t);
  }
});

test('a plot description, an unknown title with a kind word in it, or a title is not a kind', () => {
  for (const t of ['宮廷で薬師の少女が謎を解く漫画', 'the manga about a cat in a library', 'a detective cat who lives in a library', 'Quantum Samurai Bakery volume 2', 'Monster manga?', 'Goodnight Punpun', 'how much is Frieren volume 3?']) {
    assert.equal(asksForAKind(t), false, t);
  }
});

test('a kind asked on a condition (「じゃあグルメ漫画ならある？」「ホラーだったらある？」) is a kind (blind4 out-of-scope)', () => {
  for (const t of ['じゃあグルメ漫画ならある？', 'ホラーだったらある？', 'スポーツ漫画とかある？']) assert.equal(asksForAKind(t), true, t);
  assert.equal(asksForAKind('さよなら絵梨ある？'), false);
});
