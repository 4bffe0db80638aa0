import { test } from 'node:test';
import assert from 'node:assert/strict';
import { titleQuery } from '../../src/chat/title-query.ts';

// A name's possessive before what it made is the name alone (fixer T, step 8; blind8 b8-follo-en-160):
// "show me Tezuka's manga" searched "Tezuka's" and found nothing.

test("'X's manga', 'X's works' search X", () => {
  assert.equal(titleQuery("show me Tezuka's manga"), 'Tezuka');
  assert.match(titleQuery("any of Urasawa’s works?"), /^Urasawa(?: works)?$/);
  assert.match(titleQuery("Inio Asano's books"), /^Inio Asano(?: books)?$/);
  // A possessive inside a title stays: "JoJo's Bizarre Adventure".
  assert.match(titleQuery("JoJo's Bizarre Adventure vol 3"), /JoJo's Bizarre Adventure/);
  assert.match(titleQuery("Natsume's Book of Friends - do you have it?"), /^Natsume's Book/);
  assert.match(titleQuery("natsume's book of friends vol 2"), /^natsume's book/);
});
