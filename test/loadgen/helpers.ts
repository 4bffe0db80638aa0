import { parseProfile, type Profile } from '../../src/loadgen/profile.ts';

/** A small profile for runs against the fake server: fixed session length and think time. */
export function testProfile(over: { messages?: number; thinkMs?: number; memberShare?: number; primeShare?: number } = {}): Profile {
  const n = over.messages ?? 3;
  const think = over.thinkMs ?? 50;
  return parseProfile({
    name: 'test',
    intentMix: { product_search: 0.6, faq: 0.4 },
    messages: {
      product_search: { en: ['Do you have {title}?'], ja: ['{title}はありますか？'] },
      faq: { en: ['How much is shipping?'], ja: ['送料はいくらですか？'] },
    },
    series: [{ id: 'one-piece', title: 'One Piece', titleJa: 'ワンピース' }],
    sessionMessages: { min: n, max: n },
    thinkTimeMs: { min: think, max: think },
    customers: {
      memberShare: over.memberShare ?? 0,
      primeShare: over.primeShare ?? 0,
      accounts: [{ id: 'cust-1001', tier: 'member' }, { id: 'cust-1002', tier: 'prime' }],
    },
    phases: [{ kind: 'hold', rate: 1, durationS: 1 }],
    arrivals: 'uniform',
  });
}
