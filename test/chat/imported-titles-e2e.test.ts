// Japanese questions about series the MAL import names in romaji only, over the WebSocket after
// `npm run import` (reading dictionary loaded, as the service has it): the title before the words of
// the request the title query left (「…って買え」「…の作者の他」), a kanji clipping (僕街), a title in
// title marks the store does not have (said plainly, not declined as out of scope), and a title
// weighed against the series in play ('compare it to Naruto').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { cardedSeries, replyText } from '../helpers/ws-client.ts';

const service = useChatService({ catalog: 'imported', readings: true });

test('a romaji-only import asked in Japanese with words of the request left beside it: that series, then its facts', async () => {
  await service.withChat('guest', async (c) => {
    const buy = await c.ask('炎炎ノ消防隊って買えますか？');
    assert.equal(cardedSeries(buy)[0], 'enen-no-shouboutai', replyText(buy));
    const author = await c.ask('ソウルイーターの作者の他の作品も知りたいんだけど、これ誰が描いてる？');
    assert.match(replyText(author), /Ookubo|大久保/, replyText(author));
  });
});

test('a kanji clipping of a romaji-only import (僕街) names it, signed in', async () => {
  await service.withChat('cust-1001', async (c) => {
    const frames = await c.ask('僕街って全部で何巻？');
    assert.equal(cardedSeries(frames)[0], 'boku-dake-ga-inai-machi', replyText(frames));
    assert.match(replyText(frames), /9巻/);
  });
});

test('a title in title marks the store does not have is not found, not out of scope', async () => {
  await service.withChat('guest', async (c) => {
    // (Words of the weather and the days of the week in them: read alone, out of scope.)
    for (const [text, notFound] of [
      ['『日曜日の天気予報士』の2巻ってありますか？', /見つかりませんでした/],
      ['『明日の東京の天気』って漫画の1巻ある？', /見つかりませんでした/],
      ["do you have “Tomorrow's Weather in Osaka” vol 2?", /couldn't find that title/],
    ] as const) {
      const frames = await c.ask(text);
      assert.match(replyText(frames), notFound, `${text}: ${replyText(frames)}`);
      assert.deepEqual(cardedSeries(frames), []);
    }
  });
});

test("'compare it to X' weighs X against the series in play", async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('is Boruto finished?');
    // Both series, by the data: not the one named alone.
    const frames = await c.ask('compare that with Naruto, which one is longer');
    assert.ok(cardedSeries(frames).includes('naruto'), replyText(frames));
    assert.match(replyText(frames), /\b72\b[^]*\b20\b|\b20\b[^]*\b72\b/, replyText(frames));
    await c.ask('and is Boruto still running?');
    const each = await c.ask('ok compare this one with Bleach, how many volumes each');
    assert.match(replyText(each), /\b74\b[^]*\b20\b|\b20\b[^]*\b74\b/, replyText(each));
  });
});

test('right after picks, a fact asked of a title named outright is about that title, not a wish narrowing the picks', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('ミステリーでおすすめの漫画ある？');
    const ja = await c.ask('僕街って何巻で完結してますか？');
    assert.equal(cardedSeries(ja)[0], 'boku-dake-ga-inai-machi', replyText(ja));
    assert.match(replyText(ja), /9巻/);
    await c.ask('any good mystery manga?');
    const en = await c.ask('is Monster finished? how many volumes is it');
    assert.match(replyText(en), /Monster[^]*\b18 volumes\b/, replyText(en));
    // A title as the anchor of a wish still narrows them.
    const like = await c.ask('something like Monster but finished?');
    assert.match(replyText(like), /similar to Monster/i, replyText(like));
  });
});

test('the status or length of a romaji-only import asked in Japanese, read alone as picks or a search: its facts first', async () => {
  await service.withChat('guest', async (c) => {
    const done = await c.ask('ソウルイーターって完結してる？');
    assert.match(replyText(done), /^はい、『Soul Eater』は全25巻で完結しています。/, replyText(done));
    const running = await c.ask('不滅のあなたへって完結してる？');
    assert.match(replyText(running), /^いいえ、『Fumetsu no Anata e』は現在連載中/, replyText(running));
    // Picks asked for with a title as their anchor, or by a title's author, stay picks.
    const like = await c.ask('完結してる漫画でソウルイーターみたいなのある？');
    assert.match(replyText(like), /似た/, replyText(like));
  });
});
