import { it } from 'node:test';
import assert from 'node:assert/strict';
import { asksForPerson } from '../../src/escalation/decision.ts';
import { asksOfOtherMedium } from '../../src/understanding/out-of-scope.ts';

it('a lawyer as a threat asks for staff; a lawyer asked for does not (out of scope)', () => {
  for (const t of ["I'm contacting a lawyer about this", 'my lawyer will hear about this', '弁護士に相談します']) assert.equal(asksForPerson(t), true, t);
  for (const t of ['can you recommend a good lawyer?', 'do you know a lawyer in Tokyo?', 'いい弁護士を紹介してもらえますか', 'おすすめの弁護士教えて']) assert.equal(asksForPerson(t), false, t);
});

it('a question of an anime itself, not of its manga', () => {
  for (const t of ['鬼滅の刃のアニメ何話まである？', 'how many seasons does the Frieren anime have?', '呪術廻戦のアニメの声優は誰？']) assert.equal(asksOfOtherMedium(t), true, t);
  for (const t of ['I watched the Chainsaw Man anime, which volume should I start with?', 'Netflix版のワンピースの原作は何巻まで？', 'how many episodes do you have in stock?']) assert.equal(asksOfOtherMedium(t), false, t);
});
