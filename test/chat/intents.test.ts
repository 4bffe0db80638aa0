import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// Every intent, in both languages, through the real server: the reply is in the customer's
// language and carries only facts the store has.

// Signed in as cust-1001; each case in a chat of its own, so what a case is read as never depends on
// the cases that ran before it in the file.
const service = useChatService();

/** The frames of the reply to `text`, asked alone in a new chat as cust-1001. */
const ask = async (text: string) => (await service.chat('cust-1001', [text]))[0].frames;

const HIRAGANA = /[\u3040-\u309f]/;

const cases: { lang: 'en' | 'ja'; text: string; intent: string; expect?: RegExp }[] = [
  { lang: 'en', text: 'Do you have Spy x Family?', intent: 'product_search', expect: /Spy/i },
  { lang: 'ja', text: '進撃の巨人ありますか', intent: 'product_search', expect: /進撃の巨人/ },
  { lang: 'en', text: 'Who wrote Vagabond and is it finished?', intent: 'product_question', expect: /Inoue/ },
  { lang: 'ja', text: 'ベルセルクってどんな話ですか？', intent: 'product_question', expect: /ベルセルク/ },
  { lang: 'en', text: 'Recommend me something like Berserk', intent: 'recommendation' },
  { lang: 'ja', text: 'おすすめの恋愛漫画を教えて', intent: 'recommendation' },
  { lang: 'en', text: 'How much is Jujutsu Kaisen volume 3?', intent: 'price_availability', expect: /¥[\d,]+/ },
  { lang: 'ja', text: '呪術廻戦の3巻はいくらですか', intent: 'price_availability', expect: /[\d,]+円|¥[\d,]+/ },
  { lang: 'en', text: 'Where is my order?', intent: 'order_status', expect: /MA-\d{8}-\d{4}/ },
  { lang: 'ja', text: '注文した本はいつ届きますか', intent: 'order_status', expect: /MA-\d{8}-\d{4}/ },
  { lang: 'en', text: 'What is your return policy?', intent: 'faq', expect: /Returns and Refunds/ },
  { lang: 'en', text: 'How long do I have to return a book?', intent: 'faq', expect: /30 days/ },
  { lang: 'ja', text: '支払い方法は何がありますか', intent: 'faq', expect: /お支払い|支払/ },
  { lang: 'ja', text: '送料はいくらですか', intent: 'faq', expect: /350円|¥350|2,000円|¥2,000/ },
  { lang: 'en', text: 'Any sales or coupons right now?', intent: 'promotion' },
  { lang: 'ja', text: '今やってるキャンペーンはありますか', intent: 'promotion' },
  { lang: 'en', text: 'hi there!', intent: 'chitchat' },
  { lang: 'ja', text: 'こんにちは！', intent: 'chitchat' },
  { lang: 'en', text: 'This is ridiculous, let me talk to a real person', intent: 'escalation' },
  { lang: 'ja', text: 'オペレーターと話したいです', intent: 'escalation' },
  { lang: 'en', text: "What's the weather in Osaka tomorrow?", intent: 'out_of_scope' },
  { lang: 'ja', text: '明日の東京の天気は？', intent: 'out_of_scope' },
];

for (const c of cases) {
  test(`${c.intent} (${c.lang}): ${c.text}`, async () => {
    const frames = await ask(c.text);
    assert.equal(frames.at(-1)!.type, 'end', JSON.stringify(frames.at(-1)));
    assert.equal(frames[0].intent, c.intent);
    assert.equal(frames[0].language, c.lang);
    const text = replyText(frames);
    assert.ok(text.length > 10, 'a real answer');
    if (c.lang === 'ja') assert.match(text, HIRAGANA);
    else assert.doesNotMatch(text, HIRAGANA);
    if (c.expect) assert.match(text, c.expect);
  });
}

test('an unknown title is not invented: the answer says so and suggests what to ask', async () => {
  const frames = await ask('Do you have Zorblax Quintessence of the Purple Moon?');
  const text = replyText(frames);
  assert.doesNotMatch(text, /Zorblax.*¥/);
  assert.match(text, /couldn't find|could not find|no match|don't have|do not have/i);
});

test('prices in the answer are the catalog\'s live prices', async () => {
  const frames = await ask('How much is One Piece volume 100?');
  const text = replyText(frames);
  const card = (frames.find((f) => f.type === 'products')?.items as { volume: number; priceJpy: number }[]).find((p) => p.volume === 100)!;
  assert.ok(card, 'card for volume 100');
  assert.match(text, new RegExp(`¥${card.priceJpy.toLocaleString('en-US')}`));
});
