/**
 * Who may see a series: the audience rule over a catalog (flag, adult genre, fan-service for older
 * readers, spin-offs and duplicates), mayShow (the card gate), and the title exceptions — an
 * all-ages title excuses a listed word only where the text names that whole title, and an adult
 * series with a common name is kept from guests by id, not by matching the word in every answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adultBySelf, ageAllowed, catalogAudience, type AudienceSeries } from '../../src/guardrails/audience.ts';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import { parseMalCsv } from '../../src/catalog/mal-csv.ts';
import type { Audience } from '../../src/guardrails/types.ts';

const guest: Audience = { language: 'en', kind: 'guest' };
const unconfirmed: Audience = { language: 'ja', kind: 'member' };
const confirmed: Audience = { language: 'en', kind: 'member', ageConfirmed: true };

const s = (id: string, title: string, extra: Partial<AudienceSeries> = {}): AudienceSeries => ({ id, title, authors: ['Someone Else'], genres: ['Action'], ...extra });

const CATALOG: AudienceSeries[] = [
  s('gantz', 'Gantz', { authors: ['Hiroya Oku'], ageRestricted: true, titleJa: 'ガンツ' }),
  s('gantz-g', 'Gantz:G', { authors: ['Oku, Hiroya', 'Keita Iizuka'] }),
  s('gantz-copy', 'GANTZ', { authors: ['Oku Hiroya'] }),
  s('blue', 'Blue', { authors: ['Naoki Yamamoto'], genres: ['Ecchi'], demographic: 'Seinen' }),
  s('blue-lock', 'Blue Lock', { authors: ['Muneyuki Kaneshiro'], demographic: 'Shounen' }),
  s('mm', 'Monster Musume no Iru Nichijou', { authors: ['Okayado'], genres: ['Comedy', 'Ecchi'], demographic: 'Seinen' }),
  s('mm-anthology', 'Monster Musume no Iru Nichijou 4-koma Anthology', { authors: ['Various'] }),
  s('food-wars', 'Shokugeki no Souma', { genres: ['Ecchi', 'Gourmet'], demographic: 'Shounen' }),
  s('erotica', 'Some Title', { genres: ['Erotica'] }),
  s('hentai', 'Hentai', { genres: ['Horror', 'Mystery'] }),
  s('hentai-kamen', 'Kyuukyoku!! Hentai Kamen', { demographic: 'Shounen', genres: ['Comedy'] }),
  s('br', 'Battle Royale', { authors: ['Koushun Takami'], ageRestricted: true }),
  s('fairy-br', 'Fairy Tale Battle Royale', { authors: ['Soraho Ina'] }),
  s('thanks', 'Arigatou', { titleEn: 'Thank You', genres: ['Ecchi'], demographic: 'Seinen' }),
];

describe('the audience rule', () => {
  it('adult by its own data: the flag, Hentai/Erotica, Ecchi for Seinen/Josei readers (not Shounen)', () => {
    const byId = new Map(CATALOG.map((x) => [x.id, x]));
    assert.equal(adultBySelf(byId.get('gantz')!), true);
    assert.equal(adultBySelf(byId.get('erotica')!), true);
    assert.equal(adultBySelf(byId.get('blue')!), true);
    assert.equal(adultBySelf(byId.get('food-wars')!), false);
    assert.equal(adultBySelf(byId.get('hentai')!), false, 'a word in the title is not a genre');
  });

  it('spin-offs by a shared author (any name order), same-name duplicates, long names at the start of a title; not a common word', () => {
    const { restrictedIds } = catalogAudience(CATALOG);
    for (const id of ['gantz', 'gantz-g', 'gantz-copy', 'blue', 'mm', 'mm-anthology', 'erotica', 'br', 'thanks']) assert.ok(restrictedIds.has(id), id);
    for (const id of ['blue-lock', 'food-wars', 'hentai', 'hentai-kamen', 'fairy-br']) assert.ok(!restrictedIds.has(id), id);
  });

  it('only signed-in customers who confirmed their age are allowed', () => {
    assert.equal(ageAllowed(guest), false);
    assert.equal(ageAllowed({ ...guest, ageConfirmed: true }), false);
    assert.equal(ageAllowed(unconfirmed), false);
    assert.equal(ageAllowed(confirmed), true);
  });
});

describe('mayShow: the card gate', () => {
  const g = createGuardrails({ catalog: CATALOG });
  const byId = new Map(CATALOG.map((x) => [x.id, x]));

  it('an adult series, its spin-offs and duplicates never go to a guest or an unconfirmed member; all of them to a confirmed one', () => {
    for (const id of ['gantz', 'gantz-g', 'gantz-copy', 'blue', 'mm', 'mm-anthology', 'erotica', 'br']) {
      assert.equal(g.mayShow(byId.get(id)!, guest), false, id);
      assert.equal(g.mayShow(byId.get(id)!, unconfirmed), false, id);
      assert.equal(g.mayShow(byId.get(id)!, confirmed), true, id);
    }
    for (const id of ['blue-lock', 'food-wars', 'hentai-kamen', 'fairy-br']) assert.equal(g.mayShow(byId.get(id)!, guest), true, id);
  });

  it('a series the catalog does not know yet is judged by its own data and its names', () => {
    assert.equal(g.mayShow(s('new-1', 'Fresh Import', { genres: ['Hentai'] }), guest), false);
    assert.equal(g.mayShow(s('new-2', 'Gantz: Osaka'), guest), false, 'named after an adult series, not yet linked');
    assert.equal(g.mayShow(s('new-3', 'Hentai'), guest), false, 'a title that is only an adult word');
    assert.equal(g.mayShow(s('new-4', 'Blue Period'), guest), true);
  });
});

describe('title exceptions', () => {
  const g = createGuardrails({ catalog: CATALOG });

  it('a series called "Hentai" never makes a generic adult request ordinary; naming a longer all-ages title whole does', () => {
    for (const text of ['hentai manga', 'hentai', 'any hentai?', 'show me hentai kamen like stuff']) assert.equal(g.checkInput(text, guest).ok, false, text);
    assert.equal(g.checkInput('Do you have Kyuukyoku!! Hentai Kamen?', guest).ok, true);
    assert.equal(g.checkInput('kyuukyoku hentai kamen vol 2', guest).ok, true, 'punctuation and case aside');
    assert.equal(g.checkInput('Kyuukyoku!! Hentai Kamenx', guest).ok, false, 'the title must stand as whole words');
  });

  it('an adult series with a common name is not matched in answers; a distinctive one is, except inside an all-ages title', () => {
    for (const text of ['Blue Lock volume 3 is ¥594.', 'Thank you for your order!', 'The blue cover edition is out.', 'Fairy Tale Battle Royale vol 1 is in stock.']) {
      assert.equal(g.checkOutput(text, guest).ok, true, text);
    }
    for (const text of ['Battle Royale is intense.', 'Gantz:G is out.', 'Monster Musume no Iru Nichijou has 17 volumes.']) {
      assert.equal(g.checkOutput(text, guest).ok, false, text);
      assert.equal(g.checkOutput(text, confirmed).ok, true, text);
    }
  });
});

describe('the imported 15,000-series catalog', () => {
  it('Gantz spin-offs and fan-service titles are kept from guests; Blue Lock, Blue Exorcist and Hentai Kamen are not', () => {
    const root = join(import.meta.dirname, '../..');
    const shipped = readFileSync(join(root, 'data/catalog/series.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AudienceSeries);
    const imported = parseMalCsv(readFileSync(join(root, '../shared/data/mal_top_manga.csv'), 'utf8'));
    const all = [...shipped, ...imported];
    const g = createGuardrails({ catalog: all });
    const byTitle = (t: string) => all.find((x) => x.title === t) ?? assert.fail(`no ${t}`);
    for (const t of ['Gantz:G', 'Gantz:E', 'Monster Musume no Iru Nichijou', 'Hentai Ouji to Warawanai Neko.', 'Koroshiya 1']) assert.equal(g.mayShow(byTitle(t), guest), false, t);
    for (const t of ['Blue Lock', 'Ao no Exorcist', 'Kyuukyoku!! Hentai Kamen', 'One Piece', 'Berserk']) assert.equal(g.mayShow(byTitle(t), guest), true, t);
    assert.equal(g.checkInput('hentai manga', guest).ok, false);
    assert.equal(g.checkInput('エロ漫画ある？', { ...guest, language: 'ja' }).ok, false);
    assert.equal(g.checkOutput('Blue Lock and Blue Exorcist are both in stock; thank you for asking!', guest).ok, true);
  });
});

describe('restrictedNamed: an adult title named anywhere in a customer message', () => {
  const root = join(import.meta.dirname, '../..');
  const shipped = readFileSync(join(root, 'data/catalog/series.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AudienceSeries);
  const g = createGuardrails({ catalog: shipped });
  const named: [string, string[]][] = [
    ["I'm 17, can I buy Elfen Lied?", ['elfen-lied']],
    ['is Ichi the Killer any good? my friend recommended it', ['koroshiya-ichi']],
    ['Do you carry Battle Royale? and how much is shipping?', ['battle-royale']],
    ["I'm in Canada — can you ship Gantz 1-3 to me?", ['gantz']],
    ['ガンツって中学生でも読めますか？', ['gantz']],
    ['ガンツ vol 1 price pls', ['gantz']],
    ['恐れ入りますが、ナナとカオルの最新刊は発売されておりますでしょうか。', ['nana-to-kaoru']],
    ['プリズンスクール全巻セットありますか', ['kangoku-gakuen']],
    ['監獄学園の1巻いくらですか？', ['kangoku-gakuen']],
    ['Battle Royale or Attack on Titan, which is better?', ['battle-royale']],
    ['is "prison school" ok for a 15 year old', ['kangoku-gakuen']],
    ['GANTZ and Elfen Lied, which one is longer?', ['gantz', 'elfen-lied']],
  ];
  for (const [text, ids] of named) it(text, () => assert.deepEqual(g.restrictedNamed(text).named, ids));
  const none = ['How much is One Piece volume 1?', 'エレガンツな服', 'recommend some romance manga', 'is Attack on Titan ok for my 12 year old?', 'ガンツァー', 'thanks!'];
  for (const text of none) it(`none: ${text}`, () => assert.deepEqual(g.restrictedNamed(text), { named: [], generic: [] }));

  it('after the import: spin-offs by name, a generic phrase is no title, all-ages titles with a listed word are theirs', () => {
    const imported = parseMalCsv(readFileSync(join(root, '../shared/data/mal_top_manga.csv'), 'utf8'));
    const all = [...shipped, ...imported];
    const gi = createGuardrails({ catalog: all });
    const idOf = (t: string) => (all.find((x) => x.title === t) ?? assert.fail(`no ${t}`)).id;
    assert.deepEqual(gi.restrictedNamed('GANTZ:Gは高校生でも大丈夫？').named, [idOf('Gantz:G')]);
    assert.deepEqual(gi.restrictedNamed('do you have Monster Girl?').named, [idOf('Monster Girl')]);
    assert.deepEqual(gi.restrictedNamed('hey is monster musume everyday life with monster girls in stock? need vol 2').named, [idOf('Monster Musume no Iru Nichijou')]);
    // A head that is also inside an all-ages title ("Shokubutsu Monster Musume Nikki: …"): that title only where the message continues it so.
    assert.deepEqual(gi.restrictedNamed('is monster musume in stock?').named, [idOf('Monster Musume no Iru Nichijou')]);
    assert.deepEqual(gi.restrictedNamed('something like Monster Musume but that I can actually buy').named, [idOf('Monster Musume no Iru Nichijou')]);
    assert.deepEqual(gi.restrictedNamed('do you have Shokubutsu Monster Musume Nikki vol 1?').named, []);
    for (const text of ['Fairy Tale Battle Royale vol 1', 'Kyuukyoku!! Hentai Kamen vol 1', 'Blue Lock vol 3']) assert.deepEqual(gi.restrictedNamed(text).named, [], text);
    for (const generic of ['monster girl manga', 'any good monster girl manga?', 'I want a monster girl series']) {
      const r = gi.restrictedNamed(generic);
      assert.deepEqual(r.named, [], generic);
      assert.ok(r.generic.includes(idOf('Monster Girl')), generic);
    }
  });
});
