/** What a title search is given for Japanese request words, another work named beside the title, and a volume word typed fast. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { titleSearch } from '../../src/chat/title-query.ts';

test('the store words beside a Japanese title, apart from it by a particle, are no part of it', () => {
  const cases: [string, string][] = [
    ['フリーレンの予約受付中の巻ある？', 'フリーレン'],
    ['予約受付中のフリーレンある？', 'フリーレン'],
    ['呪術廻戦の発売予定は？', '呪術廻戦'],
    ['鬼滅の刃の最新刊の値段', '鬼滅の刃'],
    ['進撃の巨人', '進撃の巨人'],
  ];
  for (const [text, query] of cases) assert.equal(titleSearch(text).query, query, text);
});

test('another work named to say what the title is ("the sequel of X", 「…っていうスピンオフ」) is not searched', () => {
  const cases: [string, string][] = [
    ['NARUTOの続編のBORUTOって置いてますか', 'BORUTO'],
    ['キメツ学園っていうスピンオフあります？何巻？', 'キメツ学園'],
  ];
  for (const [text, query] of cases) assert.equal(titleSearch(text).query, query, text);
});

test('a volume word typed fast ("volum 40", "volumn 3") is no word of the title', () => {
  assert.equal(titleSearch('berzerk volum 40 price? in stock?').query, 'berzerk');
  assert.equal(titleSearch('monster volumn 3 price').query, 'monster');
});
