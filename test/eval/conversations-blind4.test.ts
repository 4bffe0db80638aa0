/**
 * The fourth held-out set (data/eval/conversations/blind4-*.jsonl), written without reading the
 * main suite or any earlier held-out set once the fixers had tuned against the third one: a
 * fresh measure of how far the fixes generalise, against the real service on the shipped catalog
 * and after importing the MyAnimeList CSV. Held to its own floor (blind4-floor.json), apart from
 * the other four. Raise it with `npm run bench:conversations -- --set blind4 --raise-floor` once
 * the product is better; never lower it.
 */
import { test } from 'node:test';
import { checkHeldOutSet } from './held-out-set.ts';

test('the fourth held-out conversations are at least as correct as their own floor says', () => checkHeldOutSet({ set: 'blind4', label: 'blind4', apartFrom: ['main', 'holdout', 'blind2', 'blind3'], idPrefix: 'b4-', minConversations: 150, minJapanese: 0.45, minMultiTurn: 0.8 }));
