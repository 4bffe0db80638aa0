import { readFile } from 'node:fs/promises';
import { z } from 'zod';
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
export async function loadCustomersFile(path: string): Promise<Customer[]> {
  const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
  const parsed = z.array(customerSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`${path}: invalid customers: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
