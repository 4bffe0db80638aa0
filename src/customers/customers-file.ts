import { z } from 'zod';
import { loadJsonArray } from '../store/json-file.ts';
import type { Customer } from './types.ts';

/** Schema of one customer as shipped in data/store/customers.json. */
export const customerSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  tier: z.enum(['member', 'prime']),
  ageConfirmed: z.boolean(),
  email: z.string(),
}) satisfies z.ZodType<Customer>;

/** Reads and validates a JSON array of customers; the error names the file and the offending path. */
export function loadCustomersFile(path: string): Promise<Customer[]> {
  return loadJsonArray(path, customerSchema, 'customers');
}
