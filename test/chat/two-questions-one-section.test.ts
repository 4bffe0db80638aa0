// A message asking two things one knowledge-base section answers ("do you ship abroad? how much to
// the US?", 「代引きの手数料っていくら？上限金額もある？」): each gets its sentence, said once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';

const service = useChatService();

/** The reply text to `text` asked by a guest over POST /v1/chat (a new session). */
const ask = async (text: string) => (await service.post('guest', text)).text;

describe('two questions, one section', () => {
  it('a line a second section would add is not said twice ("how many points do I have?": the earning rates once)', async () => {
    const en = await ask('how many points do I have?');
    assert.match(en, /\/account\/points/);
    assert.ok((en.match(/Members: 1%/g)?.length ?? 0) <= 1, en);
    assert.ok(!/(.+)\n\1(\n|$)/.test(en), `a line said twice: ${en}`);
  });

  it('gives the international rates after whether we ship abroad, in both languages, with one source line', async () => {
    const en = await ask('do you ship abroad? how much to the US?');
    assert.match(en, /Japan Post/);
    assert.match(en, /¥1,800/);
    assert.equal(en.match(/From our Shipping guide/g)?.length, 1);
    const ja = await ask('海外発送してますか？アメリカまでだといくら？');
    assert.match(ja, /1,800円/);
    assert.equal(ja.match(/ご利用ガイド/g)?.length, 1);
  });

  it('gives the cash-on-delivery limit after its fee', async () => {
    const ja = await ask('代引きの手数料っていくら？上限金額もある？');
    assert.match(ja, /330円/);
    assert.match(ja, /5万円/);
    assert.doesNotMatch(ja, /キャリア決済/);
  });
});
