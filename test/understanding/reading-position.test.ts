// Where the customer is in a series ("I'm on vol 10", 「10巻まで読んだ」) makes the next volume the one
// after it, not the series' newest; a volume named beside 続き (carrying on) is the volume asked; a
// run from the first volume to the newest is the whole series.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { asksTheRest, asksWholeSeries, continuesWithVolume, extractVolumeRef, fromFirstVolume, readingPosition } from '../../src/understanding/constraints.ts';
import { cardedVolumes, replyText } from '../helpers/ws-client.ts';

describe('where the customer is in a series', () => {
  it('is the volume they say they have read or own, in both languages', () => {
    const cases: [string, number][] = [
      ["I'm on vol 10, what's next for me", 10],
      ['im at volume 3 what comes next', 3],
      ["I've read up to 12, is the next one out?", 12],
      ['I own up to volume 20 — when is the next one?', 20],
      ['just finished vol 5, is the next volume in stock?', 5],
      ['what comes after vol 3 of Dandadan?', 3],
      ['呪術廻戦10巻まで読んだんだけど次の巻ある？', 10],
      ['キングダム70巻まで持ってる。続きは？', 70],
      ['５巻まで買ったので次の巻ください', 5],
      ['3巻を読み終わったので続きが欲しい', 3],
      ['ワンピース100巻の次って出てる？', 100],
    ];
    for (const [t, n] of cases) assert.equal(readingPosition(t), n, t);
  });

  it('is no volume asked for, nor a count', () => {
    for (const t of ['is vol 4 in stock?', 'how much is volume 10?', 'Berserk has 42 volumes?', '4巻ある？', '全10巻まとめていくら？', '10巻の値段は？']) assert.equal(readingPosition(t), undefined, t);
  });

  it("'what's next' and 'what comes after it' ask the next volume", () => {
    for (const t of ["I'm on vol 10, what's next for me", 'what comes after that?', "what's after vol 3?"]) assert.equal(extractVolumeRef(t), 'next', t);
  });

  it('続き beside a volume named says why, the volume is asked; the next volume asked outright stays next', () => {
    assert.ok(continuesWithVolume('ガンツの続き買いたいんだけど4巻ある？'));
    assert.ok(continuesWithVolume('I want to continue Gantz, do you have vol 4?'));
    for (const t of ['次の巻はいつ？', '続きの巻の次の巻は？', 'when is the next volume out? I want to continue', '続刊は出る？']) assert.ok(!continuesWithVolume(t), t);
  });

  it('the rest: the volumes after the one in play, in both languages; not the rest of an order', () => {
    for (const t of ['and the rest after it?', 'the remaining volumes?', 'what about the rest?', 'everything after that one', '残りの巻は？', 'それ以降は？', 'その先全部ほしい']) assert.ok(asksTheRest(t), t);
    for (const t of ['what about the rest of my order?', 'is vol 5 in stock?', '次の巻は？', 'after payment?']) assert.ok(!asksTheRest(t), t);
  });

  it('a run from the first volume to the newest is the whole series', () => {
    for (const t of ['チェンソーマン1巻から全部そろえるといくら？', '最初から最新刊まで買ったらいくら？', '全部揃えたらいくら？', 'how much to get Frieren from vol 1 to the latest?', 'from the first volume to the newest, how much?']) assert.ok(asksWholeSeries(t), t);
    for (const t of ['チェンソーマン1巻から全部そろえるといくら？', 'how much to get Frieren from vol 1 to the latest?', '最初から全部']) assert.ok(fromFirstVolume(t), t);
    for (const t of ['1巻から3巻までいくら？', 'how much is vol 1?']) assert.ok(!asksWholeSeries(t), t);
    // A range with its own end is that range ("1巻から4巻までまとめて買うと").
    for (const t of ['葬送のフリーレンの1巻から4巻までまとめて買うと合計いくらですか？', 'from vol 1 to 4 how much?', '1巻から三巻まで']) assert.ok(!fromFirstVolume(t), t);
  });
});

const service = useChatService();

const carded = cardedVolumes;
describe('over the WebSocket (shipped catalog)', () => {
  it('the next volume after where the customer is; a volume named beside 続き; a run from volume 1 added up', async () => {
    await service.withChat('guest', async (c) => {
      const jjk = await c.ask('呪術廻戦10巻まで読んだんだけど次の巻ある？');
      assert.deepEqual([...new Set(carded(jjk))], ['jujutsu-kaisen v11']);
      assert.match(replyText(jjk), /11巻/);
      const en = await c.ask("ok what about Kingdom, I'm on vol 70, what's next for me");
      assert.deepEqual([...new Set(carded(en))], ['kingdom v71']);
      const frieren = await c.ask('フリーレンの続き買いたいんだけど3巻ある？');
      assert.deepEqual([...new Set(carded(frieren))], ['sousou-no-frieren v3']);
      const total = await c.ask('チェンソーマン1巻から全部そろえるといくら？');
      assert.match(replyText(total), /全21巻.*合計は12,408円/);
      // ...and with the series' Vol. 1 just answered, 「1巻から全部買うと」 is still the whole series.
      await c.ask('カグラバチの1巻いくら？');
      const again = await c.ask('1巻から全部買うといくら？');
      assert.match(replyText(again), /全8巻.*合計は4,752円/);
    });
  });

  it('"and the rest after it?", 「残りの巻は？」 right after one volume: the volumes after it that are out, added up', async () => {
    await service.withChat('guest', async (c) => {
      await c.ask('do you have Frieren vol 4?');
      const rest = await c.ask('and the rest after it?');
      assert.deepEqual(carded(rest), ['sousou-no-frieren v5', 'sousou-no-frieren v14']);
      assert.match(replyText(rest), /Vol\. 5–14[^]*¥5,698/);
      await c.ask('ダンダダンの18巻ある？');
      const ja = await c.ask('残りの巻は？');
      assert.deepEqual(carded(ja), ['dandadan v19', 'dandadan v20']);
    });
  });
});
