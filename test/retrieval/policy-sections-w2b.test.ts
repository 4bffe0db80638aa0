import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { policySection as section } from '../helpers/policy-ask.ts';

// How long delivery takes (wave 2, w2b): asked alone, or right after the shipping fee.

describe('policy sections: how long delivery takes', () => {
  it('asked alone, it is the domestic delivery times, not the 30-day return window', () => {
    for (const q of ['how long does delivery take', 'how many days will it take to arrive', 'how long until my order arrives?']) {
      assert.match(section(q), /^delivery-times\/Standard domestic delivery/, q);
    }
    assert.match(section('届くまでどれくらい？'), /^delivery-times\/国内の通常配送/);
  });

  it('right after the shipping fee, it is a delivery time, not refusing a delivery or returns', () => {
    for (const [q, before] of [['how long does it take', 'how much is shipping'], ['and how long will it take to get here?', 'is shipping free?']]) {
      assert.match(section(q, [before]), /^delivery-times\//, `${q} after ${before}`);
    }
    assert.match(section('何日かかる？', ['送料いくら？']), /^delivery-times\/国内の通常配送/);
    // (Abroad stays abroad.)
    assert.match(section('how long does it take', ['how much is shipping to taiwan']), /^delivery-times\/International delivery/);
    assert.match(section('and how long does it take?', ['do you ship to the UK?']), /^delivery-times\/International delivery/);
  });
});
