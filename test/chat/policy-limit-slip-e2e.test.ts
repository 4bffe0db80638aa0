import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText } from '../helpers/ws-client.ts';
import { WIDE_DEADLINES } from '../../bench/conversations/player.ts';

// An upper amount asked as 「何円まで」「何万円まで」 or "how much can I pay", and the price on a gift's
// slip asked as 「金額って伝票に載る？」: the sentence of the section that answers it, not only the
// section's first lines or nothing at all (fixer P, step 8; blind7 b7-pol-ja-furikomi, b7-pol-ja-gift-msg).

let server: TestServer;
before(async () => {
  server = await startTestServer(WIDE_DEADLINES);
});
after(async () => {
  await server?.close();
});

async function asked(...messages: string[]): Promise<string> {
  const c = await connectChat(server.wsUrl, {});
  try {
    let last = '';
    for (const m of messages) last = replyText(await c.ask(m));
    return last;
  } finally {
    await c.close();
  }
}

test('the cash-on-delivery limit asked as an amount "up to how much" (ja, en)', async () => {
  assert.match(await asked('支払い方法は何がありますか', '代引きだと何万円まで払えますか'), /5万円/);
  assert.match(await asked('代金引換って何円までOK？'), /5万円/);
  assert.match(await asked('do you take cash on delivery?', 'how much can I pay with cash on delivery?'), /¥50,000/);
});

test('whether the price is on the slip of a present (ja)', async () => {
  assert.match(await asked('プレゼント用のラッピングはできますか', '納品書に値段は書いてありますか'), /金額は記載しません/);
  assert.match(await asked('友達へのギフトなんですが、明細に価格って出ちゃう？'), /金額は記載しません/);
});
