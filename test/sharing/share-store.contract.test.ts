import { after } from 'node:test';
import { shareStoreContract } from './share-store.contract.ts';
import { createSqliteShares } from '../../src/sharing/sqlite-shares.ts';
import { createDynamoShares, SHARES_TABLE } from '../../src/sharing/dynamodb-shares.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { startDynalite } from '../helpers/dynalite.ts';

const dynamo = await startDynalite();
after(() => dynamo.stop());

// One line per adapter.
shareStoreContract('sqlite', (o) => createSqliteShares(openDatabase(':memory:'), o));
shareStoreContract('dynamodb', (o) => createDynamoShares(dynamo.table(SHARES_TABLE), o));
