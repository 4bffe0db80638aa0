import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractEntities, extractOrdinal, extractVolume } from '../../src/understanding/entities.ts';
import { parseJapaneseNumber } from '../../src/understanding/numerals.ts';

test('volume numbers in English forms', () => {
  const cases: Array<[string, number]> = [
    ['is vol 3 in stock', 3],
    ['One Piece vol. 12 price', 12],
    ['volume three please', 3],
    ['volume twenty-one', 21],
    ['Chainsaw Man #3', 3],
    ['do you have v2 of Monster', 2],
    ['the first volume of Monster', 1],
    ['Kaiju No. 8 vol 12', 12],
    ['is One Piece 108 in stock?', 108],
    ['Chainsaw Man 15 price?', 15],
    ['how much is haikyuu 45', 45],
  ];
  for (const [text, volume] of cases) assert.equal(extractVolume(text), volume, text);
});

test('volume numbers in Japanese forms, including full-width and kanji numerals', () => {
  const cases: Array<[string, number]> = [
    ['3巻ありますか', 3],
    ['第3巻', 3],
    ['三巻', 3],
    ['第十二巻はいつ？', 12],
    ['ワンピースの108巻 price?', 108],
    ['ワンピース１０８巻', 108],
    ['百八巻', 108],
    ['最初の巻', 1],
  ];
  for (const [text, volume] of cases) assert.equal(extractVolume(text), volume, text);
});

test('no volume for counts, ranges, or questions about how many', () => {
  const none = ['全十二巻', '1〜12巻まとめて', 'volumes 1-5', 'vol 3 to 6', '何巻まで出てる？', 'Do you have Naruto?'];
  // A bare number is only a volume after a title word, not in "No. 8", "top 5", "a 10 year old".
  none.push('Kaiju No. 8 price', 'give me your top 5 shounen?', 'something for a 10 year old', 'One Piece chapter 1000?');
  for (const text of none) {
    assert.equal(extractVolume(text), undefined, text);
  }
});

test('order numbers are found case-insensitively and returned in canonical form', () => {
  assert.equal(extractEntities('where is MA-20261104-0007?', 'en').orderId, 'MA-20261104-0007');
  assert.equal(extractEntities('order ma-20261102-0009 pls', 'en').orderId, 'MA-20261102-0009');
  assert.equal(extractEntities('注文番号ＭＡ－20261101-0042です', 'ja').orderId, 'MA-20261101-0042');
  assert.equal(extractEntities('注文番号MA-20261029-0318はいつ届く', 'ja').orderId, 'MA-20261029-0318');
  assert.equal(extractEntities('my order from yesterday', 'en').orderId, undefined);
});

test('ordinals that point at a shown list', () => {
  const cases: Array<[string, number]> = [
    ['the second one', 2],
    ['I like the 3rd one', 3],
    ['tell me about the first?', 1],
    ['option 2 please', 2],
    ['2つ目', 2],
    ['ふたつめのやつ', 2],
    ['二番目のやつ', 2],
    ['3番目の作品', 3],
    ['最初のやつ', 1],
  ];
  for (const [text, ordinal] of cases) assert.equal(extractOrdinal(text), ordinal, text);
  for (const text of ['is there a discount for first time customers', 'Kaiju No. 8', 'Do you have Naruto?', 'ひとりごと']) {
    assert.equal(extractOrdinal(text), undefined, text);
  }
  // "the first volume" is a volume, not a list position.
  const e = extractEntities('the first volume please', 'en');
  assert.equal(e.volume, 1);
  assert.equal(e.ordinal, undefined);
});

test('genre, theme and demographic words map to MyAnimeList names in both languages', () => {
  const cases: Array<[string, Partial<{ genres: string[]; themes: string[]; demographic: string }>]> = [
    ['おすすめの恋愛漫画', { genres: ['Romance'] }],
    ['ラブコメある？', { genres: ['Romance', 'Comedy'] }],
    ['異世界転生もの', { themes: ['Isekai', 'Reincarnation'] }],
    ['少年漫画でおすすめ', { demographic: 'Shounen' }],
    ['ホラー漫画', { genres: ['Horror'] }],
    ['a good rom-com please', { genres: ['Romance', 'Comedy'] }],
    ['スポーツ漫画', { genres: ['Sports'] }],
    ['料理の漫画', { genres: ['Gourmet'] }],
    ['グルメ漫画', { genres: ['Gourmet'] }],
    ['BL漫画ありますか', { genres: ['Boys Love'] }],
    ['any yuri or girls love?', { genres: ['Girls Love'] }],
    ['slice of life shoujo', { genres: ['Slice of Life'], demographic: 'Shoujo' }],
    ['dark psychological seinen', { themes: ['Psychological'], demographic: 'Seinen' }],
    ['sci-fi with mecha', { genres: ['Sci-Fi'], themes: ['Mecha'] }],
    ['vampire manga', { themes: ['Vampire'] }],
    ['kodomomuke manga', { demographic: 'Kodomomuke' }],
    ['女性向けの漫画', { demographic: 'Josei' }],
  ];
  for (const [text, want] of cases) {
    const got = extractEntities(text, 'en');
    assert.deepEqual(got.genres, want.genres ?? [], `${text} genres`);
    assert.deepEqual(got.themes, want.themes ?? [], `${text} themes`);
    assert.equal(got.demographic, want.demographic, `${text} demographic`);
  }
});

test('titles that merely contain a demographic word do not count', () => {
  assert.equal(extractEntities('20世紀少年ありますか', 'ja').demographic, undefined);
  assert.deepEqual(extractEntities('魔法少女もの', 'ja'), { genres: [], themes: ['Mahou Shoujo'] });
  assert.deepEqual(extractEntities('Do you have Naruto?', 'en'), { genres: [], themes: [] });
});

test('kanji numerals parse up to 999', () => {
  assert.equal(parseJapaneseNumber('三'), 3);
  assert.equal(parseJapaneseNumber('十'), 10);
  assert.equal(parseJapaneseNumber('二十一'), 21);
  assert.equal(parseJapaneseNumber('百八'), 108);
  assert.equal(parseJapaneseNumber('一〇八'), 108);
  assert.equal(parseJapaneseNumber('三百'), 300);
  assert.equal(parseJapaneseNumber('巻'), undefined);
});

test('"for kids" is an audience, not the Kodomomuke demographic (all-ages shounen and shoujo fit too)', () => {
  const e = extractEntities('manga for kids', 'en');
  assert.equal(e.demographic, undefined);
  assert.equal(e.audience, 'child');
  assert.equal(extractEntities('子供向けの漫画', 'ja').audience, 'child');
});

test('recommendation constraints in English: volume limits, status, audience, like, exclusions', () => {
  const cases: Array<[string, Partial<ReturnType<typeof extractEntities>>]> = [
    ['something like Berserk but shorter', { likeQuery: 'berserk', shorter: true }],
    ['I loved Berserk. Anything similar but shorter?', { likeQuery: 'berserk', shorter: true }],
    ['a finished romance manga under 10 volumes', { genres: ['Romance'], status: 'finished', maxVolumes: 9 }],
    ['a short horror manga, 3 volumes or less', { genres: ['Horror'], maxVolumes: 3, shorter: true }],
    ['a finished isekai manga for kids, 5 volumes max', { themes: ['Isekai'], status: 'finished', maxVolumes: 5, audience: 'child' }],
    ['a finished mystery manga for adults, under 15 volumes', { genres: ['Mystery'], status: 'finished', maxVolumes: 14, audience: 'adult' }],
    ['what manga would you recommend for my 10 year old son?', { audience: 'child' }],
    ['something for my 15-year-old', { audience: 'teen' }],
    ['only finished ones please', { status: 'finished' }],
    ['any ongoing shounen?', { status: 'publishing', demographic: 'Shounen' }],
    ['manga like jujutsu kaisen', { likeQuery: 'jujutsu kaisen' }],
    ['anything else by the same author?', { sameAuthor: true }],
    ['nothing scary please, and not Naruto', { excludeTags: ['Horror'], excludeQueries: ['naruto'] }],
  ];
  for (const [text, want] of cases) {
    const got = extractEntities(text, 'en');
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${text}: ${k}`);
  }
});

test('recommendation constraints in Japanese: 巻数, 完結, 対象, みたいな, 以外', () => {
  const cases: Array<[string, Partial<ReturnType<typeof extractEntities>>]> = [
    ['10巻以内で完結してる恋愛漫画ありますか？', { genres: ['Romance'], status: 'finished', maxVolumes: 10, volume: undefined }],
    ['もうちょっと短いのがいいな、10巻くらいまでで', { maxVolumes: 10, volume: undefined }],
    ['5巻未満で', { maxVolumes: 4 }],
    ['子ども向けで、5巻以内で完結してる異世界ものってありますか？', { themes: ['Isekai'], audience: 'child', status: 'finished', maxVolumes: 5 }],
    ['小学生の娘にプレゼントしたいんですが、おすすめの漫画ありますか？', { audience: 'child' }],
    ['中学生の息子に', { audience: 'teen' }],
    ['ベルセルクみたいなダークファンタジーで、もっと短いのない？', { likeQuery: 'ベルセルク', genres: ['Fantasy'], shorter: true }],
    ['呪術廻戦みたいな漫画ある？', { likeQuery: '呪術廻戦' }],
    ['連載中のバトル漫画', { status: 'publishing', genres: ['Action'] }],
    ['ホラー以外で、ワンピース以外', { excludeTags: ['Horror'], excludeQueries: ['ワンピース'] }],
    ['同じ作者の他の作品は？', { sameAuthor: true }],
  ];
  for (const [text, want] of cases) {
    const got = extractEntities(text, 'ja');
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${text}: ${k}`);
  }
});

test('"I\'d like", "looks like" and genre-only phrases name no title to be like', () => {
  assert.equal(extractEntities("I'd like volume 3", 'en').likeQuery, undefined);
  assert.equal(extractEntities('it looks like rain', 'en').likeQuery, undefined);
  assert.equal(extractEntities('something like a scary story', 'en').likeQuery, undefined);
  assert.equal(extractEntities('スポーツが好きな息子に', 'ja').likeQuery, undefined);
});

test('follow-up words: the next or last volume, and a format', () => {
  assert.equal(extractEntities('when does the next volume come out?', 'en').volumeRef, 'next');
  assert.equal(extractEntities('次の巻はいつ出ますか？', 'ja').volumeRef, 'next');
  assert.equal(extractEntities('フリーレンの新刊はいつ発売？', 'ja').volumeRef, 'next');
  assert.equal(extractEntities('how much is the last volume?', 'en').volumeRef, 'last');
  assert.equal(extractEntities('最終巻はいくら？', 'ja').volumeRef, 'last');
  assert.equal(extractEntities('what about the digital edition?', 'en').format, 'digital');
  assert.equal(extractEntities('じゃあ電子版は？', 'ja').format, 'digital');
  assert.equal(extractEntities('完全版の1巻っていくら？', 'ja').format, 'kanzenban');
  assert.equal(extractEntities('完全版の1巻っていくら？', 'ja').volume, 1);
  assert.equal(extractEntities('is the complete set available?', 'en').status, undefined);
});

test('"short" is about the book, not a character', () => {
  assert.equal(extractEntities('manga about a high school volleyball team with a really short spiker', 'en').shorter, undefined);
  assert.equal(extractEntities('a short horror manga', 'en').shorter, true);
  assert.equal(extractEntities('something short please', 'en').shorter, true);
  assert.equal(extractEntities('I want something shorter', 'en').shorter, true);
});

test('an audience is who the books are for, not who is in them', () => {
  assert.equal(extractEntities('the one where the dad is a spy, the mom is an assassin and the kid reads minds', 'en').audience, undefined);
  assert.equal(extractEntities('kids manga please', 'en').audience, 'child');
  assert.equal(extractEntities('my son loves soccer', 'en').audience, 'child');
  assert.equal(extractEntities('鬼滅の刃の続きの巻って出ますか？', 'ja').volumeRef, 'next');
});

test('a lower volume limit and authors ruled out', () => {
  assert.equal(extractEntities('I want a long fantasy series, at least 30 volumes', 'en').minVolumes, 30);
  assert.equal(extractEntities('more than 20 volumes', 'en').minVolumes, 21);
  assert.equal(extractEntities('30巻以上ある長編ファンタジー', 'ja').minVolumes, 30);
  assert.equal(extractEntities('a long romance series', 'en').minVolumes, 20);
  assert.deepEqual(extractEntities('any romance that is not by Ai Yazawa?', 'en').excludeAuthorQueries, ['ai yazawa']);
  assert.deepEqual(extractEntities('矢沢あい以外の作家で恋愛漫画', 'ja').excludeAuthorQueries, ['矢沢あい']);
  assert.equal(extractEntities('矢沢あい以外の作家で恋愛漫画', 'ja').excludeQueries, undefined);
  assert.equal(extractEntities("I've already read all of those, anything else?", 'en').excludeQueries, undefined);
});

test('several volumes at once, in both languages; a long run is every volume of it (the answer sums them in one line)', () => {
  const cases: Array<[string, number[] | undefined]> = [
    ['ok and volume 2 and 3?', [2, 3]],
    ['vols 1-3 price', [1, 2, 3]],
    ['the first three volumes', [1, 2, 3]],
    ['vol 2 & vol 3', [2, 3]],
    ['2巻と3巻ください', [2, 3]],
    ['1〜3巻の在庫', [1, 2, 3]],
    ['1巻から3巻', [1, 2, 3]],
    ['volumes 1-20', Array.from({ length: 20 }, (_, i) => i + 1)],
    ['volumes 20-1', undefined],
    ['vol 3', undefined],
  ];
  for (const [text, want] of cases) assert.deepEqual(extractEntities(text, 'en').volumes, want, text);
  assert.equal(extractEntities('2巻と3巻ください', 'ja').volume, 2);
});

test('more ways to rule a genre out, and several titles at once', () => {
  const cases: Array<[string, string[]]> = [
    ["I don't want anything with gore", ['Gore']],
    ['no romance please', ['Romance']],
    ['恋愛要素なしで', ['Romance']],
    ['グロいのは無理', ['Gore']],
    ['エロはなし', ['Ecchi']],
    ['nothing too violent', ['Gore']],
  ];
  for (const [text, tags] of cases) {
    const e = extractEntities(text, 'en');
    assert.deepEqual(e.excludeTags, tags, text);
    assert.ok(!e.genres.some((g) => tags.includes(g)) && !e.themes.some((t) => tags.includes(t)), text);
  }
  assert.deepEqual(extractEntities('not Naruto or Bleach', 'en').excludeQueries, ['naruto', 'bleach']);
  assert.deepEqual(extractEntities('ワンピースとナルト以外で', 'ja').excludeQueries, ['ワンピース', 'ナルト']);
  assert.equal(extractEntities('how much for all of them?', 'en').wholeSeries, true);
  assert.equal(extractEntities('全巻でいくら？', 'ja').wholeSeries, true);
  assert.equal(extractEntities('全巻セットはありますか', 'ja').wholeSeries, undefined);
  assert.equal(extractEntities('manga for all ages', 'en').wholeSeries, undefined);
});

test('negations rule out every genre of their list, with words between, in both languages', () => {
  const cases: Array<[string, string[]]> = [
    ['グロいのとホラーは苦手です。おすすめは？', ['Gore', 'Horror']],
    ['ホラーもグロも無理', ['Horror', 'Gore']],
    ['ホラーやグロはちょっと苦手かな', ['Horror', 'Gore']],
    ['ホラーはあんまり好きじゃない', ['Horror']],
    ['recommend something without all the gore', ['Gore']],
    ['no horror or gore please', ['Horror', 'Gore']],
    ['no horror, gore or romance please', ['Horror', 'Gore', 'Romance']],
    ["I'm not really into romance, something funny?", ['Romance']],
    ['not a fan of gore but I love action', ['Gore']],
    ['I really don\'t want anything with graphic violence', ['Gore']],
    ['please not another isekai', ['Isekai']],
    ["I'm so done with isekai", ['Isekai']],
    ['horror isn\'t my thing', ['Horror']],
    ['romance is a hard pass for me, action?', ['Romance']],
    ['恋愛は興味ない', ['Romance']],
    ['異世界ものはもういい', ['Isekai']],
  ];
  for (const [text, tags] of cases) {
    const e = extractEntities(text, 'en');
    assert.deepEqual([...(e.excludeTags ?? [])].sort(), [...tags].sort(), text);
    for (const tag of tags) assert.ok(!e.genres.includes(tag) && !e.themes.includes(tag), `${text}: ${tag} is no wish`);
  }
  // What follows the list is still wished for.
  assert.deepEqual(extractEntities('no romance, action please', 'en').genres, ['Action']);
  assert.deepEqual(extractEntities('恋愛要素なしで、アクション系', 'ja').genres, ['Action']);
  assert.deepEqual(extractEntities('nothing but horror please', 'en').genres, ['Horror']);
  assert.deepEqual(extractEntities("I love horror, it's my thing", 'en').genres, ['Horror']);
  assert.deepEqual(extractEntities('sports are not my thing, any mystery?', 'en').genres, ['Mystery']);
});

test('a narrower word ruled out rules out its topic, not its tag: "sports, but no basketball"', () => {
  const en = extractEntities('sports manga but no basketball or volleyball this time', 'en');
  assert.deepEqual(en.genres, ['Sports']);
  assert.deepEqual(en.excludeTopics, ['basketball', 'volleyball']);
  assert.equal(en.excludeTags, undefined);
  const ja = extractEntities('スポーツ漫画でおすすめある？バスケとバレー以外で', 'ja');
  assert.deepEqual(ja.genres, ['Sports']);
  assert.deepEqual(ja.excludeTopics, ['バスケ', 'バレー']);
  assert.deepEqual(extractEntities('basketball manga please', 'en').genres, ['Sports']);
});

test('"long" ruled out asks for something short, never for a long series', () => {
  for (const text of ['長いのは嫌です。おすすめある？', '長編は苦手', '巻数が多いのは無理', 'I don\'t want anything long', 'nothing too long, maybe fantasy', 'no long series please', 'not a long one']) {
    const e = extractEntities(text, 'en');
    assert.equal(e.minVolumes, undefined, text);
    assert.equal(e.shorter, true, text);
  }
  for (const text of ['something long please', '長編が読みたい', 'a long series, at least 30 volumes']) assert.ok((extractEntities(text, 'en').minVolumes ?? 0) >= 20, text);
});

test('a ruled-out name drops what trails it, and is an author when the catalog says so', async () => {
  const { withAuthorsRuledOut } = await import('../../src/understanding/entities.ts');
  const e = extractEntities('a horror manga, not Junji Ito tho', 'en');
  assert.deepEqual(e.excludeQueries, ['junji ito']);
  const named = () => [{ text: 'junji ito', kind: 'author' as const }];
  const moved = withAuthorsRuledOut(e, named);
  assert.deepEqual(moved.excludeAuthorQueries, ['junji ito']);
  assert.equal(moved.excludeQueries, undefined);
  // A title ruled out stays a title.
  const title = withAuthorsRuledOut(extractEntities('like Berserk but not Gantz', 'en'), () => [{ text: 'gantz', kind: 'title' as const }]);
  assert.deepEqual(title.excludeQueries, ['gantz']);
});

test('award-winning is the catalog\'s Award Winning genre', () => {
  for (const text of ['which manga have won awards?', 'any award-winning manga?', 'prize winning series please', '受賞した漫画ある？', '賞を取った漫画を教えて']) {
    assert.deepEqual(extractEntities(text, 'en').genres, ['Award Winning'], text);
  }
});

test('a lower volume limit ruled out is an upper limit: "nothing over 20 volumes", 「20巻以上は無理」', () => {
  const cases: Array<[string, number]> = [
    ['recommend me something finished, nothing over 20 volumes please', 20],
    ['no series over 15 volumes', 15],
    ['nothing longer than 30 volumes and no sports', 30],
    ["i don't want anything more than 12 books", 12],
    ['20巻以上あるのは無理なので、完結してる恋愛漫画は？', 19],
    ['10巻以上のは避けたいです', 9],
    ['30巻を超えるのは嫌', 30],
    ['二十巻以上はちょっと無理かな', 19],
    ['１５巻以上は読めないです', 14],
    ['15巻超えはNGで', 15],
  ];
  for (const [text, max] of cases) {
    const e = extractEntities(text, 'en');
    assert.equal(e.maxVolumes, max, text);
    assert.equal(e.minVolumes, undefined, text);
  }
  // Asked for, it stays a lower limit.
  assert.equal(extractEntities('something over 20 volumes', 'en').minVolumes, 21);
  assert.equal(extractEntities('20巻以上の長編が読みたい', 'ja').minVolumes, 20);
});

test('Japanese negations ruled out with じゃなくて, 避けたい, kana spellings, and blood words are gore', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['怖いのとか血が出るのは避けたいんですが、何かおすすめありますか？', [], ['Horror', 'Gore']],
    ['ホラーじゃなくて、笑える漫画ない？', ['Comedy'], ['Horror']],
    ['こわいのはいやです。ほのぼのしたまんがありますか', [], ['Horror']],
    ['流血シーンは苦手です', [], ['Gore']],
    ['恋愛ではなくてアクションがいい', ['Action'], ['Romance']],
  ];
  for (const [text, genres, out] of cases) {
    const e = extractEntities(text, 'ja');
    for (const g of genres) assert.ok(e.genres.includes(g), `${text}: ${g}`);
    for (const t of out) assert.ok(e.excludeTags?.includes(t), `${text}: not ${t}`);
    assert.ok(!e.genres.includes('Horror') || !out.includes('Horror'), text);
  }
});

test('moods that name a genre: a story to cry over is a drama', () => {
  for (const text of ['泣ける漫画が読みたいです', '号泣できるやつ教えて', '感動して泣ける完結済みの漫画', 'I need a real tearjerker manga', 'something that will make me cry', 'a heartbreaking story please', '切ない恋愛漫画']) {
    assert.ok(extractEntities(text, 'en').genres.includes('Drama'), text);
  }
});

test('the shortest or longest of several series', async () => {
  const { extractSuperlative } = await import('../../src/understanding/constraints.ts');
  for (const text of ["what's the shortest thing Inio Asano wrote?", '浦沢直樹の作品でいちばん短いのは？', 'which of hers has the fewest volumes', '最短の作品は？', '巻数が一番少ないのはどれ'])
    assert.equal(extractSuperlative(text), 'shortest', text);
  for (const text of ['the longest one by Tezuka?', '手塚治虫の一番長い作品は？', '最長のシリーズ']) assert.equal(extractSuperlative(text), 'longest', text);
  for (const text of ['a short manga please', 'is it long?', '短めの漫画']) assert.equal(extractSuperlative(text), undefined, text);
});

test('a teenager in the story is not the reader: no audience from a description', () => {
  for (const text of ['the manga about a lonely teenage boy who plays shogi professionally', 'プロ棋士の高校生が主人公の将棋漫画', 'a teen who can read minds', 'manga where the main character is a high school detective', '主人公が中学生の漫画']) {
    assert.equal(extractEntities(text, 'en').audience, undefined, text);
  }
  for (const text of ['manga for teens', 'something for my teenage son', '中学生の娘におすすめ', '高校生向けの漫画', 'good for a teenager?']) assert.equal(extractEntities(text, 'en').audience, 'teen', text);
});

test('a volume in romaji Japanese: "dai 10 kan", "10 kan", "5-kanme"', () => {
  const cases: Array<[string, number]> = [['jujutsu kaisen dai 10 kan', 10], ['one piece 100 kan', 100], ['naruto 5-kanme', 5], ['kimetsu no yaiba dai-3-kan onegai', 3]];
  for (const [text, volume] of cases) assert.equal(extractVolume(text), volume, text);
  assert.equal(extractVolume('kan kan kan'), undefined);
});

test('more ways to say finished, ongoing, single-digit and more than N volumes', () => {
  for (const text of ['something that has an ending please', 'a romance that is already wrapped up', 'no longer running is fine', 'もう終わってる漫画がいい', '連載終了した作品で', '全巻出てるやつ'])
    assert.equal(extractEntities(text, 'en').status, 'finished', text);
  for (const text of ['still releasing is ok', 'まだ続いてる作品', 'not over yet']) assert.equal(extractEntities(text, 'en').status, 'publishing', text);
  assert.equal(extractEntities('ワンピースは読み終わってるので他のを', 'ja').status, undefined);
  for (const text of ['something with single digit volumes', '巻数が1桁の漫画', '一桁巻で終わるやつ']) assert.equal(extractEntities(text, 'en').maxVolumes, 9, text);
  assert.equal(extractEntities('30巻超えの長編', 'ja').minVolumes, 31);
  assert.equal(extractEntities('50巻を超える漫画ある？', 'ja').minVolumes, 51);
});

test('a reader said outright stays the reader, whatever follows: "for a teen who likes mysteries"', () => {
  for (const text of ['something for a teenager who loves detective stories', 'a manga for a teen who likes mysteries', 'my teenager who loves sports wants manga']) assert.equal(extractEntities(text, 'en').audience, 'teen', text);
});

test('a setting or a kind ruled out after "isn\'t set in" or 「…は除いて」 is ruled out, and それ is no title ruled out', () => {
  assert.deepEqual(extractEntities("hmm, something that isn't set in a school please").excludeTags, ['School']);
  assert.deepEqual(extractEntities('学校が舞台のものは除いてください').excludeTags, ['School']);
  assert.deepEqual(extractEntities('ホラーを除いて').excludeTags, ['Horror']);
  assert.deepEqual(extractEntities('ヴィンランド・サガはもう持ってるから、それ以外で').excludeQueries, ['ヴィンランド・サガ']);
  assert.deepEqual(extractEntities('a seinen manga about history').themes, ['Historical']);
  // Asked for, the setting stays a wish.
  assert.deepEqual(extractEntities('a story set in a school').themes, ['School']);
});
