/**
 * What a stranger reads of a shared conversation: the snapshot rules with the store's real
 * guardrails (finders, audience rule) for an anonymous guest.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createGuardrails } from '../../src/guardrails/guardrails.ts';
import type { AudienceSeries } from '../../src/guardrails/audience.ts';
import type { StoredMessage } from '../../src/memory/types.ts';
import type { ProductCard } from '../../src/chat/protocol.ts';
import { snapshotMessages } from '../../src/sharing/snapshot.ts';
import { guardrailRules } from '../../src/sharing/rules.ts';

const CATALOG: AudienceSeries[] = [
  { id: 'sousou-no-frieren', title: 'Sousou no Frieren', titleEn: "Frieren: Beyond Journey's End", titleJa: '葬送のフリーレン', authors: ['Kanehito Yamada'], genres: ['Adventure', 'Fantasy'], demographic: 'Shounen' },
  { id: 'gantz', title: 'Gantz', titleJa: 'ガンツ', authors: ['Hiroya Oku'], genres: ['Action', 'Sci-Fi'], demographic: 'Seinen', ageRestricted: true },
];
const guardrails = createGuardrails({ catalog: CATALOG });
const rules = guardrailRules(guardrails, { getSeriesMany: async (ids) => CATALOG.filter((s) => ids.includes(s.id)) });

const card = (seriesId: string, title: string, volume: number): ProductCard => ({ id: `${seriesId}-v${volume}`, seriesId, title, titleJa: null, authors: ['A'], volume, priceJpy: 583, inStock: true });
let at = 1_800_000_000_000;
const turn = (id: string, question: string, answer: string, extra: { intent?: string; cards?: ProductCard[]; about?: StoredMessage['about'] } = {}): StoredMessage[] => [
  { role: 'user', text: question, messageId: id, intent: extra.intent ?? 'product_search', language: 'en', at: (at += 1000) },
  { role: 'assistant', text: answer, messageId: id, intent: extra.intent ?? 'product_search', language: 'en', at: (at += 1000), ...(extra.cards ? { cards: extra.cards } : {}), ...(extra.about ? { about: extra.about } : {}) },
];
const snapshot = async (history: StoredMessage[], ownNames: string[] = []) => {
  const ids = [...new Set(history.flatMap((m) => (m.cards ?? []).map((c) => c.seriesId)))];
  return snapshotMessages(history, rules, { allowedSeries: await rules.seriesForEveryone(ids), ownNames });
};

describe('the shared snapshot of a conversation', () => {
  it('keeps a catalog turn: text, language, cards without price or stock', async () => {
    const out = await snapshot(turn('c-1', 'Do you have Frieren?', 'Yes, Frieren volume 14 is in stock for ¥583.', { cards: [card('sousou-no-frieren', 'Sousou no Frieren', 14)] }));
    assert.equal(out.length, 2);
    assert.deepEqual(out[0], { role: 'user', text: 'Do you have Frieren?', at: out[0].at, language: 'en' });
    const answer = out[1];
    assert.equal(answer.role, 'assistant');
    assert.ok(answer.role === 'assistant' && answer.cards?.length === 1);
    assert.deepEqual(Object.keys(answer.cards![0]).sort(), ['authors', 'id', 'seriesId', 'title', 'titleJa', 'volume']);
    assert.ok(!JSON.stringify(out).includes('priceJpy') && !JSON.stringify(out).includes('inStock'));
    assert.ok(!JSON.stringify(out).includes('c-1'), 'message ids are not shared');
  });

  it('masks personal data the guardrails find: e-mail, phone, card number', async () => {
    const out = await snapshot(turn('c-1', 'I am taro@example.jp, call me on 090-1234-5678, card 4111 1111 1111 1111. Any Frieren?', 'Frieren is in stock.'));
    const text = (out[0] as { text: string }).text;
    assert.ok(!text.includes('taro@example.jp'), text);
    assert.ok(!text.includes('1234-5678'), text);
    assert.ok(!text.includes('4111 1111 1111 1111'), text);
    assert.match(text, /Any Frieren\?/);
  });

  it('leaves out a turn about an order, whole: by its intent, an order number anywhere, or the order it was about', async () => {
    const history = [
      ...turn('c-1', 'Do you have Frieren?', 'Yes.'),
      ...turn('c-2', 'Where is my order?', 'Your order MA-20261005-0003 was delivered to 東京都渋谷区 on 5 October.', { intent: 'order_status' }),
      ...turn('c-3', 'and the tracking number?', 'It is 1234-5678-9012.', { intent: 'faq', about: { orderId: 'MA-20261005-0003' } }),
      ...turn('c-4', 'is MA-20261005-0003 a big box?', 'Boxes depend on the items.', { intent: 'faq' }),
      ...turn('c-5', 'Thanks!', 'You are welcome!', { intent: 'chitchat' }),
    ];
    const out = await snapshot(history);
    assert.deepEqual(out.map((m) => (m.role === 'note' ? `note:${m.leftOut}` : m.role)), ['user', 'assistant', 'note:orders', 'user', 'assistant']);
    const all = JSON.stringify(out);
    for (const secret of ['MA-2026', 'delivered', '渋谷', 'tracking', '9012', 'big box']) assert.ok(!all.includes(secret), secret);
  });

  it('leaves out a request for staff (it opens a ticket in the customer\'s name)', async () => {
    const out = await snapshot(turn('c-1', 'I want to talk to a human', 'I have asked our staff; your ticket is 1A2B3C4D.', { intent: 'escalation' }));
    assert.deepEqual(out.map((m) => m.role === 'note' && m.leftOut), ['handoff']);
  });

  it('shows an anonymous reader nothing 18+, even from an age-confirmed owner\'s conversation', async () => {
    const history = [
      ...turn('c-1', 'Is Gantz finished?', 'Gantz is complete in 37 volumes.', { cards: [card('gantz', 'Gantz', 37)] }),
      // A turn whose text is fine but whose cards include an 18+ series: the card goes, the turn stays.
      ...turn('c-2', 'Something like Frieren?', 'Here are two picks.', { cards: [card('sousou-no-frieren', 'Sousou no Frieren', 1), card('gantz', 'Gantz', 1)] }),
      // An answer that withheld an 18+ title from its asker: the refusal names what was asked.
      ...turn('c-3', 'can I buy it?', 'That title is for adults only.', { about: { withheld: ['gantz'] } }),
    ];
    const out = await snapshot(history);
    assert.deepEqual(out.map((m) => (m.role === 'note' ? `note:${m.leftOut}` : m.role)), ['note:not_for_everyone', 'user', 'assistant', 'note:not_for_everyone']);
    const picks = out[2] as { cards?: { seriesId: string }[] };
    assert.deepEqual(picks.cards?.map((c) => c.seriesId), ['sousou-no-frieren']);
    assert.ok(!JSON.stringify(out).includes('Gantz'));
  });

  it('merges consecutive notes of one kind, keeps notes of different kinds apart', async () => {
    const history = [
      ...turn('c-1', 'order status please', 'Your order is on its way.', { intent: 'order_status' }),
      ...turn('c-2', 'when will it arrive?', 'Tomorrow.', { intent: 'order_status' }),
      ...turn('c-3', 'I want a human', 'A colleague will answer.', { intent: 'escalation' }),
    ];
    const out = await snapshot(history);
    assert.deepEqual(out.map((m) => m.role === 'note' && m.leftOut), ['orders', 'handoff']);
  });

  it("masks the owner's own name, whole and in parts, but not words that merely contain a part", async () => {
    const out = await snapshot(
      turn('c-1', 'Hi, John Smith here. Smith again. Is Rurouni Kenshin in stock? 佐藤です', 'Hello John! Kenshin is in stock.', { intent: 'product_question' }),
      ['John Smith', '佐藤 花子', 'Ken'],
    );
    const [q, a] = out as { text: string }[];
    assert.equal(q.text, 'Hi, [name] here. [name] again. Is Rurouni Kenshin in stock? [name]です');
    assert.equal(a.text, 'Hello [name]! Kenshin is in stock.');
  });

  it('copes with an answer whose question left the window', async () => {
    const history = turn('c-1', 'Do you have Frieren?', 'Yes, volume 14.').slice(1);
    const out = await snapshot(history);
    assert.deepEqual(out.map((m) => m.role), ['assistant']);
  });
});
