/** The built-in knowledge the local engine answers from when retrieval is down, and its drift check against data/kb. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Grounding } from '../../src/llm/types.ts';
import { createLocalEngine } from '../../src/llm/local-engine.ts';
import { BUILT_IN_KNOWLEDGE } from '../../src/llm/compose/built-in-knowledge.ts';
import { MESSAGES } from '../../src/llm/compose/messages.ts';
import { LINKS, NOW, PASSAGES, grounding } from './fixtures.ts';

const KB_DIR = join(import.meta.dirname, '../../data/kb');
const LANGUAGES = ['en', 'ja'] as const;

function kbFile(language: 'en' | 'ja', id: string): string {
  return readFileSync(join(KB_DIR, language, `${id}.md`), 'utf8');
}

/**
 * The checkable facts of a summary: amounts (¥1,200 / 1,200円 / 3%), bare numbers (30, 0120),
 * site paths and email addresses. Each must appear verbatim in the topic's KB file.
 */
function facts(summary: string): string[] {
  return [
    ...summary.matchAll(/¥?\d[\d,]*(?:%|円)?/g),
    ...summary.matchAll(/(?<![\w.])\/[a-z][\w/-]*/g),
    ...summary.matchAll(/[\w.-]+@[\w.-]+\.[a-z]+/g),
  ].map((m) => m[0].replace(/,$/, ''));
}

const engine = createLocalEngine({ now: () => NOW });

async function answer(g: Grounding): Promise<string> {
  let text = '';
  for await (const c of engine.stream(g, {})) if (c.type === 'token') text += c.text;
  return text;
}

const retrievalDown = (language: 'en' | 'ja', text: string) => grounding('faq', language, { text, degraded: ['retrieval'] });

describe('built-in knowledge: cannot drift from the knowledge base', () => {
  it('has exactly one topic per KB file, in both languages, titled as the file', () => {
    for (const language of LANGUAGES) {
      const files = readdirSync(join(KB_DIR, language)).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3)).sort();
      assert.deepEqual(Object.keys(BUILT_IN_KNOWLEDGE).sort(), files, `topics = data/kb/${language}`);
      for (const id of files) {
        const heading = kbFile(language, id).match(/^# (.+)$/m)?.[1];
        assert.equal(BUILT_IN_KNOWLEDGE[id][language].title, heading, `${language}/${id} title`);
      }
    }
    assert.equal(Object.keys(BUILT_IN_KNOWLEDGE).length, 14);
  });

  it('the fact extraction finds amounts, numbers, paths and addresses (so the next check is not vacuous)', () => {
    assert.deepEqual(facts('From ¥1,200 per 1 kg, 3% points, 350円, 5〜7営業日, at /account/membership or a@b.example.'), [
      '¥1,200', '1', '3%', '350円', '5', '7', '/account/membership', 'a@b.example',
    ]);
    assert.ok(facts(BUILT_IN_KNOWLEDGE.returns.en.summary).includes('¥350'));
  });

  for (const id of Object.keys(BUILT_IN_KNOWLEDGE)) {
    for (const language of LANGUAGES) {
      it(`${language}/${id}: every number, amount, path and address in the summary is in the KB file`, () => {
        const entry = BUILT_IN_KNOWLEDGE[id][language];
        const kb = kbFile(language, id);
        const found = facts(entry.summary);
        assert.ok(found.length > 0, 'a summary carries at least one checkable fact');
        for (const fact of found) assert.ok(kb.includes(fact), `"${fact}" from the ${language}/${id} summary is not in data/kb/${language}/${id}.md`);
        assert.ok(entry.keywords.length >= 3, 'enough keywords to be found');
        if (language === 'ja') assert.match(entry.summary, /[\p{Script=Hiragana}]/u, 'the Japanese summary is Japanese');
      });
    }
  }
});

describe('built-in knowledge: answers when retrieval is down', () => {
  it('"what is your return policy?" → the returns summary in English, with the honest note and the support link', async () => {
    const text = await answer(retrievalDown('en', 'what is your return policy?'));
    assert.match(text, /can't look up our help articles right now/);
    assert.match(text, /Returns and Refunds/);
    assert.match(text, /within 30 days of delivery/);
    assert.match(text, /¥350/);
    assert.ok(text.includes(LINKS.support));
  });

  it('「返品はできますか？」 → the returns summary in Japanese', async () => {
    const text = await answer(retrievalDown('ja', '返品はできますか？'));
    assert.match(text, /ご案内ページを検索できない/);
    assert.match(text, /「返品・返金について」/);
    assert.match(text, /商品到着から30日以内/);
    assert.doesNotMatch(text, /[a-z]{4,} [a-z]{4,}/, 'no English summary in a Japanese answer');
    assert.ok(text.includes(LINKS.support));
  });

  it('"how much is shipping?" → the shipping summary (not delivery times), in the customer\'s language', async () => {
    const en = await answer(retrievalDown('en', 'how much is shipping?'));
    assert.match(en, /our Shipping guide/);
    assert.match(en, /¥2,000 or more ship free/);
    assert.match(en, /flat ¥350/);
    const ja = await answer(retrievalDown('ja', '送料はいくらですか'));
    assert.match(ja, /「配送について」/);
    assert.match(ja, /2,000円以上で送料無料/);
  });

  it('a question in one language matches keywords of the other ("konbini" asked in Japanese)', async () => {
    const text = await answer(retrievalDown('ja', 'konbiniで払えますか'));
    assert.match(text, /「お支払い方法」/);
  });

  it('"how long does shipping take?" goes to delivery times, not shipping fees', async () => {
    assert.match(await answer(retrievalDown('en', 'how long does shipping take?')), /our Delivery Times guide/);
  });

  it('an unrelated question still gets the plain retrieval-down apology', async () => {
    for (const [language, text] of [['en', 'who is the strongest ninja?'], ['ja', '今日はいい天気ですね'], ['en', 'hello']] as const) {
      const out = await answer(retrievalDown(language, text));
      assert.equal(out, MESSAGES[language].retrievalDown(LINKS.support));
    }
  });

  it('is used only when retrieval is down: with retrieval up and nothing found the answer admits it', async () => {
    const text = await answer(grounding('faq', 'en', { text: 'what is your return policy?' }));
    assert.match(text, /don't have information/);
    assert.doesNotMatch(text, /within 30 days/);
  });

  it('passages win over built-in knowledge whenever there are any', async () => {
    const text = await answer(grounding('faq', 'en', { text: 'can I return an opened book?', passages: PASSAGES, degraded: ['retrieval'] }));
    assert.doesNotMatch(text, /can't look up/);
    assert.match(text, /From our Returns and refunds guide/);
  });
});
