import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageClaimsContract } from './message-claims.contract.ts';
import { createInProcessClaims } from '../../src/memory/in-process-claims.ts';
import { createSqliteClaims } from '../../src/memory/sqlite-claims.ts';
import { createDynamoClaims, CLAIMS_TABLE } from '../../src/memory/dynamodb-claims.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { startDynalite } from '../helpers/dynalite.ts';

const dir = mkdtempSync(join(tmpdir(), 'claims-'));
const dynamo = await startDynalite();
after(async () => {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});
let files = 0;
let tables = 0;

// One line per adapter; SQLite on a real file and DynamoDB on one table, so a sibling (another
// process, another node) shares the data.
messageClaimsContract('in-process', (o) => ({ claims: createInProcessClaims(o) }));
messageClaimsContract('sqlite', (o) => {
  const file = join(dir, `claims-${++files}.db`);
  const open = () => {
    const db = openDatabase(file);
    const claims = createSqliteClaims(db, o);
    return {
      ...claims,
      close() {
        claims.close();
        if (db.isOpen) db.close();
      },
    };
  };
  return { claims: open(), sibling: open };
});
messageClaimsContract('dynamodb', (o) => {
  const name = `claims-${process.pid}-${++tables}`;
  return { claims: createDynamoClaims(dynamo.table(CLAIMS_TABLE, { name }), o), sibling: () => createDynamoClaims(dynamo.table(CLAIMS_TABLE, { name }), o) };
});
