import { z } from 'zod';
import { loadJsonArray } from '../store/json-file.ts';
import type { Order } from './types.ts';

const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO date');

/** Schema of one order as shipped in data/store/orders.json. */
export const orderSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  status: z.enum(['pending_payment', 'processing', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'returned']),
  placedAt: instant,
  lines: z.array(z.object({
    productId: z.string().min(1),
    title: z.string(),
    quantity: z.number().int().positive(),
    unitPriceJpy: z.number().nonnegative(),
  })),
  totalJpy: z.number().nonnegative(),
  carrier: z.string().optional(),
  trackingNumber: z.string().optional(),
  estimatedDelivery: instant.optional(),
  deliveredAt: instant.optional(),
}) satisfies z.ZodType<Order>;

/** Reads and validates a JSON array of orders; the error names the file and the offending path. */
export function loadOrdersFile(path: string): Promise<Order[]> {
  return loadJsonArray(path, orderSchema, 'orders');
}
