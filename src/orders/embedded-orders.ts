import type { DatabaseSync } from 'node:sqlite';
import type { Order, OrderService } from './types.ts';
import { loadOrdersFile } from './orders-file.ts';

/** The embedded order service plus the writes that load it. */
export interface EmbeddedOrders extends OrderService {
  /** Inserts or replaces orders by id (case-insensitive); returns how many were written. */
  upsertOrders(orders: Order[]): number;
  /** Loads the JSON file at `path` only if no order is stored yet; returns how many were inserted. */
  seedOrdersIfEmpty(path: string): Promise<number>;
  /** Every customer's orders placed since `since`, newest first (trending titles; never shown to a customer). */
  placedSince(since: Date, limit?: number): Promise<Order[]>;
}

/** Orders returned by listForCustomer when the caller gives no limit. */
export const DEFAULT_ORDER_LIMIT = 10;
// A chat answer never needs more; caps the work one request can ask for.
const MAX_ORDER_LIMIT = 50;

// The whole order is stored as JSON: it is only ever read whole, and only the columns
// used to find it (owner, key, date) need to be queryable.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  order_key TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL,
  placed_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_customer_placed ON orders (customer_id, placed_at DESC, order_key DESC);
`;

/** Customers type order numbers in any case and with stray spaces ("ma-20261101-0001 "). */
export function normaliseOrderId(id: string): string {
  return id.trim().toUpperCase();
}

/** Order service over an embedded SQLite database; the caller owns `db`. */
export function createSqliteOrders(db: DatabaseSync): EmbeddedOrders {
  db.exec(SCHEMA);
  const upsert = db.prepare(
    `INSERT INTO orders (order_key, customer_id, placed_at, body) VALUES (?, ?, ?, ?)
     ON CONFLICT (order_key) DO UPDATE SET customer_id = excluded.customer_id, placed_at = excluded.placed_at, body = excluded.body`,
  );
  const count = db.prepare('SELECT count(*) AS n FROM orders');
  const byCustomer = db.prepare(
    'SELECT body FROM orders WHERE customer_id = ? ORDER BY placed_at DESC, order_key DESC LIMIT ?',
  );
  // The owner is part of the lookup itself, so another customer's order is indistinguishable from a missing one.
  const byKey = db.prepare('SELECT body FROM orders WHERE order_key = ? AND customer_id = ?');
  const since = db.prepare('SELECT body FROM orders WHERE placed_at >= ? ORDER BY placed_at DESC LIMIT ?');

  const upsertOrders = (orders: Order[]): number => {
    for (const o of orders) {
      if (Number.isNaN(Date.parse(o.placedAt))) throw new Error(`order ${o.id}: placedAt is not a date: ${o.placedAt}`);
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const o of orders) upsert.run(normaliseOrderId(o.id), o.customerId, Date.parse(o.placedAt), JSON.stringify(o));
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    return orders.length;
  };

  return {
    async listForCustomer(customerId, opts) {
      opts?.signal?.throwIfAborted();
      const limit = Math.max(0, Math.min(MAX_ORDER_LIMIT, Math.trunc(opts?.limit ?? DEFAULT_ORDER_LIMIT)));
      const rows = byCustomer.all(customerId, limit) as { body: string }[];
      return rows.map((r) => JSON.parse(r.body) as Order);
    },

    async getForCustomer(customerId, orderId, opts) {
      opts?.signal?.throwIfAborted();
      const row = byKey.get(normaliseOrderId(orderId), customerId) as { body: string } | undefined;
      return row ? (JSON.parse(row.body) as Order) : undefined;
    },

    upsertOrders,

    async placedSince(from, limit = 10_000) {
      const rows = since.all(from.getTime(), limit) as { body: string }[];
      return rows.map((r) => JSON.parse(r.body) as Order);
    },

    async seedOrdersIfEmpty(path) {
      if ((count.get() as { n: number }).n > 0) return 0;
      return upsertOrders(await loadOrdersFile(path));
    },
  };
}
