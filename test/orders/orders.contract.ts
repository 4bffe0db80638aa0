import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Order, OrderService } from '../../src/orders/types.ts';
import { ORDERS, order } from './fixtures.ts';

/** Builds an order service holding exactly `orders`. */
export type OrdersFactory = (orders: Order[]) => OrderService | Promise<OrderService>;

/** The one behaviour suite every OrderService adapter must pass. */
export function ordersContract(name: string, factory: OrdersFactory): void {
  describe(`OrderService contract: ${name}`, () => {
    it('lists a customer’s orders newest first', async () => {
      const orders = await factory(ORDERS);
      const list = await orders.listForCustomer('alice');
      assert.deepEqual(list.map((o) => o.id), ['MA-20261110-0003', 'MA-20261105-0002', 'MA-20261101-0001']);
      assert.deepEqual(list[1], ORDERS[2], 'every field comes back intact');
    });

    it('orders by instant, not by the text of the date (time zones differ)', async () => {
      const orders = await factory([
        order('MA-A', 'carol', '2026-11-01T23:30:00Z'), // 08:30 on 2 Nov in Tokyo
        order('MA-B', 'carol', '2026-11-02T08:00:00+09:00'), // 23:00 on 1 Nov UTC
      ]);
      assert.deepEqual((await orders.listForCustomer('carol')).map((o) => o.id), ['MA-A', 'MA-B']);
    });

    it('honours the limit', async () => {
      const orders = await factory(ORDERS);
      assert.deepEqual((await orders.listForCustomer('alice', { limit: 1 })).map((o) => o.id), ['MA-20261110-0003']);
      assert.deepEqual(await orders.listForCustomer('alice', { limit: 0 }), []);
    });

    it('lists 10 by default', async () => {
      const many = Array.from({ length: 12 }, (_, i) => order(`MA-X-${String(i).padStart(2, '0')}`, 'dave', `2026-10-${String(i + 1).padStart(2, '0')}T00:00:00Z`));
      const orders = await factory(many);
      const list = await orders.listForCustomer('dave');
      assert.equal(list.length, 10);
      assert.equal(list[0].id, 'MA-X-11');
    });

    it('never lists another customer’s orders', async () => {
      const orders = await factory(ORDERS);
      assert.deepEqual((await orders.listForCustomer('bob')).map((o) => o.id), ['MA-20261106-0004']);
      assert.deepEqual(await orders.listForCustomer('mallory'), []);
    });

    it('gets the customer’s own order, whatever the case and spacing of the id', async () => {
      const orders = await factory(ORDERS);
      assert.deepEqual(await orders.getForCustomer('alice', 'MA-20261105-0002'), ORDERS[2]);
      assert.equal((await orders.getForCustomer('alice', ' ma-20261105-0002 '))?.id, 'MA-20261105-0002');
    });

    it('answers undefined for another customer’s order, exactly as for a missing one', async () => {
      const orders = await factory(ORDERS);
      assert.equal(await orders.getForCustomer('bob', 'MA-20261101-0001'), undefined);
      assert.equal(await orders.getForCustomer('alice', 'MA-20261106-0004'), undefined);
      assert.equal(await orders.getForCustomer('alice', 'ma-20261106-0004'), undefined);
      assert.equal(await orders.getForCustomer('alice', 'MA-00000000-0000'), undefined);
      assert.equal(await orders.getForCustomer('', 'MA-20261101-0001'), undefined);
    });

    it('rejects a call whose signal is already aborted', async () => {
      const orders = await factory(ORDERS);
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(orders.listForCustomer('alice', { signal: ac.signal }), /deadline/);
      await assert.rejects(orders.getForCustomer('alice', 'MA-20261101-0001', { signal: ac.signal }), /deadline/);
    });
  });
}
