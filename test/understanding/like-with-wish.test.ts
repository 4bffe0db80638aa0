// "Whats similar but less depressing" after Goodnight Punpun, 「似たような歴史ものでおすすめある？完結してるやつ」
// after Vinland Saga (lead's probes L3, L3b, session 24): the like phrase beside only what the picks
// should be — a kind, a lighter tone, a length — is still like the series in play (its seed, so
// not among the picks); the words of the wish named no other title, yet they blocked the anchor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceResolver } from '../../src/understanding/references.ts';
import type { TurnContext } from '../../src/understanding/types.ts';

const after = (id: string, text: string): TurnContext[] => [
  { role: 'user', text: 'tell me about it' },
  { role: 'assistant', text, seriesIds: [id], about: { focus: id } },
];

test('similar, with a kind, a tone or a length beside it, is like the series in play', () => {
  const resolver = createReferenceResolver();
  const punpun = after('oyasumi-punpun', 'Goodnight Punpun (Oyasumi Punpun) by Inio Asano is complete in 13 volumes.');
  for (const t of ['whats similar but less depressing', 'anything similar but lighter?', 'something similar but not as dark', 'what is similar, but shorter?', 'similar vibe but happier?', 'same kind of thing but less heavy']) {
    const r = resolver.resolve(t, 'en', punpun, 'recommendation');
    assert.deepEqual([r.seriesId, r.via], ['oyasumi-punpun', 'like-it'], t);
  }
  const vinland = after('vinland-saga', '『ヴィンランド・サガ』は全29巻で完結しています。');
  for (const t of ['似たような歴史ものでおすすめある？完結してるやつ', '似たような作品で恋愛ものある？', '同じような雰囲気で暗くないのない？', '似たような漫画で鬱展開なしのやつ', 'これと似てるけどもっと軽いやつ']) {
    const r = resolver.resolve(t, 'ja', vinland, 'recommendation');
    assert.deepEqual([r.seriesId, r.via], ['vinland-saga', 'like-it'], t);
  }
});

test('another title beside the like phrase is that title, not the series in play', () => {
  const resolver = createReferenceResolver();
  const punpun = after('oyasumi-punpun', 'Goodnight Punpun (Oyasumi Punpun) by Inio Asano is complete in 13 volumes.');
  assert.notEqual(resolver.resolve("what's similar to one piece", 'en', punpun, 'recommendation').seriesId, 'oyasumi-punpun');
  const vinland = after('vinland-saga', '『ヴィンランド・サガ』は全29巻で完結しています。');
  assert.notEqual(resolver.resolve('似たようなのでワンピースみたいなやつ', 'ja', vinland, 'recommendation').seriesId, 'vinland-saga');
});
