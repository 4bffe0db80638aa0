import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.ts';
import { connectChat, replyText } from '../helpers/ws-client.ts';
// Deadlines wide: this judges what is stored and replayed, not the machine's load (at load ~26 a
// store or model call past its shipped deadline failed the first answer).
import { WIDE_DEADLINES } from '../../bench/conversations/player.ts';

test('a stored conversation survives a restart of the service', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-restart-'));
  // Closed whatever happens: a failed assertion must not leave a service running and the test process hanging.
  const servers: { close(): Promise<void> }[] = [];
  try {
    const first = await startTestServer({ ...WIDE_DEADLINES, DATA_DIR: dataDir });
    servers.push(first);
    const chat = await connectChat(first.wsUrl);
    const frames = await chat.ask('Do you have Frieren?', 'r-1');
    const shown = frames.find((f) => f.type === 'products')?.items as { seriesId: string }[];
    assert.ok(shown?.length, 'Frieren shown');
    const { sessionId, resumeToken } = chat;
    const answer = replyText(frames);
    await chat.close();
    await first.close();

    const second = await startTestServer({ ...WIDE_DEADLINES, DATA_DIR: dataDir });
    servers.push(second);
    const again = await connectChat(second.wsUrl, { session: sessionId, resume: resumeToken });
    assert.equal(again.sessionId, sessionId, 'the owner resumes the conversation after the restart');
    // The repeated id is still known after the restart: the stored answer again, not a second one.
    const dup = await again.ask('Do you have Frieren?', 'r-1');
    assert.equal(dup.at(-1)?.replayed, true);
    assert.equal(replyText(dup), answer);
    assert.deepEqual(dup.find((f) => f.type === 'products')?.items, shown);
    // "vol 2 of it" resolves against the turn stored before the restart.
    const reply = await again.ask('how much is vol 2 of it?', 'r-2');
    const products = reply.find((f) => f.type === 'products')?.items as { seriesId: string; volume: number }[];
    assert.equal(products?.[0]?.seriesId, shown[0].seriesId);
    assert.equal(products[0].volume, 2);
    await again.close();
    await second.close();
  } finally {
    await Promise.allSettled(servers.map((s) => s.close()));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
