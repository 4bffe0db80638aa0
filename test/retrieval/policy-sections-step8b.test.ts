import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { asksWhyBlocked, conceptsOf, earlierQuestions, sectionHeading, setAside } from '../../src/retrieval/policy-sections.ts';
import { detectLanguage } from '../../src/understanding/language.ts';
import { askPolicy as ask, sections } from '../helpers/policy-ask.ts';

// Policy questions of blind5 and blind2 (fixer policies, step 8) that reached the wrong section or the
// wrong sentence of it: a wrong volume the customer bought (their mistake, not the store's), opened
// and unopened, a span of time the customer names, a scope set a few questions back, an e-book set aside.

describe('policy sections: step 8 (policies, blind5)', () => {
  it('a wrong volume the customer bought is their mistake: the change-of-mind rule, the e-book cancellation when e-books are in play', () => {
    for (const [text, after] of [
      ['あと、まちがえて違う巻を買っちゃったんですがまだ開いてません。キャンセルできますか', ['電子書籍って何台の端末で読めますか']],
      ['間違えて違う巻買っちゃった時は？まだ開いてないです', ['電子書籍って何台まで読めますか', '海外に住んでても買えますか？']],
      ["I bought the wrong volume by mistake and haven't opened it, can I cancel?", ['how many devices can I read ebooks on?']],
    ] as [string, string[]][]) {
      const got = ask(text, after);
      assert.match(got.section, /^cancellations\//, text);
      // The rule first, then its exception: not 「ただし…」 alone.
      assert.match(got.answer, /^(?:電子書籍はお支払い後すぐに|Digital purchases cannot be cancelled).*(?:24時間|24 hours)/, text);
    }
    assert.match(ask('注文する巻を間違えちゃった。未開封なんだけど返品できますか').answer, /未開封品の返品:返金額から返送料 350円/);
    assert.match(ask("I ordered the wrong volume by mistake, it's still sealed. can I return it?").answer, /changed your mind: ¥350/);
    // ...and a wrong volume delivered is still the store's mistake.
    assert.match(ask('違う巻が届きました').answer, /当店負担/);
    assert.match(ask('the wrong volume arrived, what now?').answer, /we pay return shipping/);
  });

  it('a span of time the customer names picks the sentence that names it; a delivery box is no box set', () => {
    assert.match(ask('ポストも宅配ボックスも見たけど、配達済みなのに届いてない。3日たったらどうすれば？', ['発送メール来たのに追跡番号で調べても何も出てこない']).answer, /^3日経っても見つからない場合はサポートへ/);
    assert.match(ask("it says delivered but it's not here, I checked the mailbox. what if it still isn't there after 3 days?").answer, /within 3 days, contact support/);
    assert.ok(!conceptsOf('宅配ボックスも見ました', true).has('box-set'));
  });

  it('opened and unopened are two answers; a reason of taste is a change of mind', () => {
    assert.match(ask("I opened the volume and honestly didn't like it. Can I send it back?").answer, /^Opened items that are not defective cannot be returned/);
    assert.match(ask("what if I hadn't opened it, still in the shrink wrap?", ["I opened the volume and honestly didn't like it. Can I send it back?"]).answer, /^Unopened/);
    assert.match(ask('開けちゃったけど気に入らなかった。返品できる？').answer, /^開封済みで不良のない商品は返品できません/);
    assert.match(ask('未開封だったらどう？', ['開けちゃったけど気に入らなかった。返品できる？']).answer, /未開封:シュリンク包装/);
  });

  it('a kid opening the mail is no opening hours', () => {
    assert.ok(!conceptsOf('will it come in a plain box? my kids open the mail sometimes', true).has('hours'));
    assert.equal(ask('are you open on sundays?').section, 'contact-support/Chat');
  });

  it('a scope set a few questions back and not left since is still in play (where the customer lives is no new subject)', () => {
    const history = ['電子書籍って何台まで読めますか', '海外に住んでても買えますか？', 'コンビニ払いはできますか'].flatMap((text) => [{ role: 'user', text }, { role: 'assistant', text: '…' }]);
    assert.match(ask('間違えて違う巻買っちゃった時は？まだ開いてないです', earlierQuestions(history)).answer, /24時間以内/);
    // ...not once another subject was asked since.
    const left = ['how many devices can I read ebooks on?', 'is there a free trial of prime?', 'how much is shipping?'].flatMap((text) => [{ role: 'user', text }, { role: 'assistant', text: '…' }]);
    assert.ok(!earlierQuestions(left).some((t) => conceptsOf(t, true).has('digital')));
  });

  it('an e-book set aside ("forget the ebook, I\'ll get the paperback") is no longer in play', () => {
    assert.match(ask("ok forget the ebook, I'll get the paperback. whats shipping for just that one book", ['the ebook version of that one?', 'and 4?']).answer, /¥350/);
    assert.match(ask('電子版はやめて紙で買います。送料はいくら？', ['電子版はある？']).answer, /350円/);
    assert.deepEqual([...setAside('forget the ebook, I will get the paperback')], ['digital']);
    assert.deepEqual([...setAside('can I read the ebook offline?')], []);
  });
  it('who asks (Prime, a guest) does not displace the item in play: a Prime member\'s preorder arrives on release day as anyone\'s', () => {
    assert.equal(ask('プライムなら発売日に届きますか？', ['薬屋のひとりごと15巻の発売日はいつですか？ (preorder)']).section, 'preorders/発売日のお届け');
    assert.equal(ask('if I were prime would it arrive on release day?', ['when does the next frieren come out (preorder)']).section, 'preorders/Release day delivery');
    // ...while with no item in play, Prime is the page.
    assert.match(ask('do prime members get early access to preorders?').section, /^membership\//);
    // ...and Prime as the subject ("Prime's billing"), not as a condition, is Prime's page whatever is in play.
    assert.equal(ask('あとプライムの引き落としがカード期限切れで失敗したらどうなります？', ['プライム会員の限定版先行予約って、一般より何時間早いんですか？']).section, 'membership/お支払いができなかった場合');
  });

  it('making an account as the condition of another question: the question is the rest', () => {
    assert.equal(ask('when would I be charged if I did make an account', ['can I preorder as a guest', 'when does One Piece 113 come out']).section, 'preorders/When you are charged');
    assert.match(ask('アカウントを作ったらポイントはもらえる？').section, /^points\//);
    assert.match(ask('how do I make an account?').section, /^account\//);
  });
  it('a refund that shows up is the money back, not points credited', () => {
    assert.match(ask('how long do refunds usually take to show up', ['I sent back the berserk volumes, did the refund go through?']).answer, /5 to 7 business days/);
    assert.ok(conceptsOf('when do my points show up?', true).has('credited'));
  });
  it('why something is not allowed or not shown: the steps that allow it go with the rule', () => {
    for (const text of ["why can't I see prices on some books, the cover is blurred", 'なんで一部の本は表紙がぼかされて値段が見えないの？']) {
      assert.ok(asksWhyBlocked(text), text);
      const ranked = sections.rank({ text, language: detectLanguage(text) as 'en' | 'ja' });
      assert.match(`${ranked[0].doc.ref}`, /^age-restricted/, text);
      assert.ok(ranked.some((r) => r.doc.ref === 'age-restricted' && /How age confirmation works|年齢確認の流れ/.test(sectionHeading(r.doc).heading)), text);
    }
    assert.ok(!asksWhyBlocked('why is shipping so expensive?'));
  });
});
