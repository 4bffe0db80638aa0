import type { Customer, CustomerDirectory } from './types.ts';
import { loadCustomersFile } from './customers-file.ts';

/** A customer directory over customers held in memory. */
export function createEmbeddedCustomers(customers: Customer[]): CustomerDirectory {
  const byId = new Map<string, Customer>();
  for (const c of customers) {
    // Two records under one id would make "who is this?" depend on file order.
    if (byId.has(c.id)) throw new Error(`customer ${c.id} appears twice`);
    byId.set(c.id, c);
  }
  return {
    async get(id, opts) {
      opts?.signal?.throwIfAborted();
      const c = byId.get(id);
      // A copy, so a caller editing the customer cannot change the directory.
      return c ? { ...c } : undefined;
    },
  };
}

/** Loads the customers JSON file at `path` into an embedded directory. */
export async function loadEmbeddedCustomers(path: string): Promise<CustomerDirectory> {
  return createEmbeddedCustomers(await loadCustomersFile(path));
}
