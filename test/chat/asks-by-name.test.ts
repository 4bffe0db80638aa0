/** A title asked for by name is not matched by a rare word of it against a description ("The Lighthouse Keeper's Cat" is not Doraemon). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksByName } from '../../src/chat/grounding/series.ts';
import { titleSearch } from '../../src/chat/title-query.ts';

const byName = (text: string) => asksByName(text, titleSearch(text).query);

test('capitalised or quoted names asked for are titles by name', () => {
  for (const text of ["Do you have The Lighthouse Keeper's Cat?", "do you carry 'Midnight Bakery Cat'?", 'Do you have Crimson Lighthouse Detective?', '「月曜日の図書館ドラゴン」ありますか']) assert.equal(byName(text), true, text);
});

test('descriptions, even with names in them, and single words are not', () => {
  for (const text of ['the manga about a robot cat from the future', 'a manga about Miyamoto Musashi', 'is there a manga where a pharmacist solves mysteries in the palace', 'shogi manga', 'Frieren vol 3', "the one about 'the cat' who lives in a library"]) assert.equal(byName(text), false, text);
});
