import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText } from '../helpers/ws-client.ts';
import { WIDE_DEADLINES } from '../../bench/conversations/player.ts';

// 「そもそも登録なしで買えるの？」 after a policy answer: buying without an account (登録なし, 登録せず said
// without 会員), asked on from the question before (そもそも carries it on) — not a title search
// (fixer P, step 8; blind7 b7-pol-ja-guest-point).

let server: TestServer;
before(async () => {
  server = await startTestServer(WIDE_DEADLINES);
});
after(async () => {
  await server?.close();
});

async function asked(...messages: string[]): Promise<{ text: string; intent?: string }> {
  const c = await connectChat(server.wsUrl, {});
  try {
    let last: Awaited<ReturnType<typeof c.ask>> | undefined;
    for (const m of messages) last = await c.ask(m);
    return { text: replyText(last!) };
  } finally {
    await c.close();
  }
}

test('buying without registering, asked on after a points or membership answer (ja)', async () => {
  const a = await asked('ポイントって何円分になりますか', 'そもそも登録せずに買い物できる？');
  assert.match(a.text, /アカウントがなくても|ゲスト/);
  assert.doesNotMatch(a.text, /作品が見つかりませんでした/);
  const b = await asked('プライム会員の特典を教えて', 'そもそも登録なしで購入できますか');
  assert.match(b.text, /アカウントがなくても|ゲスト/);
  assert.doesNotMatch(b.text, /作品が見つかりませんでした/);
});
