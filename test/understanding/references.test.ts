import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const resolver = createReferenceResolver();

const list: TurnContext[] = [
  { role: 'user', text: 'おすすめのファンタジーは？' },
  { role: 'assistant', text: 'フリーレン、ベルセルク、ヴィンランド・サガはいかがでしょう', seriesIds: ['frieren', 'berserk', 'vinland-saga'] },
];
const single: TurnContext[] = [
  { role: 'user', text: 'Do you have Frieren?' },
  { role: 'assistant', text: 'Yes, we have Frieren.', seriesIds: ['frieren'] },
];

test('ordinals pick the Nth series of the latest list shown', () => {
  assert.deepEqual(resolver.resolve('the second one', 'en', list), { seriesId: 'berserk', via: 'ordinal', titleFree: true, intent: 'product_question' });
  assert.deepEqual(resolver.resolve('2つ目', 'ja', list, 'product_question'), { seriesId: 'berserk', via: 'ordinal', titleFree: true });
  assert.deepEqual(resolver.resolve('二番目のやつ', 'ja', list, 'product_question'), { seriesId: 'berserk', via: 'ordinal', titleFree: true });
  assert.deepEqual(resolver.resolve('最初のやつは完結してる？', 'ja', list, 'product_question'), { seriesId: 'frieren', via: 'ordinal', titleFree: true });
  assert.deepEqual(resolver.resolve('the third one, vol 2', 'en', list, 'price_availability'), { seriesId: 'vinland-saga', via: 'ordinal', volume: 2, titleFree: true });
});

test('the latest assistant turn with series wins over older ones', () => {
  const history: TurnContext[] = [...list, { role: 'user', text: 'hmm' }, { role: 'assistant', text: 'Or these', seriesIds: ['monster', 'pluto'] }, { role: 'user', text: 'ok' }];
  assert.equal(resolver.resolve('the second one', 'en', history).seriesId, 'pluto');
  assert.equal(resolver.resolve('それ', 'ja', history).seriesId, 'monster');
});

test('an ordinal past the end of the list resolves to nothing', () => {
  assert.deepEqual(resolver.resolve('the fifth one', 'en', list), {});
});

test('pronouns point at the first or only series shown', () => {
  assert.deepEqual(resolver.resolve('is it finished?', 'en', single, 'product_question'), { seriesId: 'frieren', via: 'pronoun', titleFree: true });
  assert.deepEqual(resolver.resolve('how much is that one', 'en', list, 'price_availability'), { seriesId: 'frieren', via: 'pronoun', titleFree: true });
  assert.deepEqual(resolver.resolve('その漫画って何巻まで？', 'ja', single, 'product_question'), { seriesId: 'frieren', via: 'pronoun', titleFree: true });
  assert.equal(resolver.resolve('これください', 'ja', single).seriesId, 'frieren');
});

test('pronoun plus volume gives series and volume', () => {
  assert.deepEqual(resolver.resolve('それの3巻', 'ja', single, 'price_availability'), { seriesId: 'frieren', via: 'pronoun', volume: 3, titleFree: true });
  assert.deepEqual(resolver.resolve('vol 3 of that', 'en', single, 'price_availability'), { seriesId: 'frieren', via: 'pronoun', volume: 3, titleFree: true });
});

test('a bare volume after a turn about one series refers to that series', () => {
  assert.deepEqual(resolver.resolve('3巻は？', 'ja', single, 'price_availability'), { seriesId: 'frieren', volume: 3, via: 'follow-up', titleFree: true });
  assert.deepEqual(resolver.resolve('what about vol 4?', 'en', single, 'price_availability'), { seriesId: 'frieren', volume: 4, via: 'follow-up', titleFree: true });
  assert.deepEqual(resolver.resolve('第五巻の値段は？', 'ja', single, 'price_availability'), { seriesId: 'frieren', volume: 5, via: 'follow-up', titleFree: true });
});

test('a bare volume is not guessed when several series were shown: which one is asked instead', () => {
  assert.deepEqual(resolver.resolve('3巻は？', 'ja', list, 'price_availability'), { titleFree: true, via: 'no-referent' });
});

test('nothing is resolved when the message names no reference', () => {
  assert.deepEqual(resolver.resolve('Do you have Naruto?', 'en', single), {});
  assert.deepEqual(resolver.resolve('ワンピースの3巻は？', 'ja', single), {});
  assert.deepEqual(resolver.resolve('Naruto vol 3 price?', 'en', single), {});
  assert.equal(resolver.resolve('それぞれの値段を教えて', 'ja', []).seriesId, undefined);
  assert.deepEqual(resolver.resolve('is there a discount for first time customers', 'en', list), {});
  // Dummy "it" in idioms is not a pronoun for the series.
  assert.deepEqual(resolver.resolve('is it possible to return a damaged book?', 'en', single), {});
  assert.deepEqual(resolver.resolve("it's been 10 days, where is my order", 'en', single), {});
  assert.deepEqual(resolver.resolve('never mind, forget it', 'en', single), {});
});

test('nothing is resolved when no earlier turn showed a series', () => {
  const noSeries: TurnContext[] = [{ role: 'user', text: 'hi' }, { role: 'assistant', text: 'Hello!' }];
  assert.equal(resolver.resolve('the second one', 'en', noSeries).seriesId, undefined);
  assert.equal(resolver.resolve('is it in stock?', 'en', noSeries).seriesId, undefined);
  assert.deepEqual(resolver.resolve('3巻は？', 'ja', [], 'price_availability'), { titleFree: true, via: 'no-referent' });
});

// What the assistant recorded about its answers (TurnContext.about).
const vagabond: TurnContext[] = [
  { role: 'user', text: 'Do you have Vagabond?' },
  { role: 'assistant', text: 'Vagabond by Takehiko Inoue ...', seriesIds: ['vagabond', 'real'], about: { focus: 'vagabond' } },
];
const aotVolume3: TurnContext[] = [
  { role: 'user', text: 'How much is Attack on Titan volume 3?' },
  { role: 'assistant', text: 'Volume 3 ...', seriesIds: ['shingeki-no-kyojin'], about: { focus: 'shingeki-no-kyojin', volume: 3 } },
];

test('follow-ups that name no title are about the series the conversation is on, whatever a title search would match', () => {
  const cases: Array<[string, string | undefined, Partial<ReturnType<typeof resolver.resolve>>]> = [
    ['how much is volume 1?', 'price_availability', { volume: 1 }],
    ['is the series finished?', 'product_question', {}],
    ['how many volumes are there?', 'product_question', {}],
    ['who is the author?', 'product_question', {}],
    ['when does the next volume come out?', 'price_availability', { volumeRef: 'next' }],
    ['how much is the last volume?', 'product_question', { volumeRef: 'last', intent: 'price_availability' }],
    ['完全版の1巻っていくら？', 'price_availability', { volume: 1, format: 'kanzenban' }],
    ['もう完結してる？', 'chitchat', { intent: 'product_question' }],
  ];
  for (const [text, intent, want] of cases) {
    const got = resolver.resolve(text, /[ぁ-ん]/.test(text) ? 'ja' : 'en', vagabond, intent as never);
    assert.equal(got.seriesId, 'vagabond', text);
    assert.equal(got.titleFree, true, text);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof typeof got], v, `${text}: ${k}`);
  }
});

test('"is it in stock?" after volume 3 is about volume 3, and so is the digital edition', () => {
  assert.equal(resolver.resolve('is it in stock?', 'en', aotVolume3, 'price_availability').volume, 3);
  assert.equal(resolver.resolve('在庫ありますか？', 'ja', aotVolume3, 'price_availability').volume, 3);
  const digital = resolver.resolve('じゃあ電子版は？', 'ja', aotVolume3, 'chitchat');
  assert.deepEqual([digital.seriesId, digital.volume, digital.format, digital.intent], ['shingeki-no-kyojin', 3, 'digital', 'price_availability']);
  assert.equal(resolver.resolve('and volume 9?', 'en', aotVolume3, 'price_availability').volume, 9);
  assert.equal(resolver.resolve('and when is 77 coming?', 'en', aotVolume3, 'price_availability').volume, 77);
  // A question that is not about price or stock does not inherit the volume.
  assert.equal(resolver.resolve('who drew it?', 'en', aotVolume3, 'product_question').volume, undefined);
});

test('a message naming another title, small talk and policy questions are not follow-ups', () => {
  assert.deepEqual(resolver.resolve('BLEACHの方は？', 'ja', aotVolume3, 'product_search'), {});
  assert.deepEqual(resolver.resolve('thanks!', 'en', vagabond, 'chitchat'), {});
  assert.deepEqual(resolver.resolve('ok', 'en', vagabond, 'chitchat'), {});
  assert.equal(resolver.resolve('予約できますか？', 'ja', vagabond, 'faq').intent, undefined);
});

test('"which one is longer?" after a comparison is about every series compared', () => {
  const compared: TurnContext[] = [
    { role: 'user', text: 'Naruto or Bleach?' },
    { role: 'assistant', text: '...', seriesIds: ['naruto', 'bleach'], about: { compared: ['naruto', 'bleach'] } },
  ];
  const r = resolver.resolve('which one is longer?', 'en', compared, 'product_question');
  assert.deepEqual(r.seriesIds, ['naruto', 'bleach']);
  assert.equal(r.comparing, true);
  assert.deepEqual(resolver.resolve('どっちが長い？', 'ja', compared, 'chitchat').seriesIds, ['naruto', 'bleach']);
});

test('"only finished ones" narrows the recommendation just made; a new request does not', () => {
  const wish = { genres: [], themes: [], seedSeriesIds: ['jujutsu-kaisen'], excludeSeriesIds: [], excludeTags: [] };
  const recs: TurnContext[] = [
    { role: 'user', text: 'manga like jujutsu kaisen' },
    { role: 'assistant', text: '...', seriesIds: ['kagurabachi', 'bleach'], about: { wish } },
  ];
  const narrowed = resolver.resolve('only finished ones please', 'en', recs, 'product_question');
  assert.deepEqual([narrowed.narrows, narrowed.intent], [wish, 'recommendation']);
  assert.equal(resolver.resolve('もうちょっと短いのがいいな、10巻くらいまでで', 'ja', recs, 'chitchat').narrows, wish);
  assert.equal(resolver.resolve('something about sports maybe?', 'en', recs, 'recommendation').narrows, wish);
  assert.equal(resolver.resolve('recommend some horror manga', 'en', recs, 'recommendation').narrows, undefined);
  // "Is it finished?" asks about a series shown, it narrows nothing.
  assert.equal(resolver.resolve('is it finished?', 'en', recs, 'product_question').narrows, undefined);
});

test('"anything else by the same author?" is a recommendation seeded by the series in play', () => {
  const r = resolver.resolve('anything else by the same author?', 'en', vagabond, 'product_search');
  assert.deepEqual([r.seriesId, r.via, r.intent], ['vagabond', 'same-author', 'recommendation']);
  assert.equal(resolver.resolve('同じ作者の他の作品は？', 'ja', vagabond, 'recommendation').seriesId, 'vagabond');
});

test('"the next one" after volume 3 is volume 4 for a price, the next release for "when"', () => {
  assert.equal(resolver.resolve('how much is the next one?', 'en', aotVolume3, 'price_availability').previousVolume, 3);
  assert.equal(resolver.resolve('when is the next volume?', 'en', aotVolume3, 'price_availability').previousVolume, undefined);
  assert.equal(resolver.resolve('次の巻はいつ出ますか？', 'ja', aotVolume3, 'price_availability').previousVolume, undefined);
});

test('a message shaped like a recommendation request is one, whatever the classifier said', () => {
  assert.equal(resolver.resolve('a finished romance manga under 10 volumes', 'en', [], 'product_question').intent, 'recommendation');
  assert.equal(resolver.resolve('10巻以内で完結してる恋愛漫画ありますか？', 'ja', [], 'product_search').intent, 'recommendation');
  assert.equal(resolver.resolve('manga for a 10-year-old', 'en', [], 'chitchat').intent, 'recommendation');
  // A question about one series is not.
  assert.equal(resolver.resolve('is Berserk finished?', 'en', [], 'product_question').intent, undefined);
  assert.equal(resolver.resolve('is Nana a romance manga?', 'en', [], 'product_question').intent, undefined);
  assert.equal(resolver.resolve('is Chainsaw Man ok for a 10-year-old?', 'en', [], 'product_question').intent, undefined);
});

test('a correction is still a follow-up: "ignore that, I meant volume 3"', () => {
  const onePiece: TurnContext[] = [
    { role: 'user', text: 'One Piece volume 2?' },
    { role: 'assistant', text: '...', seriesIds: ['one-piece'], about: { focus: 'one-piece', volume: 2 } },
  ];
  assert.deepEqual([resolver.resolve('ignore that, I meant volume 3', 'en', onePiece, 'price_availability')].map((r) => [r.seriesId, r.volume]), [['one-piece', 3]]);
  assert.deepEqual([resolver.resolve('さっきのは無視してください。3巻でした', 'ja', onePiece, 'price_availability')].map((r) => [r.seriesId, r.volume]), [['one-piece', 3]]);
});

test('"show me more" and "anything else?" after recommendations: the same request without what was shown', () => {
  const wish = { genres: ['Fantasy'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [] };
  const recs: TurnContext[] = [
    { role: 'user', text: 'recommend some fantasy manga' },
    { role: 'assistant', text: '...', seriesIds: ['one-piece', 'frieren'], about: { wish } },
  ];
  for (const text of ['show me more', "I've already read all of those, anything else?", '他にはある？']) {
    const r = resolver.resolve(text, /[ぁ-ん]/.test(text) ? 'ja' : 'en', recs, 'product_search');
    assert.deepEqual(r.narrows?.excludeSeriesIds, ['one-piece', 'frieren'], text);
    assert.deepEqual(r.narrows?.genres, ['Fantasy'], text);
    assert.equal(r.intent, 'recommendation', text);
  }
  assert.equal(resolver.resolve('tell me more about the second one', 'en', recs, 'product_question').narrows, undefined);
});

test('"more like the second one" is a recommendation seeded by it', () => {
  const r = resolver.resolve('more like the second one', 'en', list, 'product_question');
  assert.deepEqual([r.seriesId, r.intent], ['berserk', 'recommendation']);
  assert.deepEqual([resolver.resolve('something similar to that', 'en', single, 'chitchat')].map((x) => [x.seriesId, x.intent]), [['frieren', 'recommendation']]);
});

test('a comparison read as small talk is a question about the series compared', () => {
  assert.equal(resolver.resolve('Naruto or Bleach?', 'en', [], 'chitchat').intent, 'product_question');
  assert.equal(resolver.resolve('any romance that is not by Ai Yazawa?', 'en', [], 'product_question').intent, 'recommendation');
});

test('"the one before?", 「その前の巻は？」: the volume before the one the conversation was on', () => {
  assert.equal(resolver.resolve('and the one before?', 'en', aotVolume3, 'order_status').volume, 2);
  assert.equal(resolver.resolve('and the one before?', 'en', aotVolume3, 'order_status').intent, 'price_availability');
  assert.equal(resolver.resolve('その前の巻は？', 'ja', aotVolume3, 'price_availability').volume, 2);
});

test('a policy answer given to a question about the series in play is corrected, a policy question is not', () => {
  assert.equal(resolver.resolve('how many books are out', 'en', vagabond, 'faq').intent, 'product_question');
  assert.equal(resolver.resolve('電子書籍でもありますか', 'ja', aotVolume3, 'faq').intent, 'price_availability');
  assert.equal(resolver.resolve('can I cancel it?', 'en', vagabond, 'faq').intent, undefined);
  assert.equal(resolver.resolve('予約できますか？', 'ja', vagabond, 'faq').intent, undefined);
});

test('with one series shown, "can I get the first one?" is its first volume', () => {
  const r = resolver.resolve('can I get the first one?', 'en', single, 'faq');
  assert.deepEqual([r.seriesId, r.volume, r.intent], ['frieren', 1, 'price_availability']);
});

test('"BORUTOは？" or "and Bleach?" in a conversation about a series is a search for that title', () => {
  assert.equal(resolver.resolve('BORUTOは？', 'ja', aotVolume3, 'chitchat').intent, 'product_search');
  assert.equal(resolver.resolve('and Bleach?', 'en', aotVolume3, 'chitchat').intent, 'product_search');
  assert.equal(resolver.resolve('作者さんは誰ですか', 'ja', vagabond, 'product_question').seriesId, 'vagabond');
  assert.equal(resolver.resolve('他にどんな作品を描いてますか', 'ja', vagabond, 'recommendation').via, 'same-author');
});

test('"the digital ones?" after two volumes stays on both', () => {
  const two: TurnContext[] = [
    { role: 'user', text: 'Kingdom vol 75 and 76' },
    { role: 'assistant', text: '...', seriesIds: ['kingdom'], about: { focus: 'kingdom', volume: 75, volumes: [75, 76] } },
  ];
  const r = resolver.resolve('what about the digital ones?', 'en', two, 'price_availability');
  assert.deepEqual([r.seriesId, r.volumes, r.format], ['kingdom', [75, 76], 'digital']);
  assert.deepEqual(resolver.resolve('and volumes 77 and 78?', 'en', two, 'price_availability').volumes, [77, 78]);
});

test('a volume of the series before the one in play ("volume 2 of the one before", 「さっきのやつの2巻」)', () => {
  const two: TurnContext[] = [
    { role: 'user', text: 'frieren vol 1?' },
    { role: 'assistant', text: 'Frieren vol 1 is ¥539.', seriesIds: ['frieren'], about: { focus: 'frieren', volume: 1 } },
    { role: 'user', text: 'and dandadan 3?' },
    { role: 'assistant', text: 'Dandadan vol 3 is ¥572.', seriesIds: ['dandadan'], about: { focus: 'dandadan', volume: 3 } },
  ];
  for (const text of ['ok and volume 2 of the one before?', 'vol 2 of the previous one?', 'さっきのやつの2巻は？', '前の作品の2巻はいくら？']) {
    const r = resolver.resolve(text, 'en', two, 'price_availability');
    assert.equal(r.seriesId, 'frieren', text);
    assert.equal(r.volume, 2, text);
  }
  // "The one before" alone is the volume before the one in play.
  assert.equal(resolver.resolve('the one before?', 'en', two, 'price_availability').volume, 2);
  assert.equal(resolver.resolve('the one before?', 'en', two, 'price_availability').seriesId, 'dandadan');
});

test('"next?" / 「次は？」 alone is the volume after the one in play; "the paper one" is the print edition', () => {
  const on5: TurnContext[] = [
    { role: 'user', text: 'チェンソーマンの5巻ある？' },
    { role: 'assistant', text: '5巻は572円です。', seriesIds: ['chainsaw-man'], about: { focus: 'chainsaw-man', volume: 5 } },
  ];
  for (const text of ['次は？', 'じゃあ次は?', 'next?', 'and the next one?']) {
    const r = resolver.resolve(text, 'ja', on5, 'chitchat');
    assert.equal(r.seriesId, 'chainsaw-man', text);
    assert.equal(r.volumeRef, 'next', text);
    assert.equal(r.previousVolume, 5, text);
  }
  for (const text of ['and the paper one?', 'what about a physical copy?', 'the printed version then']) {
    const r = resolver.resolve(text, 'en', on5, 'product_search');
    assert.equal(r.seriesId, 'chainsaw-man', text);
    assert.equal(r.format, 'tankobon', text);
    assert.equal(r.volume, 5, text);
  }
});

test('a box set against the singles, or which volumes are sold out, asks about prices and stock', () => {
  for (const [text, intent] of [['Is the Akira box set cheaper than buying them separately?', 'promotion'], ['鬼滅の刃のBOXと単品で全巻買うの、どっちが安い？', 'promotion'], ['which volumes are out of stock?', 'product_question'], ['ちいかわって品切れの巻ある？', 'product_question']] as const) {
    assert.equal(resolver.resolve(text, 'en', [], intent).intent, 'price_availability', text);
  }
  assert.equal(resolver.resolve('is the box set on sale?', 'en', [], 'promotion').intent, undefined);
});

test('with an order in play: its carrier, and right after it its total', () => {
  const order: TurnContext[] = [
    { role: 'user', text: 'where is my vinland saga order?' },
    { role: 'assistant', text: 'Order MA-20261120-0002 is out for delivery.', about: { orderId: 'MA-20261120-0002' } },
  ];
  for (const [text, intent] of [['which carrier?', 'faq'], ['配送業者はどこでした？', 'order_status'], ['合計いくらだった？', 'price_availability'], ['what was the total?', 'chitchat']] as const) {
    const r = resolver.resolve(text, 'en', order, intent);
    assert.equal(r.orderId, 'MA-20261120-0002', text);
  }
});

test('a title of a list just shown, named, is not the first of the list: the title search decides ("tell me about Solanin" after Inio Asano\'s works)', () => {
  const shown: TurnContext[] = [
    { role: 'user', text: 'anything by Inio Asano?' },
    {
      role: 'assistant',
      text: 'I found 3 series that match:\n1. Goodnight Punpun (Oyasumi Punpun) by Inio Asano\n2. Solanin by Inio Asano\n3. Dead Dead Demons Dededede Destruction by Inio Asano',
      seriesIds: ['oyasumi-punpun', 'solanin', 'dead-dead-demons-dededede-destruction'],
      about: { focus: 'oyasumi-punpun' },
    },
  ];
  for (const text of ['tell me about Solanin', 'what about Solanin, is it good?', 'how much is Dead Dead Demons vol 1?']) assert.notEqual(resolver.resolve(text, 'en', shown, 'product_question').seriesId, 'oyasumi-punpun', text);
  // The series in play named by its own words, or no title at all: still the series in play.
  for (const text of ['is the punpun one finished?', 'how many volumes is it?']) assert.equal(resolver.resolve(text, 'en', shown, 'product_question').seriesId, 'oyasumi-punpun', text);
  // One series shown: words of its answer name it ("can I preorder that frieren volume?").
  const one: TurnContext[] = [{ role: 'assistant', text: "Here's Vol. 14 of Frieren: Beyond Journey's End", seriesIds: ['sousou-no-frieren'], about: { focus: 'sousou-no-frieren', volume: 14 } }];
  assert.equal(resolver.resolve('can I preorder that frieren volume?', 'en', one, 'price_availability').seriesId, 'sousou-no-frieren');
});

test('after recommendations, a kind, a status or anything ruled out narrows the request; a question about one series does not', () => {
  const wish = { genres: ['Fantasy'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], status: 'finished' as const, maxVolumes: 12 };
  const recs: TurnContext[] = [
    { role: 'user', text: 'a complete fantasy manga, 12 volumes or less' },
    { role: 'assistant', text: 'Phoenix, Cardcaptor Sakura, Mushishi', seriesIds: ['hi-no-tori', 'cardcaptor-sakura', 'mushishi'], about: { wish } },
  ];
  const narrowing: [string, string][] = [
    ['nothing with gore please', 'recommendation'],
    ['which of these are shoujo?', 'product_question'],
    ['make it a seinen one', 'chitchat'],
    ['no horror in it please', 'product_question'],
    ['it has to be completed though', 'product_question'],
    ['I already own Vagabond so skip that one', 'chitchat'],
    ['サッカーのがいいです', 'product_search'],
    ['ヴィンランド・サガはもう持ってるから、それ以外で', 'product_question'],
    ['学校が舞台のものは除いてください', 'escalation'],
  ];
  for (const [text, intent] of narrowing) {
    const r = resolver.resolve(text, /[ぁ-んァ-ン一-龯]/.test(text) ? 'ja' : 'en', recs, intent as never);
    assert.deepEqual([r.narrows, r.intent ?? intent], [wish, 'recommendation'], text);
  }
  // A question about a series (shown, or named) or a fresh request narrows nothing.
  for (const text of ['is it finished?', 'is Monster shoujo?', 'is Berserk a horror manga?', 'recommend some horror manga', 'how much is the first one?']) {
    assert.equal(resolver.resolve(text, 'en', recs, 'product_question').narrows, undefined, text);
  }
});

test('"what\'s it called in English?" asks the name of the series in play, not a title search', () => {
  const kimetsu: TurnContext[] = [
    { role: 'user', text: 'do you carry Kimetsu no Yaiba' },
    { role: 'assistant', text: 'Demon Slayer (Kimetsu no Yaiba) by Koyoharu Gotouge', seriesIds: ['kimetsu-no-yaiba'], about: { focus: 'kimetsu-no-yaiba' } },
  ];
  for (const [text, intent] of [["what's it called in English?", 'product_search'], ['and the English title?', 'chitchat'], ['英語のタイトルは？', 'product_search'], ['日本語だと何ていうの？', 'out_of_scope']] as const) {
    const r = resolver.resolve(text, /[ぁ-ん]|[一-龯]/.test(text) ? 'ja' : 'en', kimetsu, intent);
    assert.deepEqual([r.seriesId, r.intent], ['kimetsu-no-yaiba', 'product_question'], text);
  }
  // Another title named: the title search decides.
  assert.notEqual(resolver.resolve("what's Shingeki no Kyojin called in English?", 'en', kimetsu, 'product_search').seriesId, 'kimetsu-no-yaiba');
});

test('after a detour to a policy answer, 「さっきのやつの2巻」 is the series in play; after another series, the one before it', () => {
  const detour: TurnContext[] = [
    { role: 'user', text: 'ダンジョン飯の1巻いくら？' },
    { role: 'assistant', text: '『ダンジョン飯』1巻…', seriesIds: ['dungeon-meshi'], about: { focus: 'dungeon-meshi', volume: 1 } },
    { role: 'user', text: '返品ってできるんですか？' },
    { role: 'assistant', text: '商品到着から30日以内…' },
  ];
  for (const text of ['了解です。で、さっきのやつの2巻は在庫ある？', 'ok, and vol 2 of the previous one?']) {
    const r = resolver.resolve(text, /[ぁ-ん]/.test(text) ? 'ja' : 'en', detour, 'price_availability');
    assert.deepEqual([r.seriesId, r.volume], ['dungeon-meshi', 2], text);
  }
  const twoSeries: TurnContext[] = [
    ...detour.slice(0, 2),
    { role: 'user', text: 'and bleach vol 2?' },
    { role: 'assistant', text: 'Bleach vol 2', seriesIds: ['bleach'], about: { focus: 'bleach', volume: 2 } },
  ];
  assert.deepEqual([resolver.resolve('and vol 6 of the one before?', 'en', twoSeries, 'price_availability')].map((r) => [r.seriesId, r.volume]), [['dungeon-meshi', 6]]);
});
