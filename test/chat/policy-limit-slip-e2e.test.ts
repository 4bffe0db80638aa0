import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

// An upper amount asked as 「何円まで」「何万円まで」 or "how much can I pay", and the price on a gift's
// slip asked as 「金額って伝票に載る？」: the sentence of the section that answers it, not only the
// section's first lines or nothing at all (fixer P, step 8; blind7 b7-pol-ja-furikomi, b7-pol-ja-gift-msg).

const service = useChatService();

/** The text of the last reply of `messages` played in a new guest chat. */
const asked = async (...messages: string[]) => (await service.chat('guest', messages)).at(-1)!.text;

test('the cash-on-delivery limit asked as an amount "up to how much" (ja, en)', async () => {
  assert.match(await asked('支払い方法は何がありますか', '代引きだと何万円まで払えますか'), /5万円/);
  assert.match(await asked('代金引換って何円までOK？'), /5万円/);
  assert.match(await asked('do you take cash on delivery?', 'how much can I pay with cash on delivery?'), /¥50,000/);
});

test('whether the price is on the slip of a present (ja)', async () => {
  assert.match(await asked('プレゼント用のラッピングはできますか', '納品書に値段は書いてありますか'), /金額は記載しません/);
  assert.match(await asked('友達へのギフトなんですが、明細に価格って出ちゃう？'), /金額は記載しません/);
});
