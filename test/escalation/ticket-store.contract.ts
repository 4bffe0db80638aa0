import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Ticket, TicketMessage, TicketStore } from '../../src/escalation/types.ts';

/**
 * What an adapter factory returns for one test: a fresh, empty store and, for durable adapters,
 * `reopen`, which closes nothing itself but opens the same data again as a new store (a restart).
 */
export interface TicketStoreHandle {
  store: TicketStore;
  reopen?: () => TicketStore;
}

/** Builds a fresh, empty store for one test. */
export type TicketStoreFactory = () => TicketStoreHandle;

const T0 = 1_800_000_000_000;

/** A customer line. */
export function customerLine(id: string, text: string, at: number): TicketMessage {
  return { id, from: 'customer', text, at };
}

/** An operator line, not yet delivered unless told. */
export function operatorLine(id: string, text: string, at: number, delivered = false): TicketMessage {
  return { id, from: 'operator', text, operator: 'Sato', at, delivered };
}

/** A new ticket with the customer's request as its first line. */
export function newTicket(id: string, sessionId: string, at: number, over: Partial<Ticket> = {}): Ticket {
  return {
    id,
    sessionId,
    customer: { kind: 'member', customerId: 'c-42', name: '山田' },
    language: 'ja',
    status: 'open',
    createdAt: at,
    updatedAt: at,
    messages: [customerLine(`${id}-m0`, '人と話したいです', at)],
    ...over,
  };
}

/** The one behaviour suite every TicketStore adapter must pass. */
export function ticketStoreContract(name: string, factory: TicketStoreFactory): void {
  describe(`TicketStore contract: ${name}`, () => {
    let open: TicketStore[] = [];
    const make = (): TicketStoreHandle => {
      const handle = factory();
      open.push(handle.store);
      return handle;
    };
    afterEach(() => {
      for (const s of open) s.close();
      open = [];
    });

    it('returns undefined for an unknown ticket and nothing for an unknown session', async () => {
      const { store } = make();
      assert.equal(await store.get('nope'), undefined);
      assert.equal(await store.openForSession('nobody'), undefined);
      assert.deepEqual(await store.undelivered('nobody'), []);
      assert.deepEqual(await store.list({ limit: 10 }), []);
    });

    it('stores a ticket with every field intact, the thread oldest first', async () => {
      const { store } = make();
      const ticket = newTicket('t1', 's1', T0, { customer: { kind: 'guest' }, language: 'en' });
      await store.create(ticket);
      assert.deepEqual(await store.get('t1'), ticket);
      await store.addMessage('t1', operatorLine('o1', 'Hello, this is Sato.', T0 + 10));
      await store.addMessage('t1', customerLine('c2', 'thanks <b>!</b>', T0 + 20));
      const got = await store.get('t1');
      assert.deepEqual(got?.messages.map((m) => m.id), ['t1-m0', 'o1', 'c2']);
      assert.deepEqual(got?.messages[1], operatorLine('o1', 'Hello, this is Sato.', T0 + 10));
      assert.deepEqual(got?.messages[2], customerLine('c2', 'thanks <b>!</b>', T0 + 20));
      assert.equal(got?.updatedAt, T0 + 20, 'a new line moves updatedAt');
      assert.equal(got?.createdAt, T0);
    });

    it('keeps lines in the order they were added, even with equal timestamps', async () => {
      const { store } = make();
      await store.create(newTicket('t1', 's1', T0));
      for (const id of ['a', 'b', 'c', 'd']) await store.addMessage('t1', customerLine(id, id, T0));
      assert.deepEqual((await store.get('t1'))?.messages.map((m) => m.id), ['t1-m0', 'a', 'b', 'c', 'd']);
    });

    it('refuses a duplicate ticket id, a second ticket of a session that is not closed, and a line for an unknown ticket', async () => {
      const { store } = make();
      await store.create(newTicket('t1', 's1', T0));
      await assert.rejects(store.create(newTicket('t1', 's2', T0)), { code: 'conflict' });
      await assert.rejects(store.create(newTicket('t2', 's1', T0)), { code: 'conflict' });
      await assert.rejects(store.addMessage('nope', customerLine('x', 'x', T0)), { code: 'not_found' });
      await assert.rejects(store.setStatus('nope', 'closed', T0), { code: 'not_found' });
      assert.equal(await store.get('t2'), undefined, 'the refused ticket left nothing behind');
      await store.setStatus('t1', 'closed', T0 + 1);
      await store.create(newTicket('t2', 's1', T0 + 2));
      assert.equal((await store.openForSession('s1'))?.id, 't2', 'after closing, the session may open another');
    });

    it('of concurrent tickets for one session, on two nodes, exactly one is created', async () => {
      const { store, reopen } = make();
      const other = reopen ? reopen() : store;
      if (other !== store) open.push(other);
      const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).create(newTicket(`t${i}`, 's1', T0 + i))));
      const created = results.flatMap((r, i) => (r.status === 'fulfilled' ? [`t${i}`] : []));
      assert.equal(created.length, 1, JSON.stringify(results.map((r) => r.status)));
      for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'conflict');
      assert.equal((await store.openForSession('s1'))?.id, created[0]);
      assert.deepEqual((await other.list({ limit: 10 })).map((t) => t.id), created, 'the refused ones left nothing behind');
    });

    it('openForSession finds open and answered tickets, never closed ones', async () => {
      const { store } = make();
      await store.create(newTicket('t1', 's1', T0));
      assert.equal((await store.openForSession('s1'))?.id, 't1');
      await store.setStatus('t1', 'answered', T0 + 5);
      const answered = await store.openForSession('s1');
      assert.equal(answered?.id, 't1');
      assert.equal(answered?.status, 'answered');
      assert.equal(answered?.updatedAt, T0 + 5);
      assert.equal(answered?.messages.length, 1, 'with its thread');
      await store.setStatus('t1', 'closed', T0 + 6);
      assert.equal(await store.openForSession('s1'), undefined);
      assert.equal((await store.get('t1'))?.status, 'closed', 'a closed ticket is still readable');
      assert.equal(await store.openForSession('s2'), undefined, 'sessions are isolated');
    });

    it('lists newest first, filters by status, honours the limit', async () => {
      const { store } = make();
      await store.create(newTicket('t1', 's1', T0));
      await store.create(newTicket('t2', 's2', T0 + 10));
      await store.create(newTicket('t3', 's3', T0 + 10)); // same millisecond as t2: created later, listed first
      await store.create(newTicket('t4', 's4', T0 + 5));
      await store.setStatus('t2', 'answered', T0 + 20);
      await store.setStatus('t4', 'closed', T0 + 30);
      await store.addMessage('t1', customerLine('late', 'still there?', T0 + 40)); // activity does not reorder
      const ids = async (q: Parameters<TicketStore['list']>[0]) => (await store.list(q)).map((t) => t.id);
      assert.deepEqual(await ids({ limit: 10 }), ['t3', 't2', 't4', 't1']);
      assert.deepEqual(await ids({ limit: 2 }), ['t3', 't2']);
      assert.deepEqual(await ids({ limit: 0 }), []);
      assert.deepEqual(await ids({ status: ['open'], limit: 10 }), ['t3', 't1']);
      assert.deepEqual(await ids({ status: ['open', 'answered'], limit: 10 }), ['t3', 't2', 't1']);
      assert.deepEqual(await ids({ status: ['closed'], limit: 10 }), ['t4']);
      assert.deepEqual(await ids({ status: [], limit: 10 }), ['t3', 't2', 't4', 't1'], 'an empty filter is no filter');
      const [first] = await store.list({ status: ['open'], limit: 1 });
      assert.deepEqual(first, await store.get('t3'), 'listed tickets are whole, thread included');
      assert.deepEqual((await store.list({ status: ['open'], limit: 10 }))[1].messages.map((m) => m.id), ['t1-m0', 'late']);
    });

    it('undelivered: operator lines of the session not yet delivered, oldest first, across its tickets', async () => {
      const { store } = make();
      await store.create(newTicket('t1', 's1', T0));
      await store.addMessage('t1', operatorLine('o1', 'first', T0 + 10));
      await store.addMessage('t1', customerLine('c1', 'customer lines never count', T0 + 11));
      await store.addMessage('t1', operatorLine('o2', 'second', T0 + 12));
      await store.addMessage('t1', operatorLine('o0', 'already delivered live', T0 + 13, true));
      await store.setStatus('t1', 'closed', T0 + 14);
      // A closed ticket's undelivered reply still reaches the customer: it was written for them.
      await store.create(newTicket('t2', 's1', T0 + 20));
      await store.addMessage('t2', operatorLine('o3', 'third', T0 + 21));
      await store.addMessage('t2', operatorLine('o4', 'fourth, same ms', T0 + 21));
      await store.create(newTicket('t3', 's2', T0 + 30));
      await store.addMessage('t3', operatorLine('x1', 'other session', T0 + 31));

      const pending = await store.undelivered('s1');
      assert.deepEqual(pending.map((p) => `${p.ticketId}/${p.message.id}`), ['t1/o1', 't1/o2', 't2/o3', 't2/o4']);
      assert.deepEqual(pending[0].message, operatorLine('o1', 'first', T0 + 10));

      await store.markDelivered('t1', ['o1', 'o2', 'c1', 'unknown']);
      await store.markDelivered('t2', []);
      assert.deepEqual((await store.undelivered('s1')).map((p) => p.message.id), ['o3', 'o4']);
      const t1 = await store.get('t1');
      assert.deepEqual(t1?.messages.map((m) => [m.id, m.delivered]), [['t1-m0', undefined], ['o1', true], ['c1', undefined], ['o2', true], ['o0', true]]);
      await store.markDelivered('t1', ['o3']); // o3 belongs to t2: nothing changes
      assert.deepEqual((await store.undelivered('s1')).map((p) => p.message.id), ['o3', 'o4']);
      await store.markDelivered('t2', ['o4', 'o3']);
      assert.deepEqual(await store.undelivered('s1'), []);
      assert.deepEqual((await store.undelivered('s2')).map((p) => p.message.id), ['x1']);
    });

    it('an operator line stored without a delivered flag counts as undelivered', async () => {
      const { store } = make();
      await store.create(newTicket('t1', 's1', T0));
      await store.addMessage('t1', { id: 'o1', from: 'operator', text: 'hi', operator: 'Sato', at: T0 + 1 });
      assert.deepEqual((await store.undelivered('s1')).map((p) => p.message.id), ['o1']);
      assert.equal('delivered' in (await store.get('t1'))!.messages[1], false, 'the absent flag is not invented');
    });

    it('returns copies: mutating what was read does not change the store', async () => {
      const { store } = make();
      const ticket = newTicket('t1', 's1', T0);
      await store.create(ticket);
      ticket.messages[0].text = 'changed after create';
      ticket.customer.name = 'changed';
      const got = (await store.get('t1'))!;
      assert.equal(got.messages[0].text, '人と話したいです');
      assert.equal(got.customer.name, '山田');
      got.messages.push(customerLine('x', 'x', T0));
      got.status = 'closed';
      got.messages[0].text = 'changed after get';
      const again = (await store.get('t1'))!;
      assert.equal(again.messages.length, 1);
      assert.equal(again.status, 'open');
      assert.equal(again.messages[0].text, '人と話したいです');
    });

    it('rejects calls whose signal is already aborted, and every call after close()', async () => {
      const { store } = make();
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(store.create(newTicket('t1', 's1', T0), { signal: ac.signal }), /deadline/);
      await assert.rejects(store.openForSession('s1', { signal: ac.signal }), /deadline/);
      assert.equal(await store.get('t1'), undefined);
      store.close();
      await assert.rejects(store.get('t1'), /closed/);
    });

    it('survives a restart when the adapter is durable', async (t) => {
      const { store, reopen } = make();
      if (!reopen) {
        t.skip('not a durable adapter');
        return;
      }
      await store.create(newTicket('t1', 's1', T0));
      await store.addMessage('t1', operatorLine('o1', 'お待たせしました', T0 + 10));
      await store.setStatus('t1', 'answered', T0 + 10);
      await store.create(newTicket('t2', 's2', T0 + 20));
      await store.setStatus('t2', 'closed', T0 + 30);
      const before = [await store.get('t1'), await store.get('t2')];
      store.close();

      const again = reopen();
      open.push(again);
      assert.deepEqual([await again.get('t1'), await again.get('t2')], before);
      assert.equal((await again.openForSession('s1'))?.id, 't1');
      assert.equal(await again.openForSession('s2'), undefined);
      assert.deepEqual((await again.undelivered('s1')).map((p) => p.message.id), ['o1']);
      assert.deepEqual((await again.list({ limit: 10 })).map((t) => t.id), ['t2', 't1']);
      await assert.rejects(again.create(newTicket('t3', 's1', T0 + 40)), { code: 'conflict' }, 'the session rule holds after the restart');
    });
  });
}
