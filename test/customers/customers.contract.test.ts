import { customersContract } from './customers.contract.ts';
import { createEmbeddedCustomers } from '../../src/customers/embedded-customers.ts';

// One line per adapter.
customersContract('embedded', (customers) => createEmbeddedCustomers(customers));
