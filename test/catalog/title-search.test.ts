// Title search as findSeries uses it: titleQuery() then the name index, a series "named" at a
// score of 0.55 or more (the pipeline's NAMED_SERIES_SCORE). The catalog is the shipped one plus
// records the way the MyAnimeList import writes them (romaji or English title only, no
// Japanese title), including junk-prone names that many unrelated works share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildNameIndex, loadNameIndex, type NameIndex } from '../../src/catalog/name-index.ts';
import { parseJsonlCatalog } from '../../src/catalog/jsonl.ts';
import { titleQuery, titleSearch } from '../../src/chat/title-query.ts';
import { NO_READINGS, createReadingWorker, searchWithReadings, type Readings } from '../../src/catalog/readings.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { isRomajiWord, loanFold, loanwordRomaji, kanaToRomaji } from '../../src/catalog/kana.ts';
import type { Series } from '../../src/catalog/types.ts';

const NAMED = 0.55;
const shipped = parseJsonlCatalog(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8')).series;

/** An imported record: what the MAL import gives (no Japanese title, no synopsis). */
function imported(id: string, title: string, author: string, extra: Partial<Omit<Series, 'status'>> = {}): Series {
  return { id, title, authors: [author], genres: ['Action'], themes: [], status: 'finished', popularityRank: 5000, ...extra };
}

const imports: Series[] = [
  imported('kuroshitsuji', 'Kuroshitsuji', 'Yana Toboso', { titleEn: 'Black Butler', popularityRank: 80 }),
  imported('boku-dake-ga-inai-machi', 'Boku dake ga Inai Machi', 'Kei Sanbe', { titleEn: 'Erased', popularityRank: 90 }),
  imported('soul-eater', 'Soul Eater', 'Atsushi Ookubo', { popularityRank: 70 }),
  imported('shaman-king', 'Shaman King', 'Hiroyuki Takei', { popularityRank: 150, aliases: ['Shaman King Kanzenban'] }),
  imported('black-lagoon', 'Black Lagoon', 'Rei Hiroe', { popularityRank: 200 }),
  imported('liar-game', 'Liar Game', 'Shinobu Kaitani', { popularityRank: 117 }),
  imported('nisekoi', 'Nisekoi', 'Naoshi Komi', { titleEn: 'Nisekoi: False Love', popularityRank: 100 }),
  // Words in many unrelated titles: a customer saying them names none of these.
  imported('next-life', 'Next Life', 'Author A'),
  imported('next-door', 'Next Door Girl', 'Author B'),
  imported('next-stage', 'Next Stage', 'Author C'),
  imported('the-next-day', 'The Next Day', 'Author D'),
  imported('next-generation', 'Next Generation', 'Author E'),
  imported('the-second-coming', 'The Second Coming', 'Author F'),
  imported('second-chance', 'Second Chance', 'Author G'),
  imported('my-second-life', 'My Second Life', 'Author H'),
  imported('last-game', 'Last Game', 'Author I'),
  imported('ju-on-volume-2', 'Ju-On Volume 2', 'Author J'),
  imported('series', 'Series', 'Hachi Ishie'),
  imported('samurai-deeper', 'Samurai Deeper Kyo', 'Akimine Kamijyo'),
  imported('bakery-love', 'Yakitate!! Japan', 'Takashi Hashiguchi', { titleEn: 'Fresh-Baked!! Japan' }),
  // Titles made of request words, with punctuation, sequels named after their parent, editions.
  imported('kimi-no-na-wa', 'Kimi no Na wa.', 'Makoto Shinkai', { titleEn: 'Your Name.', popularityRank: 164 }),
  imported('no-name', 'No\\Name', 'Rafal Jaki', { popularityRank: 12292 }),
  imported('i-am-a-hero', 'I Am a Hero', 'Kengo Hanazawa', { popularityRank: 132 }),
  imported('tokyo-ghoul-re', 'Tokyo Ghoul:re', 'Sui Ishida', { popularityRank: 21, parentId: 'tokyo-ghoul' }),
  imported('tokyo-ghoul-jack', 'Tokyo Ghoul: "Jack"', 'Sui Ishida', { popularityRank: 576, parentId: 'tokyo-ghoul' }),
  imported('jujutsu-kaisen-0', ': Tokyo Toritsu Jujutsu Koutou Senmon Gakkou', 'Gege Akutami', { titleEn: 'Jujutsu Kaisen 0', popularityRank: 127, parentId: 'jujutsu-kaisen' }),
  imported('shaman-king-zero', 'Shaman King Zero', 'Hiroyuki Takei', { popularityRank: 2505, parentId: 'shaman-king' }),
  imported('jibaku-shounen-hanako-kun', 'Jibaku Shounen Hanako-kun', 'Iro Aida', { titleEn: 'Toilet-Bound Hanako-kun', popularityRank: 113 }),
  imported('bungou-stray-dogs', 'Bungou Stray Dogs', 'Kafka Asagiri', { titleEn: 'Bungo Stray Dogs', popularityRank: 157 }),
  imported('imawa-no-kuni-no-alice', 'Imawa no Kuni no Alice', 'Haro Aso', { titleEn: 'Alice in Borderland', popularityRank: 187 }),
  imported('ookami-to-koushinryou', 'Ookami to Koushinryou', 'Isuna Hasekura', { titleEn: 'Spice & Wolf', popularityRank: 416 }),
  imported('assassine', 'Assassine', 'Author K'),
  imported('the-ship', 'The Ship', 'Author L'),
  imported('canada-story', 'Kanada Monogatari', 'Author M'),
  // "Monster" is in many titles, as in a real import: モンスター is an ordinary word too.
  imported('monster-musume', 'Monster Musume no Iru Nichijou', 'Okayado'),
  imported('monster-hunter-orage', 'Monster Hunter Orage', 'Hiro Mashima'),
  imported('monster-soul', 'Monster Soul', 'Hiro Mashima'),
  // Mixed-script and loanword titles next to titles their words could be taken for.
  imported('to-love-ru', 'To LOVE-Ru', 'Kentarou Yabuki', { titleEn: 'To Love Ru', popularityRank: 236 }),
  imported('to-love-ru-darkness', 'To LOVE-Ru Darkness', 'Kentarou Yabuki', { titleEn: 'To Love Ru: Darkness', popularityRank: 338 }),
  imported('travel', 'Travel', 'Yuuichi Yokoyama', { popularityRank: 17733 }),
  imported('koi', 'Koi', 'CLAMP', { titleEn: 'Love', popularityRank: 12185 }),
  imported('imouto-loveru', 'Imouto Loveru', 'Yukako Nekomura', { popularityRank: 14889 }),
  // Family names many authors share: the famous one is meant.
  imported('komi-san', 'Komi-san wa, Komyushou desu.', 'Tomohito Oda', { titleEn: "Komi Can't Communicate", popularityRank: 28 }),
  imported('beauty', 'Beauty', 'Aya Oda', { popularityRank: 4893 }),
  imported('coo-no-sekai', 'Coo no Sekai', 'Hideji Oda', { popularityRank: 9666 }),
  // Kanji titles the reading dictionary reads oddly (炎炎ノ消防隊, 血界戦線), beside titles sharing their words.
  imported('enen-no-shouboutai', 'Enen no Shouboutai', 'Atsushi Ookubo', { titleEn: 'Fire Force', popularityRank: 118 }),
  imported('kekkai-sensen', 'Kekkai Sensen', 'Yasuhiro Nightow', { titleEn: 'Blood Blockade Battlefront', popularityRank: 1187 }),
  imported('choujin-sensen', 'Choujin Sensen', 'Kazutoshi Yamane', { titleEn: 'The Throne of Superman', popularityRank: 15525 }),
  imported('majuu-sensen', 'Majuu Sensen', 'Ken Ishikawa', { popularityRank: 24806 }),
];
const catalog = [...shipped, ...imports];
const index: NameIndex = buildNameIndex(catalog);

/** The series a customer's message names, best first (what findSeries would card by name: the title query, with the message around it). */
function named(message: string, idx: NameIndex = index): string[] {
  const { query, context } = titleSearch(message);
  return query ? idx.search(query, 5, { context }).filter((h) => h.score >= NAMED).map((h) => h.series.id) : [];
}

test('bare follow-ups and unknown titles name no series, though titles share their words', () => {
  for (const message of ['next', 'the second one', 'is there a next volume?', 'what about the series', 'Quantum Samurai Bakery volume 2', 'do you have Crimson Lighthouse Detective?', '量子侍ベーカリーの2巻ありますか', '在庫ありますか？', '次の巻はいつ出ますか']) {
    assert.deepEqual(named(message), [], message);
  }
});

test('a title named in full is found even when it is made of common words', () => {
  assert.equal(named('do you have Next Life?')[0], 'next-life');
  assert.equal(named('Last Game volume 3')[0], 'last-game');
});

test('kana spellings of romaji titles meet them (hiragana, katakana, long-vowel marks)', () => {
  assert.equal(named('きめつのやいば')[0], 'kimetsu-no-yaiba');
  assert.equal(named('しんげきのきょじんの1巻')[0], 'shingeki-no-kyojin');
  assert.equal(named('ちぇんそーまん')[0], 'chainsaw-man');
  assert.equal(named('ニセコイ置いてますか？')[0], 'nisekoi');
});

test('katakana loanwords meet English titles an import left without a Japanese name', () => {
  assert.equal(named('ソウルイーターの漫画ありますか？')[0], 'soul-eater');
  assert.equal(named('シャーマンキング')[0], 'shaman-king');
  assert.equal(named('ブラックラグーン')[0], 'black-lagoon');
  assert.equal(named('ライアーゲームって置いてる？')[0], 'liar-game');
  // Made-up katakana names stay unknown.
  assert.deepEqual(named('ギャラクティックオリガミウォーズ'), []);
});

test('loanword spelling rules: a katakana word and its English spelling fold to the same romaji', () => {
  const same = (english: string, katakana: string) => assert.equal(loanFold(english.split(' ').map(loanwordRomaji).join('')), loanFold(kanaToRomaji(katakana)), `${english} / ${katakana}`);
  same('soul eater', 'ソウルイーター');
  same('black clover', 'ブラッククローバー');
  same('hunter hunter', 'ハンターハンター');
  same('monster', 'モンスター');
  same('slam dunk', 'スラムダンク');
  // An i before another vowel in the first syllable is the "ai" katakana writes: ライアー, ライオン, ダイヤモンド.
  same('liar', 'ライアー');
  same('lion', 'ライオン');
  same('trial', 'トライアル');
  same('dial', 'ダイアル');
  assert.ok(isRomajiWord('kimetsu') && isRomajiWord('shingeki') && !isRomajiWord('soul') && !isRomajiWord('eater'));
});

test('Japanese author names find their works, with honorifics and "works of" around them', () => {
  assert.ok(named('井上雄彦').includes('slam-dunk'));
  assert.ok(named('井上雄彦さんの作品って何がありますか').includes('vagabond'));
  assert.equal(named('尾田栄一郎の漫画')[0], 'one-piece');
});

test('a subtitle is a name of its own', () => {
  assert.equal(named('Steel Ball Run')[0], 'jojo-steel-ball-run');
  assert.equal(named('do you have Demon Slayer vol 5?')[0], 'kimetsu-no-yaiba');
});

test('one typo in a word is forgiven, the first letter is not', () => {
  assert.equal(named('jujustu kaisen')[0], 'jujutsu-kaisen');
  assert.equal(named('vinlnad saga')[0], 'vinland-saga');
  assert.equal(named('demon slyer vol 5')[0], 'kimetsu-no-yaiba');
  assert.deepEqual(named('xerserk'), []);
});

test('a volume number after the title does not count against it', () => {
  assert.equal(named('I want to preorder Blue Lock 35, when does it come out?')[0], 'blue-lock');
  assert.equal(named('never mind, is Vagabond volume 2 in stock?')[0], 'vagabond');
});

test('a title inside a longer English sentence is found: ages, places, prices, formats and a second question around it are not part of it', () => {
  const cases: Array<[string, string]> = [
    ["what's cheaper for Chainsaw Man vol 3, the ebook or the paperback?", 'chainsaw-man'],
    ["I'm in Canada. could you ship Berserk 1-3 to Vancouver?", 'berserk'],
    ["I'm 17, am I allowed to buy Tokyo Ghoul?", 'tokyo-ghoul'],
    ['my budget is ¥3,000, can I get the first three volumes of Dandadan?', 'dandadan'],
    ['My son wants Naruto volume 72 for his birthday, do you gift wrap?', 'naruto'],
    ['need Noragami-free shipping? no: is Vinland Saga 14 in stock and how long to Germany', 'vinland-saga'],
    ['The anime got me hooked on Frieren, do you sell the english version?', 'sousou-no-frieren'],
    ['i need the 3rd volume of blue box asap, is express shipping a thing?', 'ao-no-hako'],
    ['heard good things about Look Back, is it only one volume?', 'look-back'],
    ['Good evening. I would like to purchase Fruits Basket, volumes 1 through 4.', 'fruits-basket'],
    ['is Erased finished? how many volumes', 'boku-dake-ga-inai-machi'],
    ['hey do you have i am a hero? my brother wants it for christmas', 'i-am-a-hero'],
    ['i want to buy one peice 100 and 101, how much for both?', 'one-piece'],
    ['do you have jujustu kaisen vol 25 in stock?', 'jujutsu-kaisen'],
  ];
  for (const [message, id] of cases) assert.equal(named(message)[0], id, message);
});

test('a title inside a Japanese sentence is found, with particles, requests and a second question around it', () => {
  const cases: Array<[string, string]> = [
    ['チェンソーマンの3巻って電子版と紙どっちが安いですか？', 'chainsaw-man'],
    ['カナダに住んでるんですけど、ベルセルク1〜3巻を送ってもらえますか？', 'berserk'],
    ['17歳ですが、東京喰種は買えますか？', 'tokyo-ghoul'],
    ['海外発送で鬼滅の刃を買いたいです。アメリカまで何日かかりますか', 'kimetsu-no-yaiba'],
    ['銀魂の電子書籍版はありますか？紙の本も欲しいです', 'gintama'],
    ['3000円以内でダンダダンを何冊買えますか', 'dandadan'],
    ['北海道なんですが、キングダムの70巻は何日で届きますか', 'kingdom'],
    ['お世話になっております。鋼の錬金術師の完全版は取り扱いございますか。', 'fullmetal-alchemist'],
    ['Berserkの3巻ある？', 'berserk'],
    ['ワンピース vol 100 price pls', 'one-piece'],
    ['Frierenの新刊いつ？', 'sousou-no-frieren'],
    ['ゴールデンカムイを1巻から読みたいんですけど、在庫ありますか？', 'golden-kamuy'],
  ];
  for (const [message, id] of cases) assert.equal(named(message)[0], id, message);
});

test('acronyms of popular titles are names of theirs, made from the words of their titles', () => {
  const cases: Array<[string, string]> = [
    ['do you sell TBHK? my sister loves it', 'jibaku-shounen-hanako-kun'],
    ['BSD vol 20 in english?', 'bungou-stray-dogs'],
    ['KNY full set how much', 'kimetsu-no-yaiba'],
    ['is AoT vol 34 still available?', 'shingeki-no-kyojin'],
    ['how many volumes of HxH are out', 'hunter-x-hunter'],
    ['TPN complete set price?', 'yakusoku-no-neverland'],
    ['i want to read SxF, which vol is the newest', 'spy-x-family'],
    ['Do you have AOT in English?', 'shingeki-no-kyojin'],
    ['tbhk', 'jibaku-shounen-hanako-kun'],
    ['MHA vol 40 price pls', 'boku-no-hero-academia'],
  ];
  for (const [message, id] of cases) assert.equal(named(message)[0], id, message);
  // Letters that are a word of some title are never an acronym; nor are those of an obscure series.
  const acronyms = index.search('tbhk', 5).map((h) => h.matchedOn);
  assert.deepEqual(acronyms.slice(0, 1), ['acronym']);
  assert.deepEqual(named('lol do you have anything like that'), []);
});

test('the start of a Japanese title customers shorten it to is found where it stands apart', () => {
  const cases: Array<[string, string]> = [
    ['ワンピの105巻ある？', 'one-piece'],
    ['鬼滅の最終巻いくらですか', 'kimetsu-no-yaiba'],
    ['呪術の最新刊っていつ出ますか？', 'jujutsu-kaisen'],
    ['チェンソーの2巻在庫ある？', 'chainsaw-man'],
    ['進撃の最終巻ください', 'shingeki-no-kyojin'],
    ['薬屋の新刊はもう出ましたか', 'kusuriya-no-hitorigoto'],
    ['五等分の全巻セットほしい', 'go-toubun-no-hanayome'],
    ['食戟の最終巻ってありますか', 'shokugeki-no-souma'],
    ['攻殻の漫画って売ってますか', 'koukaku-kidoutai'],
    ['逃げ上手の新刊いつ出る？', 'nige-jouzu-no-wakagimi'],
    ['じゃあワンピは？', 'one-piece'],
  ];
  for (const [message, id] of cases) assert.equal(named(message)[0], id, message);
  // Not the start of a longer word, nor an ordinary word of a story: 殺し屋 is no shortening of 殺し屋1.
  assert.ok(!named('引退した殺し屋がコンビニを経営する話').includes('koroshiya-ichi'));
  assert.ok(!named('ダンジョンでモンスターを料理して食べる漫画').includes('monster'));
});

test('titles with punctuation, and a sequel named exactly ranks before the work it follows', () => {
  assert.equal(named('do you have Your Name.?')[0], 'kimi-no-na-wa');
  assert.equal(named('hi, is the manga of Your Name. still sold here?')[0], 'kimi-no-na-wa');
  assert.equal(named('Yotsuba&! vol 15')[0], 'yotsuba-to');
  assert.equal(named('Kaguya-sama: Love Is War volume 3')[0], 'kaguya-sama-wa-kokurasetai');
  assert.equal(named('Spice and Wolf 2 please')[0], 'ookami-to-koushinryou');
  assert.equal(named('Tokyo Ghoul:re vol 1')[0], 'tokyo-ghoul-re');
  assert.equal(named('do you have tokyo ghoul re volume 16?')[0], 'tokyo-ghoul-re');
  assert.equal(named('東京喰種:reの1巻')[0], 'tokyo-ghoul-re');
  // 東京喰種 is Tokyo Ghoul's whole name, not the start of 東京喰種 jack.
  assert.ok(!named('東京喰種:reの1巻ありますか').includes('tokyo-ghoul-jack'));
  assert.equal(named('東京喰種の1巻ありますか')[0], 'tokyo-ghoul');
  assert.equal(named('Jujutsu Kaisen 0 price')[0], 'jujutsu-kaisen-0');
  assert.equal(named('is Jujutsu Kaisen 0 in stock?')[0], 'jujutsu-kaisen-0');
  assert.equal(named('Shaman King Zero')[0], 'shaman-king-zero');
  // ...and the work itself is still the work.
  assert.equal(named('Jujutsu Kaisen 3 price')[0], 'jujutsu-kaisen');
  assert.equal(named('Tokyo Ghoul volume 2')[0], 'tokyo-ghoul');
  assert.equal(named('Shaman King kanzenban 3')[0], 'shaman-king');
});

test('edition words, ages, places and formats alone name nothing; unknown titles and stories inside sentences neither', () => {
  for (const message of [
    'kanzenban',
    'is the kanzenban edition more expensive?',
    'is the digital version cheaper than print?',
    "I'm 17, can I buy manga here?",
    'do you ship to Canada? how much is it to Toronto?',
    "what's the price of the box set?",
    'Quantum Samurai Bakery volume 2 please',
    'a manga about an assassin who adopts a kid',
    'I am looking for a manga called Silver Fox Detective Agency',
    '完全版ってありますか',
    '17歳でも買えますか？',
    '電子版と紙の本、どっちが安いですか？',
    '量子侍ベーカリーの2巻ありますか',
  ]) {
    assert.deepEqual(named(message), [], message);
  }
});

/** A dictionary that knows the readings it is given. */
function fakeReadings(known: Record<string, string>, state: Readings['state'] = 'ready'): Readings & { asked: string[] } {
  const asked: string[] = [];
  return {
    state,
    asked,
    async read(text: string) {
      asked.push(text);
      return known[text];
    },
  };
}

test('kanji of a romaji-only title are found through their reading once the dictionary is ready', async () => {
  const readings = fakeReadings({ 黒執事: 'クロシツジ', 僕だけがいない街: 'ボクダケガイナイマチ' });
  const ids = async (q: string, r: Readings) => (await searchWithReadings(() => index, q, 5, r)).filter((h) => h.score >= NAMED).map((h) => h.series.id);
  assert.equal((await ids('黒執事', readings))[0], 'kuroshitsuji');
  assert.equal((await ids('僕だけがいない街', readings))[0], 'boku-dake-ga-inai-machi');
  // A dictionary may unvoice the first sound (地縛 read chibaku for Jibaku), and the は ending a
  // title is taken by the request (「君の名はありますか」 asks for 君の名).
  const more = fakeReadings({ 地縛少年花子くん: 'チバクショウネンハナコクン', 君の名: 'キミノナ', 今際の国のアリス: 'イマワノクニノアリス' });
  assert.equal((await ids(titleSearch('地縛少年花子くんの1巻').query, more))[0], 'jibaku-shounen-hanako-kun');
  assert.equal((await ids(titleSearch('君の名はありますか').query, more))[0], 'kimi-no-na-wa');
  assert.equal((await ids(titleSearch('今際の国のアリスは置いてますか').query, more))[0], 'imawa-no-kuni-no-alice');
  assert.equal((await ids(titleSearch('君の名は。の漫画は完結していますか').query, more))[0], 'kimi-no-na-wa');
  // Words of the request left beside the title: its part with kanji is read on its own.
  assert.equal((await ids('黒執事 してい', readings))[0], 'kuroshitsuji');
  // A Japanese title the catalog has needs no reading: the dictionary is not asked.
  readings.asked.length = 0;
  assert.equal((await ids('進撃の巨人', readings))[0], 'shingeki-no-kyojin');
  assert.deepEqual(readings.asked, []);
  // Still loading: nothing is asked, nothing is found, nothing waits.
  const loading = fakeReadings({ 黒執事: 'クロシツジ' }, 'loading');
  assert.deepEqual(await ids('黒執事', loading), []);
  assert.deepEqual(loading.asked, []);
});

test('the SQLite catalog searches kanji by reading when given a dictionary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'title-search-'));
  const db = openDatabase(join(dir, 'catalog.sqlite'));
  try {
    const sqlite = createSqliteCatalog(db, { readings: fakeReadings({ 黒執事: 'クロシツジ' }) });
    await sqlite.upsertSeries(catalog);
    const hits = await sqlite.searchSeries(titleQuery('黒執事ってありますか'), { limit: 3 });
    assert.equal(hits[0]?.series.id, 'kuroshitsuji');
    assert.ok(hits[0].score >= NAMED);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the reading dictionary loads on its own thread and reads kanji; before that it answers nothing at once', async () => {
  const worker = createReadingWorker({ timeoutMs: 5000 });
  try {
    assert.equal(worker.state, 'off');
    assert.equal(await worker.read('黒執事'), undefined);
    worker.start();
    assert.equal(worker.state, 'loading');
    assert.equal(await worker.read('黒執事'), undefined);
    while (worker.state === 'loading') await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(worker.state, 'ready');
    assert.equal(await worker.read('黒執事'), 'クロシツジ');
    assert.equal(await worker.read('僕だけがいない街'), 'ボクダケガイナイマチ');
    // Particles as they are said, as romaji titles spell them: 君の名は → Kimi no Na wa.
    assert.equal(await worker.read('君の名は'), 'キミノナワ');
    // An unknown kanji leaves no reading rather than half of one.
    assert.equal(await worker.read('東京喰種'), undefined);
  } finally {
    await worker.close();
  }
  assert.equal(worker.state, 'off');
  assert.equal(await worker.read('黒執事'), undefined);
});

test('a stored index opens to the same search, and is refused once a name changed', () => {
  const bytes = index.serialize();
  const loaded = loadNameIndex(catalog, bytes);
  assert.ok(loaded);
  for (const q of ['Berserk', 'きめつのやいば', 'ソウルイーター', 'jujustu kaisen', '井上雄彦', 'next', 'Steel Ball Run']) {
    assert.deepEqual(loaded.search(q, 5).map((h) => [h.series.id, h.score]), index.search(q, 5).map((h) => [h.series.id, h.score]), q);
  }
  const renamed = catalog.map((s) => (s.id === 'soul-eater' ? { ...s, title: 'Soul Eater Not!' } : s));
  assert.equal(loadNameIndex(renamed, bytes), undefined);
  assert.equal(loadNameIndex(catalog.slice(1), bytes), undefined);
  assert.equal(loadNameIndex(catalog, new Uint8Array([1, 2, 3])), undefined);
});

test('the SQLite catalog stores its name index for the next process on the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'title-search-'));
  const file = join(dir, 'catalog.sqlite');
  const first = openDatabase(file);
  try {
    const sqlite = createSqliteCatalog(first);
    await sqlite.upsertSeries(catalog);
    assert.equal((await sqlite.searchSeries('Soul Eater', { limit: 1 }))[0]?.series.id, 'soul-eater');
    // Stored right after the build, off the search's turn.
    await new Promise((resolve) => setImmediate(resolve));
    const second = openDatabase(file);
    try {
      const row = second.prepare('SELECT data FROM catalog_name_index WHERE id = 1').get() as { data: Uint8Array } | undefined;
      assert.ok(row, 'a stored index');
      const reopened = createSqliteCatalog(second);
      const series = await reopened.allSeries();
      assert.ok(loadNameIndex(series, row.data), 'built from the names the catalog now has');
      assert.equal((await reopened.searchSeries('ソウルイーター', { limit: 1 }))[0]?.series.id, 'soul-eater');
    } finally {
      second.close();
    }
  } finally {
    first.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an import stores the index before it closes the file, so the next start opens it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'title-search-'));
  const file = join(dir, 'catalog.sqlite');
  try {
    const importer = openDatabase(file);
    const written = createSqliteCatalog(importer);
    await written.upsertSeries(catalog);
    written.storeNameIndex();
    importer.close();
    const service = openDatabase(file);
    try {
      const row = service.prepare('SELECT data FROM catalog_name_index WHERE id = 1').get() as { data: Uint8Array } | undefined;
      const reopened = createSqliteCatalog(service);
      assert.ok(row && loadNameIndex(await reopened.allSeries(), row.data), 'the stored index matches the imported names');
    } finally {
      service.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a volume count asked in Japanese and a volume in romaji Japanese are not part of the title', () => {
  for (const message of ['しんげきのきょじんは全何巻？', '進撃の巨人は全部で何巻ありますか', 'しんげきのきょじん 何巻まで出てる？', 'shingeki no kyojin dai 10 kan', 'shingeki no kyojin 3 kan kudasai', 'shingeki no kyojin 5-kanme']) {
    assert.equal(named(message)[0], 'shingeki-no-kyojin', message);
  }
  assert.equal(titleQuery('かぐやさまはこくらせたい 全何巻？'), 'かぐやさまはこくらせたい');
});

test('the words around an author ("what else did … draw", "works by", "stuff from") are not part of the name', () => {
  for (const [message, series] of [
    ['what else did Takehiko Inoue draw?', 'slam-dunk'],
    ['works by Junji Ito please', 'uzumaki'],
    ['any other stuff written by Naoki Urasawa?', 'monster'],
    ['show me manga the artist Inio Asano made', 'oyasumi-punpun'],
  ] as const) {
    assert.ok(named(message).includes(series), `${message}: ${named(message).join()}`);
  }
});

test('a mixed-script title (To LOVEる) and its kana pun (とらぶる) name it, not Love or Travel', () => {
  for (const message of ['To LOVEる', 'To LOVEるの1巻いくら', 'To LOVEるって何巻まで？', 'To LOVEる -とらぶる- ありますか', 'to LOVEるは完結してる？', 'To LOVEる全巻ほしい', 'とらぶるの1巻', 'とらぶる在庫ある？', 'do you have to love ru?', 'To Love-Ru vol 3 price']) {
    assert.equal(named(message)[0], 'to-love-ru', `${message}: ${named(message).join()}`);
  }
  assert.equal(named('とらぶるダークネス')[0], 'to-love-ru-darkness');
  // The words alone still name what they name.
  assert.equal(named('Travel')[0], 'travel');
  assert.equal(named('トラベル')[0], 'travel');
  assert.equal(named('Berserkの3巻')[0], 'berserk');
  assert.equal(named('ONE PIECEは何巻まで')[0], 'one-piece');
});

test('a family name alone names the famous author of it ("anything by Oda?"), not no one', () => {
  for (const message of ['anything by Oda?', 'something by oda pls', 'what has Oda drawn', 'books from Oda?', 'any Oda manga?']) {
    assert.equal(named(message)[0], 'one-piece', `${message}: ${named(message).join()}`);
  }
  for (const [message, series] of [["Urasawa's stuff", 'monster'], ['what else has urasawa done', 'monster'], ["Fujimoto's manga", 'chainsaw-man'], ['books by togashi', 'hunter-x-hunter'], ['Akutami works?', 'jujutsu-kaisen'], ['尾田の漫画', 'one-piece'], ['浦沢さんの作品', 'monster']] as const) {
    assert.ok(named(message).includes(series), `${message}: ${named(message).join()}`);
  }
  // The other author of that name is still found by the title.
  assert.equal(named("Komi Can't Communicate vol 3")[0], 'komi-san');
});

test("'last', 'final', 'latest' before a volume word pick the volume and are not searched as the title", () => {
  for (const [message, series] of [
    ['whats the price of the last dandadan volume', 'dandadan'],
    ['hows much is the final volume of naruto', 'naruto'],
    ['the very last berserk book, in stock?', 'berserk'],
    ['price of the newest frieren vol?', 'sousou-no-frieren'],
    ['what does the most recent one piece volume cost', 'one-piece'],
    ['the latest chainsaw man one pls', 'chainsaw-man'],
  ] as const) {
    assert.equal(named(message)[0], series, `${message}: ${named(message).join()}`);
    assert.doesNotMatch(titleSearch(message).query, /\b(last|final|latest|newest|recent|whats|hows)\b/i, message);
  }
  // A title that has the word keeps it.
  assert.equal(named('Last Game volume 3')[0], 'last-game');
  assert.equal(named('is the last game finished?')[0], 'last-game');
});

test('hiragana spellings of whole titles are titles, not particles', () => {
  for (const [message, series] of [['ですのーと', 'death-note'], ['ですのーとのさいしんかん', 'death-note'], ['ちぇんそーまんの1かんある？', 'chainsaw-man'], ['わんぴーすの最新刊', 'one-piece'], ['すぱいふぁみりー', 'spy-x-family'], ['はんたーはんたー', 'hunter-x-hunter'], ['しんげきのきょじん何巻まで', 'shingeki-no-kyojin']] as const) {
    assert.equal(named(message)[0], series, `${message}: ${named(message).join()}`);
  }
});

test('kanji titles the dictionary reads oddly: a doubled kanji, a compound it reads kanji by kanji', async () => {
  const worker = createReadingWorker({ timeoutMs: 5000 });
  try {
    worker.start();
    while (worker.state === 'loading') await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(await worker.read('炎炎ノ消防隊'), 'エンエンノショウボウタイ');
    // 血界 is not in the dictionary: its kanji read one by one are a guess, marked as one (then,
    // after a |, the same kanji each read on its own).
    assert.equal((await worker.read('血界戦線'))?.split('|')[0], '〔チカイ〕センセン');
    // A clipping in kanji (僕街 of 僕だけがいない街): 街 in the run is ガイ, alone マチ — both are tried.
    assert.equal(await worker.read('僕街'), '〔ボクガイ〕|〔ボクマチ〕');
    for (const message of ['僕街は何巻で完結？', '僕街の作者って誰？']) {
      const { query, context } = titleSearch(message);
      assert.equal((await searchWithReadings(() => index, query, 5, worker, { context })).filter((h) => h.score >= NAMED)[0]?.series.id, 'boku-dake-ga-inai-machi', message);
    }
    const find = async (message: string): Promise<string[]> => {
      const { query, context } = titleSearch(message);
      return (await searchWithReadings(() => index, query, 5, worker, { context })).filter((h) => h.score >= NAMED).map((h) => h.series.id);
    };
    for (const message of ['炎炎ノ消防隊', '炎炎ノ消防隊の1巻ある？', '炎炎ノ消防隊は完結してますか']) assert.equal((await find(message))[0], 'enen-no-shouboutai', message);
    for (const message of ['血界戦線', '血界戦線の1巻ありますか', '血界戦線って何巻まで？']) assert.deepEqual(await find(message), ['kekkai-sensen'], message);
    // A guess fits only names close to it: made-up kanji titles stay unknown.
    for (const message of ['猫犬鳥戦線', '量子侍パン屋の2巻']) assert.deepEqual(await find(message), [], message);
    assert.equal((await find('黒執事'))[0], 'kuroshitsuji');
  } finally {
    await worker.close();
  }
});

test('a fact asked about a title is no part of it: author, readership, when it began, a kind before it, particles a removed phrase left (「NANAの21巻の値段と在庫は？」)', () => {
  const more = buildNameIndex([...catalog, imported('noragami', 'Noragami', 'Adachitoka', { popularityRank: 95 }), imported('beck', 'Beck', 'Harold Sakuishi', { popularityRank: 400 }), imported('magi', 'Magi', 'Shinobu Ohtaka', { titleEn: 'Magi: The Labyrinth of Magic', popularityRank: 120 })]);
  const cases: [string, string][] = [
    ['ノラガミの作者は？', 'noragami'],
    ['ナナって少女漫画ですか？いつから連載？', 'nana'],
    ['NANAの21巻の値段と在庫は？', 'nana'],
    ['ドラゴンボールって少年漫画？連載はいつから？', 'dragon-ball'],
    ['音楽漫画のBECK、何巻まで出てる？', 'beck'],
    ['ちはやふるの作者って誰？', 'chihayafuru'],
    ["Magi - who's the author, and is it shounen or seinen?", 'magi'],
  ];
  for (const [message, id] of cases) assert.equal(named(message, more)[0], id, `${message} → ${titleSearch(message).query}`);
  // Kana titles that begin or end like a particle keep it (となりの怪物くん, よつばと!).
  for (const [message, query] of [['となりの怪物くんある？', 'となりの怪物くん'], ['よつばと！の新刊', 'よつばと'], ['からかい上手の高木さん', 'からかい上手の高木さん']] as const) assert.equal(titleSearch(message).query, query, message);
});

test('a Japanese query the request left words in is searched by its pieces: the title before って or の, the Latin run, the part after a franchise named before it', async () => {
  const more = buildNameIndex([
    ...catalog,
    imported('noragami', 'Noragami', 'Adachitoka', { titleEn: 'Noragami: Stray God', popularityRank: 95 }),
    imported('fumetsu-no-anata-e', 'Fumetsu no Anata e', 'Yoshitoki Ooima', { titleEn: 'To Your Eternity', popularityRank: 170 }),
    imported('akame-ga-kill', 'Akame ga Kill!', 'Takahiro', { popularityRank: 180 }),
    imported('jojo-part-5', 'JoJo no Kimyou na Bouken Part 5: Ougon no Kaze', 'Hirohiko Araki', { titleEn: "JoJo's Bizarre Adventure Part 5: Golden Wind", popularityRank: 150 }),
    imported('jojo-part-4', 'JoJo no Kimyou na Bouken Part 4: Diamond wa Kudakenai', 'Hirohiko Araki', { titleEn: "JoJo's Bizarre Adventure Part 4: Diamond is Unbreakable", popularityRank: 160 }),
    imported('mononogatari', 'Mononogatari', 'Onigunsou'),
    imported('uchuu', 'Uchuu', 'Author N'),
    imported('aries', 'Aries', 'Author O'),
  ]);
  const readings = fakeReadings({ 文豪ストレイドッグス: 'ブンゴウストレイドッグス', 今際の国のアリス: 'イマワノクニノアリス', 物語: 'モノガタリ', 宇宙: 'ウチュウ', 不滅のあなたへ: 'フメツノアナタエ', 僕だけがいない街: 'ボクダケガイナイマチ', 炎炎ノ消防隊: 'エンエンノショウボウタイ', 黄金の風: 'オウゴンノカゼ' });
  const find = async (message: string, r: Readings = readings): Promise<string[]> => {
    const { query, context } = titleSearch(message);
    return (await searchWithReadings(() => more, query, 5, r, { context })).filter((h) => h.score >= NAMED).map((h) => h.series.id);
  };
  const cases: [string, string][] = [
    // Words of the request the title query left ("って買え", "って今", "の作者の他"): the title before them.
    ['ノラガミの1巻って買えますか？', 'noragami'],
    ['不滅のあなたへって今も連載中？', 'fumetsu-no-anata-e'],
    ['僕だけがいない街の作者の他の漫画も読みたい', 'boku-dake-ga-inai-machi'],
    // Two titles with a question between them: one of them, not neither.
    ['炎炎ノ消防隊の作者って誰？ソウルイーターと同じ人？', 'enen-no-shouboutai'],
    // The Latin title written beside the Japanese one.
    ['アカメが斬る！ってAkame ga Kill!のことですよね、何巻まで？', 'akame-ga-kill'],
    // A part named after its franchise: the part, not the series that carries the franchise's name.
    ['ジョジョの黄金の風って何巻まで？', 'jojo-part-5'],
    // The topic of the sentence (「Xって…」) named as well as a title named outright.
    ['文豪ストレイドッグスって取り寄せできたりします？', 'bungou-stray-dogs'],
  ];
  for (const [message, id] of cases) assert.equal((await find(message))[0], id, `${message} → ${titleSearch(message).query}`);
  // A part named by the subtitle after its number in the store's Japanese title (「ジョジョの奇妙な冒険 第7部
  // スティール・ボール・ラン」): named outright, as its romaji subtitle is.
  for (const message of ['第7部のスティール・ボール・ランは？何巻？', 'スティール・ボール・ランって完結してる？']) {
    const { query, context } = titleSearch(message);
    const [top] = await searchWithReadings(() => more, query, 5, readings, { context });
    assert.equal(top?.series.id, 'jojo-steel-ball-run', message);
    assert.ok(top.score >= 0.8, `${message}: ${top.score}`);
  }
  // Kana needs no dictionary: the pieces are searched without one too.
  assert.equal((await find('ノラガミの1巻って買えますか？', NO_READINGS))[0], 'noragami');
  // The franchise alone is not the part asked for by its number: nothing rather than another part.
  assert.ok(!(await find('ジョジョの第4部ダイヤモンドは砕けないって何巻ありますか？')).includes('jojo-steel-ball-run'));
  // Made-up titles and small talk stay unknown, piece by piece.
  for (const message of ['月曜日の図書館ドラゴンの1巻ありますか？', 'おすすめのラーメン屋さん教えて', 'じゃあグルメ漫画ならある？', '量子侍ベーカリーの2巻ありますか']) assert.deepEqual(await find(message), [], message);
  // A story told in a sentence has words of titles in it that name none of them, nor does the end
  // of a title name another (a piece is a good share of the query, or a whole part of it).
  assert.deepEqual(await find('錬金術で体を失った兄弟の物語'), []);
  assert.deepEqual(await find('宇宙でパン屋を開く侍の話'), []);
  assert.ok(!(await find('今際の国のアリスありますか')).includes('aries'));
});
