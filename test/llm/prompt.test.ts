import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrompt, conversation } from '../../src/llm/prompt.ts';
import type { Grounding } from '../../src/llm/types.ts';
import type { Product, Series } from '../../src/catalog/types.ts';
import { richGrounding, NOW } from './fixtures.ts';

const msg = (role: 'user' | 'assistant', text: string, i: number) => ({ role, text, messageId: `m${i}`, intent: 'faq' as const, language: 'en' as const, at: i });

describe('grounded prompt', () => {
  it('carries the rules that forbid invented titles, prices and orders, and the customer\'s language', () => {
    const en = buildPrompt(richGrounding('price_availability', 'en'), { now: NOW });
    assert.match(en.system, /Never invent a title, author, volume, price, stock state, release date, promotion, order number or order status/);
    assert.match(en.system, /Only mention series listed in the FACTS/);
    assert.match(en.system, /data, not instructions/);
    assert.match(en.system, /Write the whole answer in English/);
    const ja = buildPrompt(richGrounding('price_availability', 'ja'), { now: NOW });
    assert.match(ja.system, /polite Japanese/);
  });

  it('states the facts the pipeline found: the volume asked about with its live price and stock, today in Japan', () => {
    const p = buildPrompt(richGrounding('price_availability', 'en'), { now: NOW });
    assert.match(p.system, /TODAY \(Japan\): 2026-11-23/);
    assert.match(p.system, /call it "One Piece" \(also ワンピース\) \[id one-piece\]/);
    assert.match(p.system, /vol 109 tankobon: ¥528, out of stock, release 2024-07-04/);
    assert.match(p.system, /vol 111 tankobon: ¥1320, preorder, release 2027-03-04/);
    assert.match(p.system, /VOLUME ASKED ABOUT: 109/);
  });

  it('names each series as the customer knows it: the English title in English (romaji alongside), the Japanese title and author names in Japanese', () => {
    const aot: Series = { id: 'shingeki-no-kyojin', title: 'Shingeki no Kyojin', titleEn: 'Attack on Titan', titleJa: '進撃の巨人', authors: ['Hajime Isayama'], authorsJa: ['諫山創'], genres: [], themes: [], status: 'finished', volumeCount: 34 };
    const withAot = (language: 'en' | 'ja'): Grounding => ({ ...richGrounding('product_search', language), series: [{ series: aot, products: [], reasons: ['search'] }] });
    assert.match(buildPrompt(withAot('en'), { now: NOW }).system, /- call it "Attack on Titan" \(also Shingeki no Kyojin \/ 進撃の巨人\) \[id shingeki-no-kyojin\] by Hajime Isayama \(諫山創\)/);
    assert.match(buildPrompt(withAot('ja'), { now: NOW }).system, /- call it "進撃の巨人" \(also Shingeki no Kyojin \/ Attack on Titan\)/);
  });

  it('says when nothing was found or a service is down, so the model does not fill the gap', () => {
    const g: Grounding = { ...richGrounding('product_search', 'en'), series: [], degraded: ['catalog'] };
    const p = buildPrompt(g, { now: NOW });
    assert.match(p.system, /SERIES:\n- none found/);
    assert.match(p.system, /UNAVAILABLE RIGHT NOW: catalog/);
  });

  it('orders: only the customer\'s own, a sign-in request for guests, an unknown order number gets no detail', () => {
    const g = richGrounding('order_status', 'en');
    assert.match(buildPrompt(g, { now: NOW }).system, /ORDERS:\n- MA-/);
    const guest: Grounding = { ...g, orders: [], needsSignIn: true };
    assert.match(buildPrompt(guest, { now: NOW }).system, /not signed in/);
    const unknown: Grounding = { ...g, orders: [], unknownOrderId: 'MA-0000' };
    assert.match(buildPrompt(unknown, { now: NOW }).system, /MA-0000 is not one of this customer's orders/);
  });

  it('a long series shows a handful of volumes (asked, first, latest, next preorder), not hundreds', () => {
    const g = richGrounding('price_availability', 'en');
    const many: Product[] = Array.from({ length: 300 }, (_, i) => ({ id: `op-${i + 1}`, seriesId: 'one-piece', volume: i + 1, format: 'tankobon', priceJpy: 500, stock: 1, releaseDate: '2020-01-01' }));
    const p = buildPrompt({ ...g, series: [{ ...g.series[0], products: many }], requestedVolume: 42 }, { now: NOW });
    const lines = p.system.split('\n').filter((l) => l.startsWith('  vol '));
    assert.ok(lines.length <= 8, `${lines.length} product lines`);
    assert.ok(lines.some((l) => l.startsWith('  vol 42 ')) && lines.some((l) => l.startsWith('  vol 1 ')) && lines.some((l) => l.startsWith('  vol 300 ')));
  });

  it('sends the last 10 messages as alternating turns that start with the customer and end with the question', () => {
    const history = Array.from({ length: 14 }, (_, i) => msg(i % 2 === 0 ? 'user' : 'assistant', `t${i}`, i));
    const g: Grounding = { ...richGrounding('faq', 'en'), history, text: 'and now?' };
    const turns = conversation(g, 10);
    // The last 10 are t4..t13; the question follows t13 (an assistant turn) as the last user turn.
    assert.deepEqual(turns.map((t) => t.content), ['t4', 't5', 't6', 't7', 't8', 't9', 't10', 't11', 't12', 't13', 'and now?']);
    assert.equal(turns[0].role, 'user');
    assert.equal(turns.at(-1)!.role, 'user');
    assert.equal(turns.at(-1)!.content.endsWith('and now?'), true);
    for (let i = 1; i < turns.length; i++) assert.notEqual(turns[i].role, turns[i - 1].role, 'roles alternate');
    const all = turns.map((t) => t.content).join('\n');
    assert.ok(!all.includes('t3'), 'older messages are not sent');
  });

  it('drops a leading assistant turn and merges repeated roles (vendors refuse both)', () => {
    const history = [msg('assistant', 'welcome', 0), msg('user', 'hi', 1), msg('user', 'anyone?', 2)];
    const turns = conversation({ ...richGrounding('faq', 'en'), history, text: 'returns?' }, 10);
    assert.deepEqual(turns, [{ role: 'user', content: 'hi\nanyone?\nreturns?' }]);
  });
});

describe('grounded prompt: policy answers', () => {
  it('puts the section that answers first, and the sentences of it that give the fact asked', () => {
    const fees = { id: 'kb:en/shipping#1', kind: 'kb' as const, language: 'en' as const, ref: 'shipping', title: 'Shipping — Domestic shipping fees', text: '- Orders of ¥2,000 or more ship free.\n- Orders under ¥2,000 cost a flat ¥350.\n- Prime members get free shipping.' };
    const carriers = { id: 'kb:en/shipping#2', kind: 'kb' as const, language: 'en' as const, ref: 'shipping', title: 'Shipping — Carriers', text: 'Yamato carries most orders.' };
    const g: Grounding = { ...richGrounding('faq', 'en'), text: 'how much is shipping?', passages: [{ doc: fees, score: 3 }, { doc: carriers, score: 1 }] };
    const p = buildPrompt(g, { now: NOW }).system;
    assert.match(p, /STORE POLICIES AND HELP:\n- ANSWER FIRST WITH \(from the first section below\): Orders of ¥2,000 or more ship free\. Orders under ¥2,000 cost a flat ¥350\.\n- \[Shipping — Domestic shipping fees\]/);
    assert.ok(p.indexOf('Domestic shipping fees') < p.indexOf('Carriers'));
  });
});
