import { ordersContract } from './orders.contract.ts';
import { createSqliteOrders } from '../../src/orders/embedded-orders.ts';
import { openDatabase } from '../../src/store/sqlite.ts';

// One line per adapter.
ordersContract('sqlite', (orders) => { const o = createSqliteOrders(openDatabase(':memory:')); o.upsertOrders(orders); return o; });
