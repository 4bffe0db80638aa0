// "How much would the first 3 volumes of the top pick cost together" after a list of picks (lead's
// probe L4, session 24): 'the top pick', 'your top recommendation', 'the one at the top', 「1位の」
// are the first of the last list — not a title search ('K: The First') — and 'the first 3 volumes'
// are its Vol. 1–3, added up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import { extractOrdinal } from '../../src/understanding/entities.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const picks: TurnContext[] = [
  { role: 'user', text: 'recommend me some dark fantasy manga' },
  {
    role: 'assistant',
    text: 'Here are some picks — Fantasy:\n1. Berserk\n2. One Piece\n3. Chainsaw Man\n4. Tokyo Ghoul\n5. Demon Slayer',
    seriesIds: ['berserk', 'one-piece', 'chainsaw-man', 'tokyo-ghoul', 'kimetsu-no-yaiba'],
    about: { wish: { genres: ['Fantasy'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [] } },
  },
];

test('the top of a list is its first', () => {
  for (const t of ['how much would the first 3 volumes of the top pick cost together', 'how much is your top recommendation', 'is the one at the top finished?', 'the #1 pick, vol 1 price?', '1位のやつの1巻いくら？']) assert.equal(extractOrdinal(t), 1, t);
  // Not a list's place: the store's best sellers, how many picks.
  for (const t of ["what's the top selling manga", 'top 3 picks please', 'top tier stuff']) assert.equal(extractOrdinal(t), undefined, t);
});

test('the first volumes of the top pick are that series\' volumes, together', () => {
  const resolver = createReferenceResolver();
  const r = resolver.resolve('how much would the first 3 volumes of the top pick cost together', 'en', picks, 'price_availability');
  assert.deepEqual([r.seriesId, r.volumes], ['berserk', [1, 2, 3]]);
  const ja = resolver.resolve('1位のやつの1巻いくら？', 'ja', picks, 'price_availability');
  assert.deepEqual([ja.seriesId, ja.volume], ['berserk', 1]);
});

test('the list\'s place named as such stays the list\'s after an answer about that same series', () => {
  const resolver = createReferenceResolver();
  const then: TurnContext[] = [
    ...picks,
    { role: 'user', text: 'how much would the first 3 volumes of the top pick cost together' },
    { role: 'assistant', text: "Here's Vol. 1, Vol. 2, Vol. 3 of Berserk:", seriesIds: ['berserk'], about: { focus: 'berserk', volume: 1, volumes: [1, 2, 3] } },
  ];
  for (const t of ['and your top recommendation, is it finished?', 'is the first pick finished?']) {
    const r = resolver.resolve(t, 'en', then, 'product_question');
    assert.deepEqual([r.seriesId, r.volume, r.intent], ['berserk', undefined, undefined], t);
  }
  // "Can I get the first one?" right after one series' volumes is its Vol. 1, as before.
  assert.equal(resolver.resolve('can I get the first one?', 'en', then, 'product_question').volume, 1);
});
