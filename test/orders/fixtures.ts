import type { Order } from '../../src/orders/types.ts';

/** An order of `customerId` placed at `placedAt`. */
export function order(id: string, customerId: string, placedAt: string, over: Partial<Order> = {}): Order {
  return {
    id,
    customerId,
    status: 'shipped',
    placedAt,
    lines: [{ productId: 'one-piece-107', title: 'One Piece Vol. 107', quantity: 1, unitPriceJpy: 528 }],
    totalJpy: 528,
    carrier: 'Yamato',
    trackingNumber: '1234-5678-9012',
    estimatedDelivery: '2026-11-05',
    ...over,
  };
}

/** Three orders of alice (out of date order on purpose) and one of bob. */
export const ORDERS: Order[] = [
  order('MA-20261101-0001', 'alice', '2026-11-01T10:00:00+09:00'),
  order('MA-20261110-0003', 'alice', '2026-11-10T09:00:00+09:00', { status: 'processing' }),
  order('MA-20261105-0002', 'alice', '2026-11-05T12:00:00+09:00', { status: 'delivered', deliveredAt: '2026-11-07T15:00:00+09:00' }),
  order('MA-20261106-0004', 'bob', '2026-11-06T08:00:00+09:00'),
];
