import { memoryContract } from './memory.contract.ts';
import { createInProcessMemory } from '../../src/memory/in-process-memory.ts';
import { openSqliteMemory } from '../../src/memory/sqlite-memory.ts';

// One line per adapter.
memoryContract('in-process', (o) => createInProcessMemory(o));
memoryContract('sqlite', (o) => openSqliteMemory(':memory:', o));
