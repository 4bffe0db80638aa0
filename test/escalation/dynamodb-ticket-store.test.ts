// What a crash between the DynamoDB ticket store's single-item writes leaves behind, and how the
// next writer recognises it: "one ticket not closed per session" holds without transactions.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDynamoTicketStore, TICKETS_TABLE } from '../../src/escalation/dynamodb-ticket-store.ts';
import type { DynamoTable } from '../../src/store/dynamodb.ts';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.ts';
import { newTicket, operatorLine } from './ticket-store.contract.ts';

const T0 = 1_800_000_000_000;

describe('dynamodb ticket store: crash leftovers', () => {
  let dynamo: TestDynamo;
  before(async () => { dynamo = await startDynalite(); });
  after(() => dynamo.stop());
  const fresh = (): { table: DynamoTable; store: ReturnType<typeof createDynamoTicketStore> } => {
    const table = dynamo.table(TICKETS_TABLE);
    return { table, store: createDynamoTicketStore(table) };
  };
  const guard = (table: DynamoTable, sessionId: string, ticketId: string, at: number) => table.put({ Item: { pk: `S#${sessionId}`, sk: '#open', ticketId, at } });

  it('a guard whose creator died before writing the ticket blocks the session briefly, then is replaced', async () => {
    const { table, store } = fresh();
    await guard(table, 's1', 'ghost', Date.now());
    await assert.rejects(store.create(newTicket('t1', 's1', T0)), { code: 'conflict' }, 'a creator may still be writing it');
    assert.equal(await store.openForSession('s1'), undefined, 'no ticket is open meanwhile');
    await guard(table, 's1', 'ghost', Date.now() - 60_000);
    await store.create(newTicket('t1', 's1', T0));
    assert.equal((await store.openForSession('s1'))?.id, 't1');
  });

  it('a guard left behind by a ticket that was closed does not block the next ticket', async () => {
    const { table, store } = fresh();
    await store.create(newTicket('t1', 's1', T0));
    await store.setStatus('t1', 'closed', T0 + 1);
    await guard(table, 's1', 't1', Date.now()); // as if the close died before giving the guard back
    assert.equal(await store.openForSession('s1'), undefined);
    await store.create(newTicket('t2', 's1', T0 + 2));
    assert.equal((await store.openForSession('s1'))?.id, 't2');
  });

  it('lines written without their ticket (a creator that died) are no ticket', async () => {
    const { table, store } = fresh();
    await table.put({ Item: { pk: 'T#half', sk: 'M#m0', id: 'm0', from: 'customer', text: 'hello', at: T0, line: 1, ticketId: 'half', sessionId: 's9' } });
    assert.equal(await store.get('half'), undefined);
    assert.deepEqual(await store.list({ limit: 10 }), []);
  });

  it('reopening a closed ticket while its session has another one open is refused and changes nothing', async () => {
    const { store } = fresh();
    await store.create(newTicket('t1', 's1', T0));
    await store.setStatus('t1', 'closed', T0 + 1);
    await store.create(newTicket('t2', 's1', T0 + 2));
    await assert.rejects(store.setStatus('t1', 'open', T0 + 3), { code: 'conflict' });
    assert.equal((await store.get('t1'))?.status, 'closed');
    await store.setStatus('t2', 'closed', T0 + 4);
    await store.setStatus('t1', 'answered', T0 + 5);
    assert.equal((await store.openForSession('s1'))?.id, 't1', 'once the other closed, it may reopen');
  });

  it('a refused duplicate line neither moves updatedAt nor joins the waiting list', async () => {
    const { store } = fresh();
    await store.create(newTicket('t1', 's1', T0));
    await store.addMessage('t1', operatorLine('o1', 'first', T0 + 10));
    await assert.rejects(store.addMessage('t1', operatorLine('o1', 'again', T0 + 99)), { code: 'conflict' });
    const t = await store.get('t1');
    assert.deepEqual(t?.messages.map((m) => m.text), ['人と話したいです', 'first']);
    assert.equal(t?.updatedAt, T0 + 10);
    assert.deepEqual((await store.undelivered('s1')).map((p) => p.message.text), ['first']);
  });
});
