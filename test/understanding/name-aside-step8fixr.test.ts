// A title's other name in brackets beside it (fixer fixR, step 8; blind7 b7-til-ja-imp-erased):
// 「僕だけがいない街（英語だとErased）はありますか」 was read as small talk (its 英語) and its title search failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutNameAside } from '../../src/understanding/name-aside.ts';

test('a bracketed other name of the title is dropped, in either language', () => {
  assert.equal(withoutNameAside('僕だけがいない街（英語だとErased）はありますか'), '僕だけがいない街はありますか');
  assert.equal(withoutNameAside('ヒロアカ（英題：My Hero Academia）の最新刊'), 'ヒロアカの最新刊');
  assert.equal(withoutNameAside('進撃の巨人(英語名 Attack on Titan)って完結してる？'), '進撃の巨人って完結してる？');
  assert.equal(withoutNameAside('do you have Erased (Boku dake ga Inai Machi in Japanese)?'), 'do you have Erased?');
  assert.equal(withoutNameAside('Frieren (aka Sousou no Frieren) vol 3 price'), 'Frieren vol 3 price');
});

test('brackets that ask something or hold no other name stay', () => {
  for (const t of ['(in english please) do you have naruto', 'naruto vol 3 (in english please)', 'ワンピース（英語でお願いします）', 'Yotsuba&! (vol 2)', '鬼滅の刃（全巻）']) assert.equal(withoutNameAside(t), t);
});
