import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

// 「そもそも登録なしで買えるの？」 after a policy answer: buying without an account (登録なし, 登録せず said
// without 会員), asked on from the question before (そもそも carries it on) — not a title search
// (fixer P, step 8; blind7 b7-pol-ja-guest-point).

const service = useChatService();

/** The last reply of `messages` played in a new guest chat. */
const asked = async (...messages: string[]) => (await service.chat('guest', messages)).at(-1)!;

test('buying without registering, asked on after a points or membership answer (ja)', async () => {
  const a = await asked('ポイントって何円分になりますか', 'そもそも登録せずに買い物できる？');
  assert.match(a.text, /アカウントがなくても|ゲスト/);
  assert.doesNotMatch(a.text, /作品が見つかりませんでした/);
  const b = await asked('プライム会員の特典を教えて', 'そもそも登録なしで購入できますか');
  assert.match(b.text, /アカウントがなくても|ゲスト/);
  assert.doesNotMatch(b.text, /作品が見つかりませんでした/);
});
