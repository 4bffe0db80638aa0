/**
 * A title that holds a format word is the title, not that format: "Blue Box 21" asks volume 21 of
 * Blue Box (アオのハコ), not a box set of it, in English and in katakana (「ブルーボックス」); a box set
 * asked for beside the title is still a box set. Through the real service on the suite's day, guest,
 * shipped catalog. (Fixer w2a, step 8: the title cases fail on cca0653 with "We don't have a box set".)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

const service = useChatService({ clock: true });
const chat = async (turns: string[]) => (await service.chat(undefined, turns)).map((r) => r.text);

const NO_BOX_SET = /box set of|BOXセットは、当店では/;

describe('a format word inside a series title', () => {
  for (const said of ['blue box 21 release date?', 'is blue box 21 out yet', 'how much is Blue Box 21', 'when does blue box #21 come out']) {
    it(`"${said}": volume 21 of Blue Box, no box set mentioned`, async () => {
      const [r] = await chat([said]);
      assert.doesNotMatch(r, NO_BOX_SET);
      assert.match(r, /Vol\. 21/);
    });
  }

  for (const said of ['ブルーボックス', 'ブルーボックスの最新刊いくら？', 'ブルーボックス21巻はいつ発売？']) {
    it(`「${said}」: アオのハコ itself, no box set mentioned`, async () => {
      const [r] = await chat([said]);
      assert.match(r, /アオのハコ/);
      assert.doesNotMatch(r, NO_BOX_SET);
    });
  }

  it('a box set asked for beside the title is still answered as one ("is there a blue box box set?", 「アオのハコのBOXセットある？」)', async () => {
    const [en] = await chat(['is there a blue box box set?']);
    assert.match(en, /box set of Blue Box/);
    const [ja] = await chat(['アオのハコのBOXセットある？']);
    assert.match(ja, /BOXセット/);
  });
});
