/** The one contract every AnswerEngine adapter passes (local, sim, and later the hosted providers). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AnswerChunk, AnswerEngine, Grounding } from '../../src/llm/types.ts';
import { INTENTS } from '../../src/understanding/types.ts';
import { richGrounding } from './fixtures.ts';

const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Every chunk of one answer. */
export async function collect(engine: AnswerEngine, g: Grounding, signal?: AbortSignal): Promise<AnswerChunk[]> {
  const out: AnswerChunk[] = [];
  for await (const c of engine.stream(g, { signal })) out.push(c);
  return out;
}

/** Registers the AnswerEngine contract suite for one adapter. */
export function engineContract(name: string, factory: () => AnswerEngine): void {
  describe(`AnswerEngine contract: ${name}`, () => {
    for (const language of ['en', 'ja'] as const) {
      for (const intent of INTENTS) {
        it(`${intent}/${language}: tokens then exactly one usage chunk, in the customer's language`, async () => {
          const chunks = await collect(factory(), richGrounding(intent, language));
          const tokens = chunks.filter((c) => c.type === 'token');
          const usage = chunks.filter((c) => c.type === 'usage');
          assert.ok(tokens.length >= 1, 'at least one token');
          assert.equal(usage.length, 1, 'exactly one usage chunk');
          assert.equal(chunks.at(-1)?.type, 'usage', 'usage comes last');
          const text = tokens.map((c) => c.text).join('');
          assert.ok(text.trim().length > 0, 'non-empty answer');
          if (language === 'ja') assert.match(text, KANA, 'a Japanese answer contains kana');
          else assert.doesNotMatch(text, KANA, 'an English answer contains no kana');
          const u = usage[0];
          assert.ok(u.type === 'usage' && u.inputTokens > 0 && u.outputTokens > 0 && u.model.length > 0);
          assert.ok(Number.isInteger(u.inputTokens) && Number.isInteger(u.outputTokens));
        });
      }
    }

    it('stops when aborted mid-stream: no token after the abort', async () => {
      const ac = new AbortController();
      let afterAbort = 0;
      let seen = 0;
      for await (const c of factory().stream(richGrounding('recommendation', 'en'), { signal: ac.signal })) {
        if (ac.signal.aborted) afterAbort++;
        if (c.type === 'token' && ++seen === 2) ac.abort();
      }
      assert.equal(seen, 2);
      assert.equal(afterAbort, 0);
    });

    it('does not throw and yields nothing when aborted before the start', async () => {
      const ac = new AbortController();
      ac.abort();
      const chunks = await collect(factory(), richGrounding('faq', 'ja'), ac.signal);
      assert.deepEqual(chunks, []);
    });

    it('answers the same grounding twice independently (no state kept between calls)', async () => {
      const engine = factory();
      const g = richGrounding('price_availability', 'ja');
      const text = async () => (await collect(engine, g)).map((c) => (c.type === 'token' ? c.text : '')).join('');
      assert.equal(await text(), await text());
    });
  });
}
