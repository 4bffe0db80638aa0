import { ownershipContract } from './ownership.contract.ts';
import { createInProcessOwnership } from '../../src/sessions/in-process-ownership.ts';
import { createSqliteOwnership } from '../../src/sessions/sqlite-ownership.ts';
import { openDatabase } from '../../src/store/sqlite.ts';

// One line per adapter.
ownershipContract('in-process', (o) => createInProcessOwnership(o));
ownershipContract('sqlite', (o) => createSqliteOwnership(openDatabase(':memory:'), o));
