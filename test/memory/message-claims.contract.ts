import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { claimOrWait, type ClaimsOptions, type MessageClaims } from '../../src/memory/message-claims.ts';
import { manualClock } from './memory.contract.ts';

/**
 * What an adapter factory returns for one test: a fresh, empty store and, for adapters whose data
 * other processes share (SQLite file, DynamoDB table), `sibling`, which opens another store on the
 * same data (another node). Without it the same store stands in for the other node.
 */
export interface ClaimsHandle {
  claims: MessageClaims;
  sibling?: () => MessageClaims;
}

/** Builds a fresh, empty claims store for one test, on the given clock. */
export type ClaimsFactory = (opts: Required<ClaimsOptions>) => ClaimsHandle;

const LEASE = 30_000;

/** The one behaviour suite every MessageClaims adapter must pass. */
export function messageClaimsContract(name: string, factory: ClaimsFactory): void {
  describe(`MessageClaims contract: ${name}`, () => {
    let open: MessageClaims[] = [];
    const make = () => {
      const clock = manualClock();
      const handle = factory({ now: clock.now });
      open.push(handle.claims);
      const other = () => {
        if (!handle.sibling) return handle.claims;
        const s = handle.sibling();
        open.push(s);
        return s;
      };
      return { claims: handle.claims, other, clock };
    };
    afterEach(() => {
      for (const c of open) c.close();
      open = [];
    });

    it('the first claim wins; another holder is told who holds it and until when', async () => {
      const { claims, clock } = make();
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-a', LEASE), { won: true });
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-b', LEASE), { won: false, holder: 'node-a', leaseUntil: clock.now() + LEASE });
    });

    it('the holder claiming again keeps it and renews its lease', async () => {
      const { claims, clock } = make();
      await claims.claim('s1', 'm1', 'node-a', LEASE);
      clock.advance(10_000);
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-a', LEASE), { won: true });
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-b', LEASE), { won: false, holder: 'node-a', leaseUntil: clock.now() + LEASE });
    });

    it('claims are per session and per message id', async () => {
      const { claims } = make();
      await claims.claim('s1', 'm1', 'node-a', LEASE);
      assert.deepEqual(await claims.claim('s1', 'm2', 'node-b', LEASE), { won: true });
      assert.deepEqual(await claims.claim('s2', 'm1', 'node-b', LEASE), { won: true });
    });

    it('only the holder releases; then the id can be claimed by anyone', async () => {
      const { claims } = make();
      await claims.claim('s1', 'm1', 'node-a', LEASE);
      assert.equal(await claims.release('s1', 'm1', 'node-b'), false, 'not the holder');
      assert.equal((await claims.claim('s1', 'm1', 'node-b', LEASE)).won, false, 'still held');
      assert.equal(await claims.release('s1', 'm1', 'node-a'), true);
      assert.equal(await claims.release('s1', 'm1', 'node-a'), false, 'released once');
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-b', LEASE), { won: true });
      assert.equal(await claims.release('unknown', 'm1', 'node-a'), false);
    });

    it('a lease that runs out can be taken over; the old holder then releases nothing', async () => {
      const { claims, clock } = make();
      await claims.claim('s1', 'm1', 'node-a', LEASE);
      clock.advance(LEASE);
      assert.equal((await claims.claim('s1', 'm1', 'node-b', LEASE)).won, false, 'exactly at the end of the lease it still holds');
      clock.advance(1);
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-b', LEASE), { won: true });
      assert.equal(await claims.release('s1', 'm1', 'node-a'), false);
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-a', LEASE), { won: false, holder: 'node-b', leaseUntil: clock.now() + LEASE });
    });

    it('of many concurrent claims of one id, on two nodes, exactly one wins', async () => {
      const { claims, other } = make();
      const second = other();
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? second : claims).claim('s1', 'm1', `node-${i}`, LEASE)));
      const winners = results.flatMap((r, i) => (r.won ? [`node-${i}`] : []));
      assert.equal(winners.length, 1);
      for (const r of results) if (!r.won) assert.equal(r.holder, winners[0], 'every loser is told the winner');
    });

    it('claimOrWait: a retry waits for the attempt in flight and wins once it releases', async () => {
      const { claims, other, clock } = make();
      const node = other();
      await claims.claim('s1', 'm1', 'node-a', LEASE);
      const pauses: number[] = [];
      const won = await claimOrWait(node, { sessionId: 's1', messageId: 'm1', holder: 'node-b', leaseMs: LEASE }, {
        now: clock.now,
        random: () => 0,
        sleep: async (ms) => {
          pauses.push(ms);
          clock.advance(ms);
          // The winner stores its turn and releases while the retry waits its third pause.
          if (pauses.length === 3) assert.equal(await claims.release('s1', 'm1', 'node-a'), true);
        },
      });
      assert.deepEqual(won, { waited: true, attempts: 4, holders: ['node-a'] });
      assert.deepEqual(pauses, [25, 50, 100], 'backoff doubles');
      assert.equal((await claims.claim('s1', 'm1', 'node-a', LEASE)).won, false, 'the retry holds it now');
    });

    it('claimOrWait: a winner that crashed holds the retry up no longer than its lease', async () => {
      const { claims, other, clock } = make();
      await claims.claim('s1', 'm1', 'node-a', 2_000);
      const pauses: number[] = [];
      const won = await claimOrWait(other(), { sessionId: 's1', messageId: 'm1', holder: 'node-b', leaseMs: LEASE }, {
        now: clock.now,
        sleep: async (ms) => {
          pauses.push(ms);
          clock.advance(ms);
        },
      });
      assert.equal(won.waited, true);
      const waited = pauses.reduce((a, b) => a + b, 0);
      assert.ok(waited > 2_000 && waited <= 2_001, `waited ${waited} ms for a 2000 ms lease`);
      assert.ok(Math.max(...pauses) <= 600, 'pauses stay short (400 ms plus jitter at most)');
      assert.ok(won.attempts <= 12, `${won.attempts} claims`);
    });

    it('claimOrWait: an already uncontended id is won at once; an aborted wait ends with its reason', async () => {
      const { claims, clock } = make();
      assert.deepEqual(await claimOrWait(claims, { sessionId: 's1', messageId: 'm1', holder: 'node-a', leaseMs: LEASE }, { now: clock.now }), { waited: false, attempts: 1, holders: [] });
      const ac = new AbortController();
      const waiting = claimOrWait(claims, { sessionId: 's1', messageId: 'm1', holder: 'node-b', leaseMs: LEASE }, {
        now: clock.now,
        signal: ac.signal,
        sleep: (_ms, signal) => new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true })),
      });
      setImmediate(() => ac.abort(new Error('customer left')));
      await assert.rejects(waiting, /customer left/);
    });

    it('refuses a lease that is not positive, an aborted signal, and every call after close()', async () => {
      const { claims } = make();
      await assert.rejects(claims.claim('s1', 'm1', 'node-a', 0), RangeError);
      await assert.rejects(claims.claim('s1', 'm1', 'node-a', Number.NaN), RangeError);
      await assert.rejects(claims.claim('s1', 'm1', 'node-a', LEASE, { signal: AbortSignal.abort(new Error('deadline')) }), /deadline/);
      assert.deepEqual(await claims.claim('s1', 'm1', 'node-a', LEASE), { won: true }, 'the refused calls claimed nothing');
      claims.close();
      await assert.rejects(claims.claim('s1', 'm2', 'node-a', LEASE), /closed/);
      await assert.rejects(claims.release('s1', 'm1', 'node-a'), /closed/);
    });
  });
}
