import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText } from '../helpers/ws-client.ts';

// On the real service with the shipped catalog (fixer T, step 8): the facts asked as a list of nouns
// ("volume count and status?", 「巻数と連載状況は？」) after a series, or beside its name, are that
// series' length and status — not an order's status (a guest was asked to sign in) nor a title search.

const service = useChatService();

test('a fact list after a series, and beside its name, in both languages', async () => {
  await service.withChat('guest', async (c) => {
    await c.ask('search: Monster');
    const en = replyText(await c.ask('volume count and status?'));
    assert.match(en, /18 volumes/);
    assert.match(en, /complete|finished/i);
    const named = replyText(await c.ask('Pluto: status + volume count'));
    assert.match(named, /Pluto/);
    assert.match(named, /8 volumes/);
  });
  await service.withChat('guest', async (j) => {
    await j.ask('モンスターを探してます');
    const ja = replyText(await j.ask('巻数と連載状況は？'));
    assert.match(ja, /18巻/);
    assert.match(ja, /完結/);
  });
});

test('a readership asked beside a title read as a search is answered with the series found', async () => {
  await service.withChat('guest', async (c) => {
    const en = replyText(await c.ask('Vagabond - shounen or seinen?'));
    assert.match(en, /Vagabond/);
    assert.match(en, /It's a Seinen series\./i);
  });
});
