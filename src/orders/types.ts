import type { CallOptions } from '../shared/call.ts';
import type { ProductFormat } from '../catalog/types.ts';

export type OrderStatus = 'pending_payment' | 'processing' | 'shipped' | 'out_for_delivery' | 'delivered' | 'cancelled' | 'returned';

export interface OrderLine {
  productId: string;
  /** Title at the time of order, e.g. "One Piece Vol. 107". */
  title: string;
  quantity: number;
  unitPriceJpy: number;
  /**
   * What the line is in the catalog, filled in when an order is shown (never stored): the series
   * and its Japanese title, volume and format, so a Japanese customer reads ワンピース 113巻.
   */
  item?: { seriesId: string; titleJa?: string; volume: number; format: ProductFormat };
}

export interface Order {
  /** Human-facing order number, e.g. MA-20261101-0001. */
  id: string;
  customerId: string;
  status: OrderStatus;
  placedAt: string;
  lines: OrderLine[];
  totalJpy: number;
  carrier?: string;
  trackingNumber?: string;
  /** ISO date the parcel is expected. */
  estimatedDelivery?: string;
  deliveredAt?: string;
}

/** Port: the order service (tier 2). A customer only ever sees their own orders. */
export interface OrderService {
  /** The customer's most recent orders, newest first. */
  listForCustomer(customerId: string, opts?: CallOptions & { limit?: number }): Promise<Order[]>;
  /** One order, only if it belongs to `customerId`; otherwise undefined (never another customer's). */
  getForCustomer(customerId: string, orderId: string, opts?: CallOptions): Promise<Order | undefined>;
}
