// A message asking two things one knowledge-base section answers ("do you ship abroad? how much to
// the US?", 「代引きの手数料っていくら？上限金額もある？」): each gets its sentence, said once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
// Deadlines wide: this judges what the answers say, which must not depend on the machine's load
// (at load ~19 a model call past its shipped deadline is the fallback reply, and the test failed).
import { WIDE_DEADLINES } from '../../bench/conversations/player.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer(WIDE_DEADLINES);
});
after(async () => {
  await server?.close();
});

async function ask(text: string): Promise<string> {
  const res = await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  assert.equal(res.status, 200);
  return ((await res.json()) as { text: string }).text;
}

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
