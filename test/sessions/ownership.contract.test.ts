import { ownershipContract } from './ownership.contract.ts';
import { createInProcessOwnership } from '../../src/sessions/in-process-ownership.ts';
import { createSqliteOwnership } from '../../src/sessions/sqlite-ownership.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createDynamoOwnership, OWNERSHIP_TABLE } from '../../src/sessions/dynamodb-ownership.ts';
import { after } from 'node:test';
import { startDynalite } from '../helpers/dynalite.ts';

const dynamo = await startDynalite();
after(() => dynamo.stop());

// One line per adapter.
ownershipContract('in-process', (o) => createInProcessOwnership(o));
ownershipContract('sqlite', (o) => createSqliteOwnership(openDatabase(':memory:'), o));
ownershipContract('dynamodb', (o) => createDynamoOwnership(dynamo.table(OWNERSHIP_TABLE), o));
