import type { CallOptions } from '../shared/call.ts';

/** A signed-in customer of the store. */
export interface Customer {
  id: string;
  name: string;
  /** Prime members get free shipping and earlier access; the assistant may mention it. */
  tier: 'member' | 'prime';
  /** Whether the customer confirmed they are an adult (gates mature titles). */
  ageConfirmed: boolean;
  email: string;
}

/** Port: the customer directory. */
export interface CustomerDirectory {
  /** The customer with this id, or undefined when there is none. */
  get(id: string, opts?: CallOptions): Promise<Customer | undefined>;
}
