// Recommendations anchored on what the customer said (fixer recs, step 8): the title liked in any
// position and wording, 'similar' to the series in play, a lighter tone, one phrase per reason kind,
// and "which of them" over the whole list just shown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Grounding } from '../../src/llm/types.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { extractEntities } from '../../src/understanding/entities.ts';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';
import { wishFrom } from '../../src/chat/recommendation-request.ts';
import { FRIEREN, MONSTER, NOW, ONE_PIECE, entry, grounding } from '../llm/fixtures.ts';

test('the title liked is found in any position and wording, and only the title', () => {
  const cases: [string, string][] = [
    ["I'm a big Haikyuu fan, something similar?", 'haikyuu'],
    ["I'm a big Haikyuu fan. Something similar, but no more than 20 volumes?", 'haikyuu'],
    ['Huge fan of Monster here. Similar stuff?', 'monster'],
    ['my son is a huge Naruto fan, what should he read next?', 'naruto'],
    ['she loves 「ハチミツとクローバー」 — anything similar that\'s finished? budget is like ¥5000', 'ハチミツとクローバー'],
    ['Liar Gameみたいなのある？', 'liar game'],
    ['Death Noteっぽい漫画ある？', 'death note'],
    ['ハイキュー好きにおすすめは？', 'ハイキュー'],
    ['something like 20th Century Boys', '20th century boys'],
    ['something like 7 Seeds', '7 seeds'],
    // The title just read to the end, with the next read asked (as "I just finished X, what should I read next?").
    ['チェンソーマン読み終わった！次何読めばいい？グロいのは平気', 'チェンソーマン'],
    ['呪術廻戦全部読み終えたんだけど、おすすめある？', '呪術廻戦'],
    ['鬼滅の刃を読破した。次は何を読めばいい？', '鬼滅の刃'],
    // A title asked for after picks that missed.
    ['something more like Kaguya-sama though', 'kaguya-sama'],
    ['anything a bit more like Monster?', 'monster'],
  ];
  for (const [text, like] of cases) assert.equal(extractEntities(text).likeQuery, like, text);
  // "no more than 20 volumes" is a limit, not a title ruled out.
  assert.equal(extractEntities("I'm a big Haikyuu fan. Something similar, but no more than 20 volumes?").excludeQueries, undefined);
  assert.equal(extractEntities('my budget is like 5000.').likeQuery, undefined);
  // Read to the end with no next read asked is no request for picks.
  assert.equal(extractEntities('チェンソーマン読み終わった').likeQuery, undefined);
  // "More like" a shown pick or the one in play is no title (the references read those).
  for (const text of ['more like the second one', 'something more like it', 'more like those please']) assert.equal(extractEntities(text).likeQuery, undefined, text);
});

test('a lighter tone rules the dark tags out and is kept as the request narrows', () => {
  for (const text of ['something less dark please', 'anything lighter?', 'need something more upbeat now', 'not so depressing this time', 'じゃあもっと明るいのがいい。ジョジョみたいな', '軽めのにして', 'ほのぼのしたのがいい', '暗くないやつ']) {
    assert.equal(extractEntities(text).lighter, true, text);
  }
  for (const text of ['a dark fantasy manga', 'something like Berserk', '明日届きますか', 'light novel adaptations?']) assert.equal(extractEntities(text).lighter, undefined, text);
  const wish = wishFrom(extractEntities('something less dark please'), { genres: ['Horror'], themes: [], seedSeriesIds: ['tokyo-ghoul'], excludeSeriesIds: [], excludeTags: [] });
  assert.equal(wish.lighter, true);
  assert.deepEqual(wish.genres, []);
  for (const t of ['Horror', 'Gore', 'Psychological']) assert.ok(wish.excludeTags.includes(t), t);
  assert.deepEqual(wish.seedSeriesIds, ['tokyo-ghoul']);
  // 'funnier' asks for comedy too.
  assert.deepEqual(extractEntities('funnier?').genres, ['Comedy']);
  // Said of the picks just shown, it narrows them (their wish and seed stay), whatever other words it has.
  const wishShown = { genres: [], themes: [], seedSeriesIds: ['tokyo-ghoul'], excludeSeriesIds: [], excludeTags: [] };
  const picks: TurnContext[] = [{ role: 'user', text: 'any manga like Tokyo Ghoul?' }, { role: 'assistant', text: '1. Tomie 2. Uzumaki', seriesIds: ['tomie', 'uzumaki', 'ajin'], about: { wish: wishShown } }];
  for (const text of ['hmm those look too grim. something lighter?', 'something less dark please', 'もっと明るいのがいい']) {
    const r = createReferenceResolver().resolve(text, 'en', picks, 'recommendation');
    assert.equal(r.via, 'narrowing', text);
    assert.equal(r.seriesId, undefined, text);
  }
  assert.deepEqual(extractEntities('other team sports manga? no basketball').themes, ['Team Sports']);
});

const resolver = createReferenceResolver();
const afterBerserk: TurnContext[] = [
  { role: 'user', text: 'ベルセルクってどんな話？' },
  { role: 'assistant', text: '『ベルセルク』は…', seriesIds: ['berserk'], about: { focus: 'berserk' } },
];

test("'similar' with no title, beside a new constraint, is like the series in play", () => {
  for (const text of ['似たような作品でもっと短いのある？', '似たようなのある？', '似た感じで明るいのない？', 'something similar but shorter?']) {
    const r = resolver.resolve(text, 'ja', afterBerserk, 'product_question');
    assert.equal(r.seriesId, 'berserk', text);
    assert.equal(r.via, 'like-it', text);
    assert.equal(r.intent, 'recommendation', text);
  }
  // A title named beside it is that title's, not the series in play's.
  assert.equal(resolver.resolve('ハイキューに似たような作品ある？', 'ja', afterBerserk, 'recommendation').seriesId, undefined);
});

test('"which of them" after a list ranges over the whole list, also after an answer about one of them', () => {
  const list: TurnContext[] = [
    { role: 'user', text: 'do you have anything by Naoki Urasawa?' },
    { role: 'assistant', text: '1. 20th Century Boys 2. Monster 3. Pluto', seriesIds: ['20th-century-boys', 'monster', 'pluto'] },
  ];
  const detour: TurnContext[] = [...list, { role: 'user', text: 'tell me about Monster' }, { role: 'assistant', text: 'Monster by Naoki Urasawa…', seriesIds: ['monster'], about: { focus: 'monster' } }];
  for (const history of [list, detour]) {
    for (const text of ['which of them are finished?', 'are any of those still running?', 'その中で完結してるのはどれ？', 'どれが完結してる？']) {
      const r = resolver.resolve(text, /[ぁ-ん]/.test(text) ? 'ja' : 'en', history, 'product_question');
      assert.deepEqual(r.seriesIds, ['20th-century-boys', 'monster', 'pluto'], text);
      assert.equal(r.comparing, true, text);
    }
  }
  // "Is it finished?" after the answer about Monster is Monster's.
  assert.equal(resolver.resolve('is it finished?', 'en', detour, 'product_question').seriesIds, undefined);
  // Picks are narrowed by their request instead ("which of these are shoujo?").
  const picks: TurnContext[] = [{ role: 'user', text: 'fantasy manga' }, { role: 'assistant', text: '…', seriesIds: ['a', 'b', 'c'], about: { wish: { genres: ['Fantasy'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [] } } }];
  assert.equal(resolver.resolve('which of these are shoujo?', 'en', picks, 'recommendation').via, 'narrowing');
});

const engine = createLocalEngine({ now: () => NOW });
async function answer(g: Grounding): Promise<string> {
  let text = '';
  for await (const c of engine.stream(g, {})) if (c.type === 'token') text += c.text;
  return text;
}

test('reasons of one kind are said once, their values together', async () => {
  const series = [entry(ONE_PIECE, [], ['genre:Fantasy', 'genre:Adventure', 'theme:Pirates']), entry(FRIEREN, [], ['genre:Fantasy', 'genre:Drama']), entry(MONSTER, [], ['genre:Mystery'])];
  const en = await answer(grounding('recommendation', 'en', { series }));
  assert.match(en, /great if you enjoy Fantasy and Adventure; a Pirates story/);
  assert.doesNotMatch(en, /great if you enjoy \w+; great if you enjoy/);
  const ja = await answer(grounding('recommendation', 'ja', { series }));
  assert.match(ja, /ファンタジー・冒険がお好きな方におすすめです/);
  assert.doesNotMatch(ja, /お好きな方におすすめです。[^・\n]*お好きな方におすすめです/);
});

test('"she loves comedy" after picks for a 10-year-old narrows them: the reader stays a child', () => {
  const wish = { genres: [], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: ['Horror'], audience: 'child' as const };
  const picks: TurnContext[] = [{ role: 'user', text: 'my daughter just turned 10, what manga would suit her? no horror obviously' }, { role: 'assistant', text: '1. Doraemon 2. Chiikawa', seriesIds: ['doraemon', 'chiikawa', 'yotsuba-to'], about: { wish } }];
  for (const text of ['she loves comedy', "he's really into sports", 'my son likes mecha']) {
    const r = createReferenceResolver().resolve(text, 'en', picks, 'chitchat');
    assert.equal(r.via, 'narrowing', text);
    assert.equal(r.narrows?.audience, 'child', text);
  }
});

test('what a story shows ruled out (「血が出るのは避けたい」) narrows the picks; 出る there is no release question', () => {
  const wish = { genres: [], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], audience: 'child' as const, status: 'finished' as const, maxVolumes: 10 };
  const picks: TurnContext[] = [{ role: 'user', text: '10歳の息子にプレゼントしたいです。完結してて10巻以内のマンガありますか' }, { role: 'assistant', text: '1. Doraemon', seriesIds: ['doraemon', 'chiikawa'], about: { wish } }];
  const r = createReferenceResolver().resolve('怖いのとか血が出るのは避けたいです', 'ja', picks, 'recommendation');
  assert.equal(r.via, 'narrowing');
  assert.equal(r.narrows?.maxVolumes, 10);
});
