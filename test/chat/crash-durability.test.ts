// SIGKILL at the moment `end` arrives, many times: every acknowledged turn is in the store after
// a restart (a retry of its id is replayed with the same answer), and a message that was in flight
// is answered or replayed, never refused as a duplicate (issue 14, "acknowledged means stored").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startService, type RunningService } from '../../bench/lib/service.ts';
import { connectChat, replyText, type ChatClient } from '../helpers/ws-client.ts';

const KILLS = 6;
const CHATS = 24;
const QUESTIONS = ['Do you have One Piece?', 'how much is volume 2 of it?', 'Is it in stock?', 'what is your return policy?'];

interface Acknowledged {
  sessionId: string;
  resumeToken: string;
  id: string;
  text: string;
  answer: string;
}

const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  WS_PING_INTERVAL_MS: '0',
  // Limits are not under test: 24 chats from one address, back to back.
  RATE_GUEST_PER_MIN: '1000000',
  RATE_GUEST_BURST: '1000000',
  GUEST_SESSIONS_PER_ADDRESS_PER_MIN: '1000000',
  GUEST_SESSIONS_PER_ADDRESS_BURST: '1000000',
  BROWNOUT_LAG_MS: '0',
  // Nor is latency: on a busy machine a store call may pass the 250 ms memory deadline, and a
  // message refused before the kill would fail the round for a reason outside the test.
  MEMORY_TIMEOUT_MS: '3000',
  READING_DICTIONARY: 'off',
});

test(`SIGKILL the moment an end arrives, ${KILLS} times: every acknowledged turn is replayed after the restart`, { timeout: 170_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-crash-'));
  const acknowledged: Acknowledged[] = [];
  const inFlight: Omit<Acknowledged, 'answer'>[] = [];
  let service: RunningService | undefined;
  try {
    for (let kill = 0; kill < KILLS; kill++) {
      service = await startService(env(dataDir), join(dataDir, `service-${kill}.log`));
      const wsUrl = service.url.replace('http', 'ws');
      const chats = await Promise.all(Array.from({ length: CHATS }, () => connectChat(wsUrl)));
      const pid = service.pid;
      let killed = false;
      let ends = 0;
      // Kill after a random number of answers in this round, from inside the frame handler: the
      // process dies with that `end` just sent and others mid-commit.
      const killAt = 10 + Math.floor(Math.random() * 40);
      await Promise.all(
        chats.map(async (chat: ChatClient, c) => {
          // The kill closes every socket: a reply still awaited then never comes.
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

    // After the last kill, start once more and check every acknowledged turn and every message in flight.
    service = await startService(env(dataDir), join(dataDir, 'service-final.log'));
    const wsUrl = service.url.replace('http', 'ws');
    let replayed = 0;
    for (const a of acknowledged) {
      const chat = await connectChat(wsUrl, { session: a.sessionId, resume: a.resumeToken });
      assert.equal(chat.sessionId, a.sessionId, `the owner resumes ${a.sessionId}`);
      const frames = await chat.ask(a.text, a.id);
      await chat.close();
      const end = frames.at(-1)!;
      assert.equal(end.type, 'end', `acknowledged ${a.id} came back as ${JSON.stringify(end)}`);
      assert.equal(end.replayed, true, `acknowledged ${a.id} was answered anew: it had not been stored`);
      assert.equal(replyText(frames), a.answer, `acknowledged ${a.id} replayed a different answer`);
      replayed++;
    }
    for (const m of inFlight) {
      const chat = await connectChat(wsUrl, { session: m.sessionId, resume: m.resumeToken });
      const frames = await chat.ask(m.text, m.id);
      await chat.close();
      assert.equal(frames.at(-1)!.type, 'end', `in-flight ${m.id}: ${JSON.stringify(frames.at(-1))}`);
    }
    assert.ok(acknowledged.length >= KILLS * 10, `${acknowledged.length} acknowledged turns`);
    assert.equal(replayed, acknowledged.length);
  } finally {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
