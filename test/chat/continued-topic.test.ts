import { test } from 'node:test';
import assert from 'node:assert/strict';
import { continuedTopic } from '../../src/chat/understand.ts';
import type { StoredMessage } from '../../src/memory/types.ts';
import type { Intent, IntentResult, Language } from '../../src/understanding/types.ts';

// A classifier that reads the customer's last question and the fragment together as that
// question's topic: what the real one does with the words of the question in front.
function classifierReading(topics: Record<string, Intent>) {
  return {
    classify(text: string, language: Language): IntentResult {
      const hit = Object.entries(topics).find(([start]) => text.startsWith(start));
      return { intent: hit ? hit[1] : 'chitchat', confidence: 0.9, language } as IntentResult;
    },
  };
}

const history = (question: string, intent: Intent): StoredMessage[] => [
  { role: 'user', text: question, messageId: 'm1', intent, language: 'en', at: 0 },
  { role: 'assistant', text: '...', messageId: 'm1', intent, language: 'en', at: 1 },
];

test('a fragment read alone as small talk carries on the topic of the last question', () => {
  const c = classifierReading({ 'how can I contact support?': 'faq', 'is there a sale on?': 'promotion', 'can I return a book?': 'faq' });
  assert.equal(continuedTopic(c, 'how fast do you usually answer emails', 'en', 'chitchat', history('how can I contact support?', 'faq')), 'faq');
  assert.equal(continuedTopic(c, "ok so what's running right now then", 'en', 'chitchat', history('is there a sale on?', 'promotion')), 'promotion');
  assert.equal(continuedTopic(c, 'and a sealed one I changed my mind about?', 'en', 'escalation', history('can I return a book?', 'faq')), 'faq');
  assert.equal(continuedTopic(c, 'じゃあメールだとどれくらいで返事来ますか', 'ja', 'out_of_scope', history('how can I contact support?', 'faq')), 'faq');
});

test('real small talk, anger, a request for a person and a new subject keep their reading', () => {
  const c = classifierReading({ 'how can I contact support?': 'faq' });
  const h = history('how can I contact support?', 'faq');
  for (const text of ['thanks!', 'how are you doing today?', 'what can you do?', 'this is useless, you stupid bot?', 'can I talk to a person?', 'tell me a joke']) {
    assert.equal(continuedTopic(c, text, 'en', 'chitchat', h), undefined, text);
  }
  // Out of scope with a subject of its own ("what's the weather in Osaka?") says nothing that carries on.
  assert.equal(continuedTopic(c, "what's the weather in Osaka?", 'en', 'out_of_scope', h), undefined);
  // Read together, another topic than the last question's: left as it was.
  assert.equal(continuedTopic(classifierReading({}), 'and how fast do you answer?', 'en', 'chitchat', h), undefined);
  // Nothing asked before.
  assert.equal(continuedTopic(c, 'and how fast do you answer?', 'en', 'chitchat', []), undefined);
});
