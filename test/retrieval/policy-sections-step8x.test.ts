import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { conceptsOf, exceptedMethods } from '../../src/retrieval/policy-sections.ts';
import { policySection as section } from '../helpers/policy-ask.ts';

// Policy questions of the lead's probes (fixer X, step 8): how long it takes right after shipping
// abroad was asked (the international delivery days, not the tracking page's 24 hours), and the
// ways to pay besides one the customer leaves out (the page's list, not that one's section).

describe('policy sections: step 8 (fixer X)', () => {
  it('a duration asked right after shipping abroad is the international delivery time', () => {
    for (const [text, after] of [
      ['how long does it take', ['do you guys ship to taiwan and how much']],
      ['how many days till it arrives', ['can you send manga to germany']],
      ['and how long will that take?', ['can you send manga to the US']],
      ['何日くらいかかる？', ['台湾に送れる？送料は？']],
    ] as [string, string[]][]) {
      assert.match(section(text, after), /^delivery-times\/(?:International delivery|海外へのお届け)$/, text);
    }
  });

  it('the ways to pay besides one left out: the page\'s list, without that one', () => {
    for (const text of ['クレカ以外だと何使える？', 'what can i pay with besides a credit card', 'I dont have a credit card, what else can I use?', 'カード持ってないんですが、支払いはどうすればいいですか', '代引きじゃなくて何がある？', 'other than paypay what do you take']) {
      assert.ok(conceptsOf(text, true).has('methods'), text);
      assert.match(section(text), /^payment-methods\/$/, text);
    }
    assert.deepEqual([...exceptedMethods('クレカ以外だと何使える？')], ['card']);
    assert.deepEqual([...exceptedMethods('other than paypay what do you take')], ['paypay']);
    // "What else?" after one way: the list.
    assert.match(section('what else can i pay with', ['do u take paypay']), /^payment-methods\/$/);
    // A way of paying asked about is that way's section.
    assert.match(section('クレカ使える？'), /^payment-methods\/クレジットカード/);
    assert.deepEqual([...exceptedMethods('クレカ使える？')], []);
  });
});
