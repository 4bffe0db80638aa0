// A title asked for in another language ("do you sell Spy x Family in English?", 「…の英語版ありますか？」)
// is answered first with the language of the editions the store sells (the knowledge base: the
// Japanese editions), then with what it has of the title (lead's probe L7, session 24: the series'
// summary alone, 'in English' ignored). Played over the WebSocket on the shipped catalog.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { conceptsOf } from '../../src/retrieval/policy-sections.ts';

const service = useChatService();

/** The reply to `say` in a fresh chat: its text and the series of its cards. */
const ask = async (say: string) => (await service.chat('guest', [say]))[0];

describe('a title asked for in another language', () => {
  it('says first that the editions are Japanese, then what the store has of the title, in both languages', async () => {
    for (const [say, japanese, title] of [
      ['Do you sell Spy x Family in English?', /Japanese editions/, /Spy x Family/],
      ['is Frieren available in english?', /Japanese editions/, /Frieren/],
      ['スパイファミリーの英語版ありますか？', /日本語版/, /SPY×FAMILY/],
      ['ワンピースって英語で読める？', /日本語版/, /ワンピース/],
    ] as const) {
      const r = await ask(say);
      const at = r.text.search(japanese);
      assert.ok(at >= 0, `${say}: the editions' language: ${r.text}`);
      assert.ok(at < r.text.search(title), `${say}: said before the title: ${r.text}`);
      assert.ok(r.series.length > 0, `${say}: the title's cards`);
    }
  });

  it('reads the language of the books asked of a title, not the name of it or the chat\'s language', () => {
    for (const t of ['Do you sell Spy x Family in English?', 'can I get Berserk in English', 'ワンピースって英語で読める？']) assert.ok(conceptsOf(t, true).has('edition-language'), t);
    for (const t of ["what's it called in English?", 'I have a question, can you answer in English?', 'can you help me in english please']) assert.ok(!conceptsOf(t, true).has('edition-language'), t);
  });
});
