import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { readFileSync } from 'node:fs';
import { replyText, type Frame } from '../helpers/ws-client.ts';
import type { Series } from '../../src/catalog/types.ts';

// Follow-ups, recommendations with constraints and comparisons, played as a customer would over
// the WebSocket on the real service with the shipped catalog; judged against the catalog's data.

const catalog = new Map<string, Series>(
  readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Series)
    .map((s) => [s.id, s]),
);

const service = useChatService();

interface Card {
  seriesId: string;
  volume: number | null;
  format?: string;
}

function cards(frames: Frame[]): Card[] {
  return frames.filter((f) => f.type === 'products').flatMap((f) => f.items as Card[]);
}

function series(frames: Frame[]): Series[] {
  return [...new Set(cards(frames).map((c) => c.seriesId))].map((id) => catalog.get(id)!);
}

function intentOf(frames: Frame[]): string {
  return String(frames.find((f) => f.type === 'start')?.intent);
}

test('"is it in stock?" after volume 3 is about volume 3; "and volume 9?" about volume 9', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('How much is Attack on Titan volume 3?');
    const stock = await c.ask('is it in stock?');
    assert.ok(cards(stock).length > 0 && cards(stock).every((x) => x.seriesId === 'shingeki-no-kyojin' && x.volume === 3), JSON.stringify(cards(stock)));
    const nine = await c.ask('and volume 9?');
    assert.ok(cards(nine).every((x) => x.seriesId === 'shingeki-no-kyojin' && x.volume === 9), JSON.stringify(cards(nine)));
  });
});

test('「在庫ありますか？」 after a price question is the same volume; 「じゃあ電子版は？」 its digital edition', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('チェンソーマンの1巻の値段は？');
    const stock = await c.ask('在庫ありますか？');
    assert.ok(cards(stock).length > 0 && cards(stock).every((x) => x.seriesId === 'chainsaw-man' && x.volume === 1), JSON.stringify(cards(stock)));
    const digital = await c.ask('じゃあ電子版は？');
    assert.equal(intentOf(digital), 'price_availability');
    assert.ok(cards(digital).some((x) => x.seriesId === 'chainsaw-man' && x.volume === 1 && x.format === 'digital'), JSON.stringify(cards(digital)));
    assert.match(replyText(digital), /電子版/);
  });
});

test('"when does the next volume come out?" gives the next volume of the series in play, and a finished series has none', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('SPY×FAMILYの15巻ありますか？');
    const next = replyText(await c.ask('次の巻はいつ出ますか？'));
    assert.match(next, /16巻/);
    assert.match(next, /予約/);
    await c.ask('Do you have Death Note?');
    const none = replyText(await c.ask('when does the next volume come out?'));
    assert.match(none, /no next volume/i);
    assert.match(none, /Death Note/);
  });
});

test('"tell me about the second one" after recommendations is the second series shown', async () => {
  await service.withChat('guest', async (c) => {
    const list = await c.ask('recommend some romance manga');
    const second = series(list)[1];
    const about = await c.ask('tell me about the second one');
    assert.equal(intentOf(about), 'product_question');
    assert.equal(cards(about)[0]?.seriesId, second.id);
  });
});

test('"anything else by the same author?" lists other works by that author, not the series itself', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('Tell me about Monster by Naoki Urasawa');
    const more = await c.ask('anything else by the same author?');
    const shown = series(more);
    assert.ok(shown.length > 0);
    assert.ok(shown.every((s) => s.id !== 'monster' && s.authors.includes('Naoki Urasawa')), shown.map((s) => s.id).join());
  });
});

test('a finished romance under 10 volumes: every card is finished, romance and 9 volumes or fewer, and the answer says so', async () => {
  await service.withChat('guest', async (c) => {
    const frames = await c.ask('a finished romance manga under 10 volumes');
    const shown = series(frames);
    assert.ok(shown.length >= 3, shown.map((s) => s.id).join());
    for (const s of shown) assert.ok(s.status === 'finished' && s.genres.includes('Romance') && s.volumeCount !== undefined && s.volumeCount <= 9, s.id);
    assert.match(replyText(frames), /complete/);
  });
});

test('for a 10-year-old: only young demographics without horror, gore or fan service', async () => {
  for (const text of ['manga for a 10-year-old', '小学生の娘にプレゼントしたいんですが、おすすめの漫画ありますか？']) {
    await service.withChat('guest', async (c) => {
      const shown = series(await c.ask(text));
      assert.ok(shown.length >= 3, text);
      for (const s of shown) {
        // 'Kids' is the catalog's name for children's manga (Kodomomuke in MAL's words): Doraemon, Chiikawa.
        assert.ok(['Kids', 'Kodomomuke', 'Shounen', 'Shoujo'].includes(s.demographic ?? ''), `${text}: ${s.id}`);
        assert.ok(![...s.genres, ...s.themes].some((t) => ['Horror', 'Gore', 'Ecchi'].includes(t)) && !s.ageRestricted, `${text}: ${s.id}`);
      }
    });
  }
});

test('"like Jujutsu Kaisen" never lists it; "only finished ones please" narrows the same request', async () => {
  await service.withChat('guest', async (c) => {
    const like = series(await c.ask('manga like jujutsu kaisen'));
    assert.ok(like.length > 0 && !like.some((s) => s.id === 'jujutsu-kaisen'));
    const narrowed = await c.ask('only finished ones please');
    assert.equal(intentOf(narrowed), 'recommendation');
    const shown = series(narrowed);
    assert.ok(shown.length > 0);
    const jjk = catalog.get('jujutsu-kaisen')!;
    for (const s of shown) {
      assert.equal(s.status, 'finished', s.id);
      assert.ok([...s.genres, ...s.themes].filter((t) => [...jjk.genres, ...jjk.themes].includes(t)).length >= 2, s.id);
      assert.notEqual(s.id, 'jujutsu-kaisen');
    }
  });
});

test('"like Berserk but shorter": similar and fewer volumes than Berserk', async () => {
  await service.withChat('guest', async (c) => {
    const shown = series(await c.ask('something like Berserk but shorter'));
    const berserk = catalog.get('berserk')!;
    assert.ok(shown.length > 0);
    for (const s of shown) assert.ok(s.id !== 'berserk' && s.volumeCount !== undefined && s.volumeCount < berserk.volumeCount!, s.id);
  });
});

test('when nothing fits: no cards, a plain "couldn\'t find", and the nearest request that does fit by name', async () => {
  await service.withChat('guest', async (c) => {
    const frames = await c.ask('a finished isekai manga for kids, 5 volumes max');
    assert.deepEqual(cards(frames), []);
    const text = replyText(frames);
    assert.match(text, /couldn't find/);
    assert.match(text, /Without the/);
  });
});

test('comparisons name and card every series, in order, and answer what was asked from the catalog', async () => {
  await service.withChat('guest', async (c) => {
    const both = await c.ask('Naruto or Bleach?');
    assert.deepEqual(series(both).map((s) => s.id), ['naruto', 'bleach']);
    assert.match(replyText(both), /Naruto[\s\S]*Bleach/);
    const longer = replyText(await c.ask('which one is longer?'));
    assert.match(longer, /Bleach is the longer read: 74 volumes/);
    const three = await c.ask('compare One Piece, Naruto and Bleach for me');
    assert.deepEqual(series(three).map((s) => s.id), ['one-piece', 'naruto', 'bleach']);
  });
  await service.withChat('guest', async (ja) => {
    const frames = await ja.ask('進撃の巨人と鬼滅の刃ならどっちが長いですか？');
    assert.deepEqual(series(frames).map((s) => s.id), ['shingeki-no-kyojin', 'kimetsu-no-yaiba']);
    const text = replyText(frames);
    assert.match(text, /進撃の巨人/);
    assert.match(text, /鬼滅の刃/);
    assert.match(text, /34巻/);
  });
});

test('"show me more" gives the same request without what was shown; "more like the second one" is seeded by it', async () => {
  await service.withChat('guest', async (c) => {
    const first = series(await c.ask('recommend some fantasy manga'));
    const more = series(await c.ask('show me more'));
    assert.ok(more.length > 0 && more.every((s) => s.genres.includes('Fantasy') && !first.some((f) => f.id === s.id)), more.map((s) => s.id).join());
    const second = more[1];
    const like = await c.ask('more like the second one');
    assert.equal(intentOf(like), 'recommendation');
    assert.ok(series(like).every((s) => s.id !== second.id && [...s.genres, ...s.themes].filter((t) => [...second.genres, ...second.themes].includes(t)).length >= 2));
  });
});

test('an author ruled out, a lower volume limit, and a comparison with a title the store does not have', async () => {
  await service.withChat('guest', async (c) => {
    const romance = series(await c.ask('any romance that is not by Ai Yazawa?'));
    assert.ok(romance.length > 0 && romance.every((s) => s.genres.includes('Romance') && !s.authors.includes('Ai Yazawa')), romance.map((s) => s.id).join());
    const long = series(await c.ask('I want a long fantasy series, at least 30 volumes'));
    assert.ok(long.length > 0 && long.every((s) => s.genres.includes('Fantasy') && s.volumeCount! >= 30), long.map((s) => s.id).join());
    const partial = await c.ask('Naruto or Quantum Samurai Bakery?');
    assert.deepEqual(series(partial).map((s) => s.id), ['naruto']);
    assert.match(replyText(partial), /couldn't find "quantum samurai bakery"/);
  });
});

test('several volumes at once: a card and a line for each', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('Do you sell Dandadan?');
    const two = await c.ask('ok and volume 2 and 3?');
    assert.deepEqual(cards(two).map((x) => [x.seriesId, x.volume]), [['dandadan', 2], ['dandadan', 3]]);
    assert.match(replyText(two), /Vol\. 2 \(paperback\): ¥[\d,]+[\s\S]*Vol\. 3 \(paperback\): ¥[\d,]+/);
    const ja = await c.ask('ハイキューの1〜3巻の在庫ある？');
    assert.deepEqual(cards(ja).map((x) => [x.seriesId, x.volume]), [['haikyuu', 1], ['haikyuu', 2], ['haikyuu', 3]]);
  });
});

test('the whole series at once: the total of the released volumes, what is out of stock, a box set', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('鬼滅の刃は完結してますか？');
    const ja = replyText(await c.ask('全巻でいくら？'));
    assert.match(ja, /全23巻（単行本）の合計は[\d,]+円/);
    assert.match(ja, /BOXセット/);
    await c.ask('Do you have Frieren?');
    const en = replyText(await c.ask('how much to buy the whole series?'));
    assert.match(en, /All 14 volumes of Frieren: Beyond Journey's End \(paperback\) come to ¥[\d,]+ in total/);
    assert.match(en, /Vol\. 15 is up for preorder \(not in that total\)/);
  });
});

test('a long run of volumes or volumes asked one at a time, added up: the total at live prices, not the first and last volume', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('how much is Blue Lock vol 2?');
    const run = await c.ask('what would volumes 1 to 15 cost me altogether?');
    assert.match(replyText(run), /Vol\. 1–15 of Blue Lock \(paperback, 15 volumes\) come to ¥[\d,]+ in total: \d+ in stock/);
    assert.deepEqual(cards(run).map((x) => x.volume), [1, 15]);
    const ja = replyText(await c.ask('チェンソーマンの1巻から12巻まで買ったら合計いくら？'));
    assert.match(ja, /1〜12巻（単行本、12冊）の合計は[\d,]+円です/);
    await c.ask('Monster vol 3 price?');
    assert.match(replyText(await c.ask('and 3 thru 6, total?')), /Together, Vol\. 3, Vol\. 4, Vol\. 5, Vol\. 6 come to ¥[\d,]+/);
    await c.ask('chainsaw man volume 7 price');
    await c.ask('and vol 8?');
    assert.match(replyText(await c.ask('how much for both together?')), /Together, Vol\. 7, Vol\. 8 come to ¥[\d,]+/);
    assert.match(replyText(await c.ask('how much would it be to buy every Death Note volume?')), /All 12 volumes of Death Note \(paperback\) come to ¥[\d,]+ in total/);
  });
});

test("a title of an author's list, named after it, is that series — a length or status question too, not the first of the list", async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('books by Junji Ito?');
    const gyo = await c.ask('how long is Gyo?');
    assert.equal(cards(gyo)[0]?.seriesId, 'gyo');
    assert.match(replyText(gyo), /Gyo by Junji Itou is complete in 2 volumes/);
    await c.ask('高橋留美子先生の漫画を探しています');
    const inuyasha = await c.ask('犬夜叉って完結してる？');
    assert.equal(cards(inuyasha)[0]?.seriesId, 'inuyasha');
    await c.ask('anything by Inio Asano?');
    assert.equal(cards(await c.ask('tell me about Solanin'))[0]?.seriesId, 'solanin');
  });
});

test('when a series began and who it is for, when asked: the catalog year and demographic, in either language', async () => {
  await service.withChat('guest', async (c) => {
    assert.match(replyText(await c.ask('when did Vinland Saga start?')), /It began in 2005\./);
    assert.match(replyText(await c.ask('スラムダンクって何年から連載してたの？')), /1990年に連載が始まりました。/);
    await c.ask('do you have Blue Lock?');
    const both = replyText(await c.ask('what year did it begin, and is it shounen?'));
    assert.match(both, /Blue Lock/);
    assert.match(both, /It began in 2018\./);
    assert.match(both, /It's a Shounen series\./);
    assert.match(replyText(await c.ask('ナナって少女漫画ですか？')), /少女漫画です。/);
    // Not asked: not said.
    assert.doesNotMatch(replyText(await c.ask('is Monster finished?')), /began in|It's a Seinen/);
  });
});

test('a box set asked in other words ("BOX" alone, "is there a box?", 「全巻セットみたいなの」) is the series\' box set; a series without one says so', async () => {
  await service.withChat('guest', async (c) => {
    const bare = await c.ask('デスノートのBOXってまだ売ってる？');
    assert.deepEqual(cards(bare).map((x) => [x.seriesId, x.format]), [['death-note', 'box_set']]);
    assert.match(replyText(bare), /BOXセット1/);
    await c.ask('is Akira finished?');
    assert.match(replyText(await c.ask('is there a box?')), /Box set 1 of Akira/);
    assert.match(replyText(await c.ask('鋼の錬金術師の全巻セットみたいなのってあります？')), /『鋼の錬金術師』BOXセット1/);
    const none = replyText(await c.ask('is there a box set of Monster?'));
    assert.match(none, /We don't have a box set of Monster, only the single volumes\./);
    assert.doesNotMatch(none, /Box set 18/);
  });
});

test('the box set against the single volumes: both prices by name and number, and which is cheaper by how much', async () => {
  await service.withChat('guest', async (c) => {
    const en = replyText(await c.ask('Akira box set vs buying all 6 - which is cheaper?'));
    assert.match(en, /All 6 volumes of Akira \(paperback\) come to ¥4,488 in total/);
    assert.match(en, /Box set 1: ¥5,590 \(in stock\)/);
    assert.match(en, /Buying the volumes one by one is ¥1,102 cheaper\./);
    const ja = replyText(await c.ask('鬼滅の刃、全23巻とBOXセットならどっちが安いですか'));
    assert.match(ja, /BOXセット1 13,010円/);
    assert.match(ja, /単巻でそろえるほうが1,097円お安くなります。/);
  });
});

test('two series compared, then the whole run of each: every series added up at live prices, its box set beside it', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('Monster or 20th Century Boys, which is longer?');
    const en = replyText(await c.ask('what would it cost to buy both complete?'));
    assert.match(en, /Monster: all 18 volumes \(paperback\) come to ¥15,444\.\n20th Century Boys: all 22 volumes \(paperback\) come to ¥16,940\./);
    const one = replyText(await c.ask('Akira vs Pluto: how much is the complete set of each?'));
    assert.match(one, /Akira: all 6 volumes \(paperback\) come to ¥4,488 \(Box set 1 ¥5,590\)\./);
    await c.ask('デスノートとバクマン。、どっちが長い？');
    assert.match(replyText(await c.ask('それぞれ全巻買うといくらですか')), /『デスノート』：全12巻（単行本）で6,072円（BOXセット1 7,170円）。[\s\S]*『バクマン。』：全20巻（単行本）で10,560円。/);
  });
});
