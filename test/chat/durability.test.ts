// Acknowledged means stored (issue 14): once `end` is sent the turn is durable, a retried id is
// answered with the stored answer (`replayed`), an id whose first attempt stored nothing is
// answered normally, and a follow-up sent the instant `end` arrives sees the previous turn.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText, type Frame } from '../helpers/ws-client.ts';

const cardsOf = (frames: Frame[]) => (frames.find((f) => f.type === 'products')?.items as { seriesId: string; volume: number | null }[] | undefined) ?? [];

describe('acknowledged means stored', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test('when `end` arrives, the turn is already in the store (read by another connection to the database)', async () => {
    const db = new DatabaseSync(join(server.dataDir, 'memory.sqlite'), { readOnly: true });
    const stored = db.prepare("SELECT count(*) AS n FROM memory_messages WHERE session_id = ? AND message_id = ? AND role = 'assistant'");
    try {
      const chats = await Promise.all(Array.from({ length: 8 }, () => connectChat(server.wsUrl)));
      let checked = 0;
      await Promise.all(
        chats.map(async (chat, c) => {
          for (let i = 0; i < 12; i++) {
            const id = `a-${c}-${i}`;
            const from = chat.frames.length;
            chat.send({ type: 'user_message', id, text: i % 2 ? 'how much is volume 2 of it?' : 'Do you have Frieren?' });
            await chat.next((f) => f.replyTo === id && f.type === 'end', from);
            // Synchronously, on the same turn the frame was handled: nothing else can have run.
            assert.equal((stored.get(chat.sessionId, id) as { n: number }).n, 1, `turn ${id} not stored when its end arrived`);
            checked++;
          }
        }),
      );
      assert.equal(checked, 96);
      await Promise.all(chats.map((c) => c.close()));
    } finally {
      db.close();
    }
  });

  test('a follow-up sent the instant `end` arrives sees the previous turn, every time', async () => {
    const chats = await Promise.all(Array.from({ length: 10 }, () => connectChat(server.wsUrl)));
    await Promise.all(
      chats.map(async (chat, c) => {
        for (let round = 0; round < 5; round++) {
          const first = `f-${c}-${round}-a`;
          const second = `f-${c}-${round}-b`;
          const series = ['Do you have One Piece?', 'Do you have Frieren?', 'Do you have Vagabond?'][(c + round) % 3];
          const from = chat.frames.length;
          chat.send({ type: 'user_message', id: first, text: series });
          await chat.next((f) => f.replyTo === first && f.type === 'end', from);
          const asked = cardsOf(chat.frames.slice(from).filter((f) => f.replyTo === first))[0].seriesId;
          const reply = await chat.ask('how much is volume 3 of it?', second);
          assert.deepEqual([cardsOf(reply)[0]?.seriesId, cardsOf(reply)[0]?.volume], [asked, 3], `round ${round} of chat ${c}: ${replyText(reply)}`);
        }
      }),
    );
    await Promise.all(chats.map((c) => c.close()));
  });

  test('HTTP: a retried id gets the stored answer back, marked replayed; a new id is answered normally', async () => {
    const post = async (body: object) => (await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
    const first = await post({ text: 'Is Chainsaw Man in stock?', id: 'h-1' });
    const again = await post({ text: 'Is Chainsaw Man in stock?', id: 'h-1', sessionId: first.sessionId, resumeToken: first.resumeToken });
    assert.equal(again.replayed, true);
    assert.equal(again.text, first.text);
    assert.deepEqual(again.products, first.products);
    const next = await post({ text: 'how much is volume 2 of it?', id: 'h-2', sessionId: first.sessionId, resumeToken: first.resumeToken });
    assert.equal(next.replayed, undefined);
    assert.equal(next.products[0].volume, 2);
  });
});

describe('a reply cut off before its end is answered again, not replayed', () => {
  let server: TestServer;
  before(async () => {
    // A model that streams slowly enough to leave in the middle of its answer.
    server = await startTestServer({ LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: '20', SIM_LLM_TOKENS_PER_SEC: '40', SIM_LLM_SMALL_TTFT_MS: '20', SIM_LLM_SMALL_TOKENS_PER_SEC: '40', SEMANTIC_CACHE: 'false' });
  });
  after(async () => {
    await server.close();
  });

  test('the client drops mid-answer, reconnects and resends the same id: a full answer, not a replay and not duplicate_message', async () => {
    const chat = await connectChat(server.wsUrl);
    chat.send({ type: 'user_message', id: 'cut-1', text: 'Can you recommend some fantasy manga?' });
    await chat.next((f) => f.replyTo === 'cut-1' && f.type === 'token');
    await chat.close();
    const back = await connectChat(server.wsUrl, { session: chat.sessionId, resume: chat.resumeToken });
    assert.equal(back.sessionId, chat.sessionId);
    const frames = await back.ask('Can you recommend some fantasy manga?', 'cut-1');
    const end = frames.at(-1)!;
    assert.equal(end.type, 'end', JSON.stringify(end));
    assert.equal(end.replayed, undefined);
    assert.ok(cardsOf(frames).length > 0);
    // Now it is stored: the next retry is a replay.
    const replay = await back.ask('Can you recommend some fantasy manga?', 'cut-1');
    assert.equal(replay.at(-1)!.replayed, true);
    assert.equal(replyText(replay), replyText(frames));
    await back.close();
  });

  test('a retry on a second connection while the first is still answering waits for it and gets the same answer', async () => {
    const tab1 = await connectChat(server.wsUrl);
    await tab1.ask('hello', 'warm-up');
    tab1.send({ type: 'user_message', id: 'twice-1', text: 'Can you recommend some romance manga?' });
    await tab1.next((f) => f.replyTo === 'twice-1' && f.type === 'token');
    const tab2 = await connectChat(server.wsUrl, { session: tab1.sessionId, resume: tab1.resumeToken });
    const second = await tab2.ask('Can you recommend some romance manga?', 'twice-1');
    await tab1.next((f) => f.replyTo === 'twice-1' && f.type === 'end');
    const first = tab1.frames.filter((f) => f.replyTo === 'twice-1');
    assert.equal(second.at(-1)!.replayed, true);
    assert.equal(replyText(second), replyText(first));
    await Promise.all([tab1.close(), tab2.close()]);
  });
});
