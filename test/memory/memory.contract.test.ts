import { memoryContract } from './memory.contract.ts';
import { createInProcessMemory } from '../../src/memory/in-process-memory.ts';
import { openSqliteMemory } from '../../src/memory/sqlite-memory.ts';
import { createDynamoMemory, MEMORY_TABLE } from '../../src/memory/dynamodb-memory.ts';
import { after } from 'node:test';
import { startDynalite } from '../helpers/dynalite.ts';

const dynamo = await startDynalite();
after(() => dynamo.stop());

// One line per adapter.
memoryContract('in-process', (o) => createInProcessMemory(o));
memoryContract('sqlite', (o) => openSqliteMemory(':memory:', o));
memoryContract('dynamodb', (o) => createDynamoMemory(dynamo.table(MEMORY_TABLE), o));
