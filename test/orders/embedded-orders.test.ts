import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteOrders } from '../../src/orders/embedded-orders.ts';
import { loadOrdersFile } from '../../src/orders/orders-file.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { ORDERS, order } from './fixtures.ts';

describe('embedded orders', () => {
  let dir: string;
  let ordersFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'orders-'));
    ordersFile = join(dir, 'orders.json');
    writeFileSync(ordersFile, JSON.stringify(ORDERS));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds from the JSON file once, and keeps it across a restart', async () => {
    const file = join(dir, 'seed.db');
    const db = openDatabase(file);
    const orders = createSqliteOrders(db);
    assert.equal(await orders.seedOrdersIfEmpty(ordersFile), 4);
    assert.equal(await orders.seedOrdersIfEmpty(ordersFile), 0, 'a second seed does nothing');
    db.close();

    const reopened = openDatabase(file);
    const again = createSqliteOrders(reopened);
    assert.equal(await again.seedOrdersIfEmpty(ordersFile), 0);
    assert.equal((await again.listForCustomer('alice')).length, 3);
    reopened.close();
  });

  it('placedSince lists every customer\'s orders from a date on, newest first (for trending)', async () => {
    const db = openDatabase(':memory:');
    const orders = createSqliteOrders(db);
    orders.upsertOrders(ORDERS);
    const all = [...ORDERS].sort((a, b) => Date.parse(b.placedAt) - Date.parse(a.placedAt));
    const cut = new Date(all[1].placedAt);
    const recent = await orders.placedSince(cut);
    assert.deepEqual(recent.map((o) => o.id), all.filter((o) => Date.parse(o.placedAt) >= cut.getTime()).map((o) => o.id));
    assert.ok(recent.length >= 2 && recent.length < ORDERS.length);
    assert.equal((await orders.placedSince(new Date(0), 1)).length, 1);
    db.close();
  });

  it('upsert replaces an order by its id, whatever its case', async () => {
    const db = openDatabase(':memory:');
    const orders = createSqliteOrders(db);
    orders.upsertOrders(ORDERS);
    orders.upsertOrders([{ ...ORDERS[0], id: 'ma-20261101-0001', status: 'delivered' }]);
    const list = await orders.listForCustomer('alice');
    assert.equal(list.length, 3);
    assert.equal((await orders.getForCustomer('alice', 'MA-20261101-0001'))?.status, 'delivered');
    db.close();
  });

  it('moves an order to its new owner when an upsert changes the customer', async () => {
    const db = openDatabase(':memory:');
    const orders = createSqliteOrders(db);
    orders.upsertOrders(ORDERS);
    orders.upsertOrders([{ ...ORDERS[3], customerId: 'carol' }]);
    assert.equal(await orders.getForCustomer('bob', ORDERS[3].id), undefined);
    assert.equal((await orders.getForCustomer('carol', ORDERS[3].id))?.customerId, 'carol');
    db.close();
  });

  it('refuses a batch with an unreadable date before writing any of it', async () => {
    const db = openDatabase(':memory:');
    const orders = createSqliteOrders(db);
    assert.throws(() => orders.upsertOrders([order('MA-OK', 'alice', '2026-11-01T00:00:00Z'), order('MA-BAD', 'alice', 'yesterday')]), /placedAt/);
    assert.deepEqual(await orders.listForCustomer('alice'), []);
    db.close();
  });

  it('refuses an invalid orders file, naming the file and the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ...ORDERS[0], status: 'lost_in_space' }]));
    await assert.rejects(loadOrdersFile(bad), (e: Error) => e.message.includes('bad.json') && e.message.includes('status'));
    const db = openDatabase(':memory:');
    await assert.rejects(createSqliteOrders(db).seedOrdersIfEmpty(bad));
    db.close();
  });
});
