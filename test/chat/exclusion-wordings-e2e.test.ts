/**
 * A series the customer rules out is never carded, however they say it: read "already" after the
 * titles, owned "all of", its anime seen, "anything but", and in Japanese without は (「…読了済み」)
 * or with なしで／除いて／抜きで. Through the real service, shipped and imported catalogs, guest.
 * (Fixer w2d, step 8, issue 15: each wording carded the ruled-out series on cca0653.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { extractExclusions } from '../../src/understanding/constraints.ts';

const service = useChatService({ clock: true });

describe('a ruled-out series in every wording', () => {
  it('is read from each wording, English and Japanese', () => {
    const cases: [string, string[]][] = [
      ['read berserk, vagabond, vinland saga already. something dark and historical?', ['berserk', 'vagabond', 'vinland saga']],
      ['finished monster already, what next', ['monster']],
      ['i own all of one piece, what should i read next', ['one piece']],
      ["i've read every volume of naruto, any other shonen", ['naruto']],
      ['seen the attack on titan anime so skip it, something dark', ['attack on titan']],
      ['recommend anything but chainsaw man', ['chainsaw man']],
      ['ベルセルクとヴィンランド・サガ読了済み。次は何がいい？', ['ベルセルク', 'ヴィンランド・サガ']],
      ['鬼滅の刃はなしで、バトル漫画', ['鬼滅の刃']],
      ['進撃の巨人は除いておすすめして', ['進撃の巨人']],
      ['ワンピース抜きでおすすめ', ['ワンピース']],
      ['呪術廻戦はアニメで見た。似たのある？', ['呪術廻戦']],
    ];
    for (const [t, want] of cases) assert.deepEqual(extractExclusions(t), want, t);
    assert.deepEqual(extractExclusions('what do you have in stock already'), []);
  });

  it('is never carded in the picks (shipped catalog)', async () => {
    const cases: [string, string][] = [
      ['I own all of one piece, what should I read next', 'one-piece'],
      ['seen the attack on titan anime so not that, something dark', 'shingeki-no-kyojin'],
      ['進撃の巨人は除いておすすめして', 'shingeki-no-kyojin'],
      ['鬼滅の刃はなしで、バトル漫画', 'kimetsu-no-yaiba'],
      ['read one piece and demon slayer already, any action manga?', 'one-piece'],
    ];
    for (const [say, series] of cases) {
      const [r] = await service.chat(undefined, [say]);
      assert.equal(r.intent, 'recommendation', say);
      assert.ok(r.series.length > 0, say);
      assert.ok(!r.series.includes(series), `${say}: carded ${r.series.join(', ')}`);
    }
  });

  it('said of the picks shown in a follow-up ("I read the first two", 「それは読んだ」) brings other picks', async () => {
    for (const [first, then] of [
      ['recommend me some action manga', 'I read the first two'],
      ['recommend me some action manga', 'already have that one'],
      ['any horror manga you recommend?', "i've read those"],
      ['バトル漫画のおすすめは？', 'それは読んだ'],
      ['ホラー漫画でおすすめある？', '全部持ってる'],
    ]) {
      const [a, b] = await service.chat(undefined, [first, then]);
      assert.equal(b.intent, 'recommendation', then);
      assert.ok(b.series.length > 0, then);
      for (const s of a.series) assert.ok(!b.series.includes(s), `${then}: ${s} carded again`);
    }
  });
});
