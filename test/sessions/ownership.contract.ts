import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { OwnershipOptions, SessionOwner, SessionOwnership } from '../../src/sessions/types.ts';

/** Builds a fresh, empty ownership store for one test. */
export type OwnershipFactory = (opts: OwnershipOptions) => SessionOwnership;

const TTL = 30 * 24 * 60 * 60_000;
const alice: SessionOwner = { kind: 'customer', customerId: 'cust-alice' };
const bob: SessionOwner = { kind: 'customer', customerId: 'cust-bob' };
const guest: SessionOwner = { kind: 'guest', tokenHash: 'a'.repeat(64) };
const otherGuest: SessionOwner = { kind: 'guest', tokenHash: 'b'.repeat(64) };

/** The one behaviour suite every SessionOwnership adapter must pass. */
export function ownershipContract(name: string, factory: OwnershipFactory): void {
  describe(`SessionOwnership contract: ${name}`, () => {
    let open: SessionOwnership[] = [];
    const make = () => {
      let t = 1_800_000_000_000;
      const store = factory({ ttlMs: TTL, now: () => t });
      open.push(store);
      return { store, advance: (ms: number) => (t += ms) };
    };
    afterEach(() => {
      for (const s of open) s.close();
      open = [];
    });

    it('knows no owner of an id nobody claimed', async () => {
      const { store } = make();
      assert.equal(await store.ownerOf('s-1'), undefined);
    });

    it('keeps the owner a session was claimed for, customer or guest token hash', async () => {
      const { store } = make();
      assert.equal(await store.claim('s-1', alice), true);
      assert.equal(await store.claim('s-2', guest), true);
      assert.deepEqual(await store.ownerOf('s-1'), alice);
      assert.deepEqual(await store.ownerOf('s-2'), guest);
    });

    it('never lets a second claim take an owned id, whoever asks', async () => {
      const { store } = make();
      await store.claim('s-1', guest);
      assert.equal(await store.claim('s-1', otherGuest), false);
      assert.equal(await store.claim('s-1', bob), false);
      assert.equal(await store.claim('s-1', guest), false, 'claiming is for new ids only');
      assert.deepEqual(await store.ownerOf('s-1'), guest);
    });

    it('lets exactly one of many concurrent claims of one id win', async () => {
      const { store } = make();
      const owners: SessionOwner[] = Array.from({ length: 8 }, (_, i) => ({ kind: 'guest', tokenHash: String(i).repeat(64) }));
      const won = await Promise.all(owners.map((o) => store.claim('s-race', o)));
      assert.equal(won.filter(Boolean).length, 1);
      assert.deepEqual(await store.ownerOf('s-race'), owners[won.indexOf(true)]);
    });

    it('transfers only from the current owner', async () => {
      const { store } = make();
      await store.claim('s-1', guest);
      assert.equal(await store.transfer('s-1', otherGuest, bob), false, 'not the owner');
      assert.deepEqual(await store.ownerOf('s-1'), guest);
      assert.equal(await store.transfer('s-1', guest, alice), true);
      assert.deepEqual(await store.ownerOf('s-1'), alice);
      assert.equal(await store.transfer('s-1', guest, bob), false, 'the guest token no longer owns it');
      assert.equal(await store.transfer('s-unknown', guest, alice), false);
    });

    it('forgets an owner after the lifetime; the id can then be claimed anew', async () => {
      const { store, advance } = make();
      await store.claim('s-1', guest);
      advance(TTL - 1000);
      assert.deepEqual(await store.ownerOf('s-1'), guest, 'still within its lifetime');
      advance(2000);
      assert.equal(await store.ownerOf('s-1'), undefined, 'expired on read, even before expire() ran');
      assert.equal(await store.transfer('s-1', guest, alice), false);
      assert.equal(await store.claim('s-1', bob), true);
      assert.deepEqual(await store.ownerOf('s-1'), bob);
    });

    it('expire() deletes what is past its lifetime and reports how many', async () => {
      const { store, advance } = make();
      await store.claim('s-old', guest);
      advance(TTL / 2);
      await store.claim('s-new', alice);
      advance(TTL / 2 + 1);
      assert.equal(await store.expire(), 1);
      assert.equal(await store.ownerOf('s-old'), undefined);
      assert.deepEqual(await store.ownerOf('s-new'), alice);
    });

    it('refuses work once closed, and honours an aborted signal', async () => {
      const { store } = make();
      const aborted = AbortSignal.abort();
      await assert.rejects(store.ownerOf('s-1', { signal: aborted }));
      await assert.rejects(store.claim('s-1', guest, { signal: aborted }));
      store.close();
      await assert.rejects(store.ownerOf('s-1'));
    });
  });
}
