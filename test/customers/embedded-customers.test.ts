import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedCustomers, loadEmbeddedCustomers } from '../../src/customers/embedded-customers.ts';
import { CUSTOMERS } from './customers.contract.ts';

describe('embedded customers', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'customers-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses two customers under one id', () => {
    assert.throws(() => createEmbeddedCustomers([CUSTOMERS[0], { ...CUSTOMERS[1], id: 'alice' }]), /alice/);
  });

  it('loads the JSON file given by path and refuses an invalid one', async () => {
    const good = join(dir, 'customers.json');
    writeFileSync(good, JSON.stringify(CUSTOMERS));
    assert.equal((await (await loadEmbeddedCustomers(good)).get('alice'))?.tier, 'prime');

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ ...CUSTOMERS[0], tier: 'gold' }]));
    await assert.rejects(loadEmbeddedCustomers(bad), (e: Error) => e.message.includes('bad.json') && e.message.includes('tier'));
    const noAge = join(dir, 'no-age.json');
    writeFileSync(noAge, JSON.stringify([{ id: 'x', name: 'X', tier: 'member', email: 'x@example.com' }]));
    await assert.rejects(loadEmbeddedCustomers(noAge), /ageConfirmed/);
  });
});
