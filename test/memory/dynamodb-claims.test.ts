// The part of the DynamoDB claims adapter dynalite cannot show: DynamoDB sends the holder's item
// back with a refused claim (ReturnValuesOnConditionCheckFailure), so a loser learns who holds the
// id without a second read. A proxy answers the claim the way DynamoDB does.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDynamoClaims, CLAIMS_TABLE } from '../../src/memory/dynamodb-claims.ts';
import { createDynamoClient, openTable, type DynamoClient } from '../../src/store/dynamodb.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { startThrottleProxy, type ThrottleProxy } from '../helpers/dynamo-throttle-proxy.ts';

describe('dynamodb claims: a refusal that carries the holder', () => {
  let dynamo: TestDynamo;
  let proxy: ThrottleProxy;
  let client: DynamoClient;
  before(async () => {
    dynamo = await startDynalite();
    proxy = await startThrottleProxy(dynamo.endpoint);
    client = createDynamoClient({ region: 'local', endpoint: proxy.endpoint });
  });
  after(async () => {
    client.destroy();
    await proxy.close();
    await dynamo.stop();
  });

  it('reads holder and lease from the refusal, with no GetItem', async () => {
    const table = openTable(client, 'claims-refusal', CLAIMS_TABLE, { create: true });
    await table.ready();
    const claims = createDynamoClaims(table);
    proxy.refuse({
      operation: 'PutItem',
      table: 'claims-refusal',
      count: 1,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
        message: 'The conditional request failed',
        Item: { sessionId: { S: 's1' }, messageId: { S: 'm1' }, holder: { S: 'node-a/attempt-7' }, leaseUntil: { N: '1800000030000' }, expiresAt: { N: '1800000630' } },
      },
    });
    const gets = proxy.seen('GetItem');
    assert.deepEqual(await claims.claim('s1', 'm1', 'node-b', 30_000), { won: false, holder: 'node-a/attempt-7', leaseUntil: 1_800_000_030_000 });
    assert.equal(proxy.seen('GetItem'), gets);
    claims.close();
  });
});
