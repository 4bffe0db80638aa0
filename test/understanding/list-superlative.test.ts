import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asksListSuperlative, createReferenceResolver } from '../../src/understanding/references.ts';
import type { Intent, TurnContext } from '../../src/understanding/types.ts';

// After a list of series (an author's works, search results, picks), a superlative asked over them
// ("which one is the shortest?", 「一番人気なのはどれ？」) compares the series listed by the store's
// facts, or picks one of them ("the cheapest one?"): never a new search or the popular list.

const resolver = createReferenceResolver();
const resolve = (text: string, history: TurnContext[], intent?: Intent) => resolver.resolve(text, /[\u3040-\u30ff\u3400-\u9fff]/.test(text) ? 'ja' : 'en', history, intent);
const listed: TurnContext[] = [
  { role: 'user', text: 'do you have anything by Naoki Urasawa?' },
  { role: 'assistant', text: 'I found 3 series: 20th Century Boys, Monster, Pluto.', seriesIds: ['20th-century-boys', 'monster', 'pluto'] },
];

test('a superlative over the series just listed compares them all, in both languages', () => {
  const cases: [string, Intent][] = [
    ['which one is the shortest?', 'product_search'],
    ['which of those is the most popular?', 'recommendation'],
    ['what is the best rated one?', 'product_question'],
    ['which is the newest?', 'chitchat'],
    ['一番人気なのはどれ？', 'recommendation'],
    ['どれが一番評価高い？', 'product_question'],
    ['いちばん長いのはどれですか', 'product_search'],
  ];
  for (const [text, intent] of cases) {
    const r = resolve(text, listed, intent);
    assert.deepEqual(r.seriesIds, ['20th-century-boys', 'monster', 'pluto'], `${text}: ${JSON.stringify(r)}`);
    assert.ok(r.comparing || r.pick, text);
    assert.ok(r.intent === undefined || r.intent === 'product_question', text);
  }
});

test('"the cheapest one?", 「一番安いのは？」: one of the series listed, picked by the facts', () => {
  for (const text of ['the cheapest one?', '一番安いのは？', 'the shortest one please']) {
    const r = resolve(text, listed, 'product_search');
    assert.ok(r.pick, `${text}: ${JSON.stringify(r)}`);
    assert.deepEqual(r.chosenFrom, ['20th-century-boys', 'monster', 'pluto'], text);
  }
});

test('not a superlative over the list: a volume, a status, one series shown', () => {
  for (const text of ["what's the latest volume?", 'which one is finished?', 'how much is the newest volume?', '一番新しい巻はいくら？', 'recommend the best manga', "what's the best manga you have?", 'any other shorter one?', '一番人気のおすすめは？']) assert.equal(asksListSuperlative(text), false, text);
  const one: TurnContext[] = [{ role: 'user', text: 'monster?' }, { role: 'assistant', text: 'Monster…', seriesIds: ['monster'] }];
  assert.equal(resolve('which one is the shortest?', one, 'product_search').comparing, undefined);
});
