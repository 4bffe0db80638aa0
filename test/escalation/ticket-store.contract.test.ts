import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticketStoreContract } from './ticket-store.contract.ts';
import { createInProcessTicketStore } from '../../src/escalation/in-process-ticket-store.ts';
import { openSqliteTicketStore } from '../../src/escalation/sqlite-ticket-store.ts';
import { createDynamoTicketStore, TICKETS_TABLE } from '../../src/escalation/dynamodb-ticket-store.ts';
import { startDynalite } from '../helpers/dynalite.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickets-'));
const dynamo = await startDynalite();
after(async () => {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});
let files = 0;
let tables = 0;

// One line per adapter; SQLite runs on a real file and DynamoDB on one table, so the suite can reopen them.
ticketStoreContract('in-process', () => ({ store: createInProcessTicketStore() }));
ticketStoreContract('sqlite', () => {
  const file = join(dir, `tickets-${++files}.db`);
  return { store: openSqliteTicketStore(file), reopen: () => openSqliteTicketStore(file) };
});
ticketStoreContract('dynamodb', () => {
  const name = `tickets-${process.pid}-${++tables}`;
  return { store: createDynamoTicketStore(dynamo.table(TICKETS_TABLE, { name })), reopen: () => createDynamoTicketStore(dynamo.table(TICKETS_TABLE, { name })) };
});
