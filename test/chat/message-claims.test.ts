// A message id is answered once across processes (issue 17): two service instances sharing one
// store, the same id sent to both at once — one answers, the other waits for its claim and
// replays the stored turn; nothing is stored twice.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText } from '../helpers/ws-client.ts';

describe('message claims across two processes sharing a store', () => {
  let dataDir: string;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-claims-'));
    // A model slow enough that both copies of the message are in flight together.
    const config = { DATA_DIR: dataDir, MESSAGE_CLAIMS: 'on', LLM_PROVIDER: 'sim', SIM_LLM_TTFT_MS: '300', SIM_LLM_TOKENS_PER_SEC: '0', SIM_LLM_SMALL_TTFT_MS: '300', SIM_LLM_SMALL_TOKENS_PER_SEC: '0', SEMANTIC_CACHE: 'false', SESSION_CACHE_TTL_MS: '5000' };
    a = await startTestServer({ ...config, NODE_ID: 'claims-a' });
    b = await startTestServer({ ...config, NODE_ID: 'claims-b' });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the same id sent to both at once: answered once, replayed once, stored once', async () => {
    for (let round = 0; round < 5; round++) {
      const first = await connectChat(a.wsUrl);
      assert.equal((await first.ask('hello', `hi-${round}`)).at(-1)?.type, 'end');
      const second = await connectChat(b.wsUrl, { session: first.sessionId, resume: first.resumeToken });
      assert.equal(second.sessionId, first.sessionId);
      const id = `dup-${round}`;
      const [fa, fb] = await Promise.all([first.ask('Can you recommend some fantasy manga?', id), second.ask('Can you recommend some fantasy manga?', id)]);
      assert.deepEqual([fa.at(-1)?.type, fb.at(-1)?.type], ['end', 'end'], JSON.stringify([fa.at(-1), fb.at(-1)]));
      assert.equal([fa, fb].filter((f) => f.at(-1)?.replayed === true).length, 1, `round ${round}: one process answered, the other replayed`);
      assert.equal(replyText(fa), replyText(fb));
      const db = new DatabaseSync(join(dataDir, 'memory.sqlite'), { readOnly: true });
      try {
        const n = db.prepare("SELECT count(*) AS n FROM memory_messages WHERE session_id = ? AND message_id = ? AND role = 'user'").get(first.sessionId, id) as { n: number };
        assert.equal(n.n, 1, 'stored once');
      } finally {
        db.close();
      }
      await Promise.all([first.close(), second.close()]);
    }
  });
});
