import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Customer, CustomerDirectory } from '../../src/customers/types.ts';

/** Builds a directory holding exactly `customers`. */
export type CustomersFactory = (customers: Customer[]) => CustomerDirectory | Promise<CustomerDirectory>;

export const CUSTOMERS: Customer[] = [
  { id: 'alice', name: '山田 花子', tier: 'prime', ageConfirmed: true, email: 'hanako@example.jp' },
  { id: 'bob', name: 'Bob Smith', tier: 'member', ageConfirmed: false, email: 'bob@example.com' },
];

/** The one behaviour suite every CustomerDirectory adapter must pass. */
export function customersContract(name: string, factory: CustomersFactory): void {
  describe(`CustomerDirectory contract: ${name}`, () => {
    it('finds a customer by id with every field', async () => {
      const dir = await factory(CUSTOMERS);
      assert.deepEqual(await dir.get('alice'), CUSTOMERS[0]);
      assert.deepEqual(await dir.get('bob'), CUSTOMERS[1]);
    });

    it('answers undefined for an unknown id', async () => {
      const dir = await factory(CUSTOMERS);
      assert.equal(await dir.get('mallory'), undefined);
      assert.equal(await dir.get(''), undefined);
      assert.equal(await dir.get('ALICE'), undefined, 'customer ids are exact, not case-folded');
    });

    it('does not let a caller edit the directory', async () => {
      const dir = await factory(CUSTOMERS);
      const bob = await dir.get('bob');
      bob!.ageConfirmed = true;
      assert.equal((await dir.get('bob'))?.ageConfirmed, false);
    });

    it('rejects a call whose signal is already aborted', async () => {
      const dir = await factory(CUSTOMERS);
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(dir.get('alice', { signal: ac.signal }), /deadline/);
    });
  });
}
