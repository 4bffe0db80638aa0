// extractEntities keeps its recent results (one message's text and its parts are read in turn):
// each caller still gets its own copy, and a text read again gets the same entities.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities } from '../../src/understanding/entities.ts';

describe('extractEntities, read again', () => {
  it('gives each of several texts read in turn its own entities, the same each time', () => {
    const texts = ['How much is One Piece volume 3?', 'no horror please, something like Frieren', '呪術廻戦の5巻はありますか', 'order MA-20261005-0003 status'];
    const first = texts.map((t) => extractEntities(t));
    for (let round = 0; round < 3; round++) texts.forEach((t, i) => assert.deepEqual(extractEntities(t), first[i]));
    assert.equal(first[0].volume, 3);
    assert.equal(first[2].volume, 5);
    assert.equal(first[3].orderId, 'MA-20261005-0003');
    assert.ok(first[1].excludeTags?.includes('Horror'));
  });

  it('hands out copies: a caller changing its entities changes nobody else\'s', () => {
    const text = 'recommend romance comedy manga, no gore, volume 2';
    const a = extractEntities(text);
    const before = structuredClone(a);
    a.genres.push('Changed');
    a.themes.length = 0;
    a.excludeTags?.push('Changed');
    a.volume = 99;
    assert.deepEqual(extractEntities(text), before);
  });
});
