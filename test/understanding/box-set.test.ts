/** A box set asked for in the words customers use: 「BOX」 alone, "is there a box?", 「全巻セットみたいなの」 — not a title's word, not a sale. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractFormat } from '../../src/understanding/constraints.ts';
import { followUpShape } from '../../src/understanding/follow-up-words.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const format = (text: string) => extractFormat(text.normalize('NFKC').toLowerCase());

test('a box set asked with or without "set"', () => {
  for (const text of ['デスノートのBOXってまだ売ってる？', 'BOXもある？', '鬼滅のBOXっていくら？', 'is there a box?', 'do they sell the box anywhere', 'any box for it?', 'and box 2?', 'Haikyuu box set price', '全巻セットみたいなのある？', 'ボックスは？']) assert.equal(format(text), 'box_set', text);
  // A title's word is no box set: Blue Box (アオのハコ), "the box of light", "Blue Boxの3巻".
  for (const text of ['Blue Box vol 3 price?', 'Blue Boxの3巻', 'blue box volume 2', "what's in the box of light?", 'do you have Blue Box?']) assert.notEqual(format(text), 'box_set', text);
});

test('「BOXもある？」 asks something about the series in play (an English cue in Japanese)', () => {
  assert.equal(followUpShape('BOXもある？').cue, true);
  assert.equal(followUpShape('BOXもある？').titleFree, true);
});

test('a box set asked about the series in play is a price question about it, not a sale, nor a wish for similar series', () => {
  const resolver = createReferenceResolver();
  const history: TurnContext[] = [{ role: 'assistant', text: 'Death Note is complete in 12 volumes.', seriesIds: ['death-note'], about: { focus: 'death-note' } }];
  for (const [text, intent] of [['is there a box?', 'promotion'], ['BOXもある？', 'chitchat'], ['全巻セットみたいなのある？', 'recommendation'], ['全巻セットみたいなのある？', 'promotion']] as const) {
    const r = resolver.resolve(text, 'ja', history, intent);
    assert.equal(r.seriesId, 'death-note', text);
    assert.equal(r.format, 'box_set', text);
    assert.equal(r.intent ?? intent, 'price_availability', `${text} (${intent})`);
  }
  // A sale asked about stays one.
  assert.equal(resolver.resolve('is there a box set sale?', 'en', history, 'promotion').intent ?? 'promotion', 'promotion');
});
