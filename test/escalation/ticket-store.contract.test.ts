import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticketStoreContract } from './ticket-store.contract.ts';
import { createInProcessTicketStore } from '../../src/escalation/in-process-ticket-store.ts';
import { openSqliteTicketStore } from '../../src/escalation/sqlite-ticket-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickets-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

// One line per adapter; SQLite runs on a real file so the suite can reopen it.
ticketStoreContract('in-process', () => ({ store: createInProcessTicketStore() }));
ticketStoreContract('sqlite', () => {
  const file = join(dir, `tickets-${++files}.db`);
  return { store: openSqliteTicketStore(file), reopen: () => openSqliteTicketStore(file) };
});
