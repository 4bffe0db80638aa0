// "Acknowledged means stored" on DynamoDB: the service (STORE_BACKEND=dynamodb, a child process)
// is SIGKILLed the moment an `end` arrives, several times; each start uses an empty DATA_DIR, so
// everything that comes back comes from the tables. Every acknowledged turn is replayed with the
// same answer, and a message that was in flight is answered or replayed, never refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '../../bench/lib/service.ts';
import { connectChat, replyText, type ChatClient } from '../helpers/ws-client.ts';
import { startDynalite } from '../helpers/dynalite.ts';

const KILLS = 4;
const CHATS = 16;
const QUESTIONS = ['Do you have One Piece?', 'how much is volume 2 of it?', 'Is it in stock?', 'what is your return policy?'];

interface Sent {
  sessionId: string;
  resumeToken: string;
  id: string;
  text: string;
}

test(`SIGKILL at an end, ${KILLS} times, STORE_BACKEND=dynamodb: every acknowledged turn is replayed from the tables`, { timeout: 170_000 }, async () => {
  const dynamo = await startDynalite();
  const root = mkdtempSync(join(tmpdir(), 'manga-assist-dynamo-crash-'));
  const env = (round: string) => ({
    DATA_DIR: join(root, round),
    STORE_BACKEND: 'dynamodb',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    DYNAMODB_CREATE_TABLES: 'true',
    DYNAMODB_TABLE_PREFIX: `crash-${process.pid}-`,
    LOG_LEVEL: 'warn',
    WS_PING_INTERVAL_MS: '0',
    READING_DICTIONARY: 'off',
    // Limits are not under test: many chats from one address, back to back.
    RATE_GUEST_PER_MIN: '1000000',
    RATE_GUEST_BURST: '1000000',
    GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1000000',
    GUEST_SESSIONS_PER_ADDRESS_BURST: '1000000',
    BROWNOUT_LAG_MS: '0',
    // Neither is latency: dynalite on a busy 2-core machine can take longer than the 250 ms
    // memory deadline, and a refused message before the kill would fail the round for nothing.
    MEMORY_TIMEOUT_MS: '3000',
    // ...and every deadline is cut from the message's budget (1,500 ms): at load 20 a first message
    // of a just-started service still ran out of it ('unavailable' before the kill).
    MESSAGE_BUDGET_MS: '10000',
  });
  const acknowledged: (Sent & { answer: string })[] = [];
  const inFlight: Sent[] = [];
  let service: RunningService | undefined;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      service = await startService(env(`round-${kill}`), join(root, `service-${kill}.log`));
      const wsUrl = service.url.replace('http', 'ws');
      const chats = await Promise.all(Array.from({ length: CHATS }, () => connectChat(wsUrl)));
      const pid = service.pid;
      let killed = false;
      let ends = 0;
      const killAt = 8 + Math.floor(Math.random() * 24);
      await Promise.all(
        chats.map(async (chat: ChatClient, c) => {
          const gone = new Promise<undefined>((resolve) => chat.socket.once('close', () => resolve(undefined)));
          for (let i = 0; i < QUESTIONS.length && !killed; i++) {
            const id = `k${kill}-c${c}-m${i}`;
            const from = chat.frames.length;
            chat.send({ type: 'user_message', id, text: QUESTIONS[i] });
            const sent = { sessionId: chat.sessionId, resumeToken: chat.resumeToken, id, text: QUESTIONS[i] };
            const end = await Promise.race([chat.next((f) => f.replyTo === id && (f.type === 'end' || f.type === 'error'), from, 15_000).catch(() => undefined), gone]);
            if (end?.type === 'end') {
              acknowledged.push({ ...sent, answer: replyText(chat.frames.slice(from).filter((f) => f.replyTo === id)) });
              if (++ends === killAt && !killed) {
                killed = true;
                process.kill(pid, 'SIGKILL');
              }
            } else if (killed) {
              inFlight.push(sent);
              return;
            } else assert.fail(`message ${id} failed before the kill: ${JSON.stringify(end)}`);
          }
        }),
      );
      if (!killed) process.kill(pid, 'SIGKILL');
      await Promise.all(chats.map((c) => c.close()));
      await service.stop();
    }

    service = await startService(env('final'), join(root, 'service-final.log'));
    const wsUrl = service.url.replace('http', 'ws');
    for (const a of acknowledged) {
      const chat = await connectChat(wsUrl, { session: a.sessionId, resume: a.resumeToken });
      assert.equal(chat.sessionId, a.sessionId, `the owner resumes ${a.sessionId}`);
      const frames = await chat.ask(a.text, a.id);
      await chat.close();
      const end = frames.at(-1)!;
      assert.equal(end.type, 'end', `acknowledged ${a.id} came back as ${JSON.stringify(end)}`);
      assert.equal(end.replayed, true, `acknowledged ${a.id} was answered anew: it had not been stored`);
      assert.equal(replyText(frames), a.answer, `acknowledged ${a.id} replayed a different answer`);
    }
    for (const m of inFlight) {
      const chat = await connectChat(wsUrl, { session: m.sessionId, resume: m.resumeToken });
      const frames = await chat.ask(m.text, m.id);
      await chat.close();
      assert.equal(frames.at(-1)!.type, 'end', `in-flight ${m.id}: ${JSON.stringify(frames.at(-1))}`);
    }
    assert.ok(acknowledged.length >= KILLS * 8, `${acknowledged.length} acknowledged turns`);
  } finally {
    await service?.stop();
    await dynamo.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
