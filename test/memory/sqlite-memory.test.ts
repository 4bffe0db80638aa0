import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteMemory, openSqliteMemory } from '../../src/memory/sqlite-memory.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import type { StoredMessage } from '../../src/memory/types.ts';
import { assistant, manualClock, user } from './memory.contract.ts';

describe('sqlite memory', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'memory-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('survives a restart: write, close, reopen the same file, read', async () => {
    const file = join(dir, 'restart.db');
    const clock = manualClock();
    const first = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
    await first.append('s1', [user('m1', 'ワンピースの最新巻は？', 1), assistant('m1', ['one-piece'], 2)]);
    first.close();

    const second = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
    try {
      assert.deepEqual(await second.load('s1'), [user('m1', 'ワンピースの最新巻は？', 1), assistant('m1', ['one-piece'], 2)]);
      assert.equal(await second.hasMessage('s1', 'm1'), true);
    } finally {
      second.close();
    }
  });

  it('opens a database made before turns recorded what they were about, and records it from then on', async () => {
    const file = join(dir, 'old-schema.db');
    const db = openDatabase(file);
    db.exec(`CREATE TABLE memory_sessions (session_id TEXT PRIMARY KEY, last_active_at INTEGER NOT NULL);
      CREATE TABLE memory_messages (id INTEGER PRIMARY KEY, session_id TEXT NOT NULL REFERENCES memory_sessions (session_id) ON DELETE CASCADE,
        role TEXT NOT NULL, text TEXT NOT NULL, message_id TEXT NOT NULL, intent TEXT, language TEXT, series_ids TEXT, product_ids TEXT, cards TEXT, at INTEGER NOT NULL);`);
    db.close();
    const clock = manualClock();
    const memory = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
    try {
      await memory.append('s1', [user('m1'), { ...assistant('m1', ['kingdom']), about: { focus: 'kingdom', volume: 76 } }]);
      assert.deepEqual((await memory.load('s1'))[1].about, { focus: 'kingdom', volume: 76 });
    } finally {
      memory.close();
    }
  });

  it('honours a smaller window after a restart without rewriting the file', async () => {
    const file = join(dir, 'window.db');
    const clock = manualClock();
    const wide = openSqliteMemory(file, { window: 10, idleTtlMs: 60_000, now: clock.now });
    for (let i = 1; i <= 6; i++) await wide.append('s1', [user(`m${i}`)]);
    wide.close();
    const narrow = openSqliteMemory(file, { window: 2, idleTtlMs: 60_000, now: clock.now });
    try {
      assert.deepEqual((await narrow.load('s1')).map((m) => m.messageId), ['m5', 'm6']);
    } finally {
      narrow.close();
    }
  });

  it('appends all messages of a batch or none (a failing row rolls the batch back)', async () => {
    const db = openDatabase(':memory:');
    const clock = manualClock();
    const memory = createSqliteMemory(db, { idleTtlMs: 60_000, now: clock.now });
    await memory.append('s1', [user('m1')]);
    // text is NOT NULL in the schema: the second row fails after the first was inserted.
    const broken = { ...user('m3'), text: null } as unknown as StoredMessage;
    await assert.rejects(memory.append('s1', [user('m2'), broken]));
    assert.deepEqual((await memory.load('s1')).map((m) => m.messageId), ['m1']);
    assert.equal(await memory.hasMessage('s1', 'm2'), false);
    await memory.append('s1', [user('m4')]);
    assert.deepEqual((await memory.load('s1')).map((m) => m.messageId), ['m1', 'm4'], 'usable after the rollback');
    memory.close();
    db.close();
  });

  it('group commit: appends issued together are all stored; a failing one fails alone', async () => {
    const db = openDatabase(':memory:');
    const clock = manualClock();
    const memory = createSqliteMemory(db, { idleTtlMs: 60_000, now: clock.now });
    const broken = { ...user('bad'), text: null } as unknown as StoredMessage;
    const results = await Promise.allSettled([
      ...Array.from({ length: 40 }, (_, i) => memory.append(`s${i}`, [user(`m${i}`), assistant(`m${i}`, ['x'], 2)])),
      memory.append('s-broken', [user('ok-first'), broken]),
    ]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 40);
    assert.equal(results.at(-1)!.status, 'rejected');
    for (let i = 0; i < 40; i++) assert.deepEqual((await memory.load(`s${i}`)).map((m) => m.role), ['user', 'assistant']);
    assert.deepEqual(await memory.load('s-broken'), [], 'the failing append rolled back alone');
    assert.equal((db.prepare('SELECT count(*) AS n FROM memory_sessions').get() as { n: number }).n, 40);
    memory.close();
    db.close();
  });

  it('close() writes appends still waiting for their group commit', async () => {
    const file = join(dir, 'pending.db');
    const clock = manualClock();
    const first = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
    const pending = first.append('s1', [user('m1')]);
    first.close();
    await pending;
    const second = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
    assert.deepEqual((await second.load('s1')).map((m) => m.messageId), ['m1']);
    second.close();
  });

  it('leaves a shared database open on close() and refuses further calls', async () => {
    const db = openDatabase(':memory:');
    const memory = createSqliteMemory(db, { idleTtlMs: 60_000 });
    memory.close();
    assert.equal(db.isOpen, true);
    await assert.rejects(memory.load('s1'), /closed/);
    db.close();
  });

  it('expire() deletes the rows, not just hides them', async () => {
    const db = openDatabase(':memory:');
    const clock = manualClock();
    const memory = createSqliteMemory(db, { idleTtlMs: 1000, now: clock.now });
    await memory.append('s1', [user('m1'), assistant('m1')]);
    clock.advance(1001);
    assert.equal(await memory.expire(), 1);
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    assert.equal(count('memory_sessions'), 0);
    assert.equal(count('memory_messages'), 0);
    assert.equal(count('memory_seen_ids'), 0);
    memory.close();
    db.close();
  });

  it('rejects nonsensical options', () => {
    const db = openDatabase(':memory:');
    assert.throws(() => createSqliteMemory(db, { idleTtlMs: 0 }), RangeError);
    assert.throws(() => createSqliteMemory(db, { idleTtlMs: 1000, window: 0 }), RangeError);
    assert.throws(() => createSqliteMemory(db, { idleTtlMs: 1000, liveSessions: -1 }), RangeError);
    db.close();
  });

  describe('live sessions kept in process', () => {
    it('stores the same window and ids as a memory without live copies (whose trims always run), step by step', async () => {
      // Each memory plays the same appends on its own database, with its own clock; the rows are compared after every step.
      const play = async (liveSessions: number) => {
        const db = openDatabase(':memory:');
        const clock = manualClock();
        const memory = createSqliteMemory(db, { idleTtlMs: 60_000, window: 5, idsKept: 3, now: clock.now, sharedFile: false, liveSessions });
        const rows = () => ({
          messages: db.prepare('SELECT session_id, role, message_id FROM memory_messages ORDER BY id').all(),
          ids: db.prepare('SELECT session_id, message_id FROM memory_seen_ids ORDER BY id').all(),
        });
        const after: ReturnType<typeof rows>[] = [];
        const step = async (appends: Promise<void>[]) => {
          await Promise.all(appends);
          after.push(rows());
        };
        // One turn at a time up to and past the window.
        await memory.load('s0');
        for (let i = 1; i <= 4; i++) {
          await step([memory.append('s0', [user(`a${i}`), assistant(`a${i}`)])]);
          clock.advance(1);
        }
        await memory.load('s1');
        await step([memory.append('s1', [user('m1'), assistant('m1')])]);
        // In the same millisecond, two appends of the session in one transaction (one turn of the
        // event loop) and another session's: together they pass the window.
        await step([memory.append('s1', [user('m2'), assistant('m2')]), memory.append('s1', [user('m3'), assistant('m3')]), memory.append('s2', [user('x1')])]);
        for (let i = 4; i <= 6; i++) {
          clock.advance(1);
          await step([memory.append('s1', [user(`m${i}`), assistant(`m${i}`)])]);
        }
        // Again in one transaction, one with an id accepted before.
        await step([memory.append('s1', [user('m7')]), memory.append('s1', [assistant('m7'), user('m2')])]);
        clock.advance(1);
        await step([memory.append('s1', [assistant('m2'), user('m8'), assistant('m8')])]);
        const loaded = (await memory.load('s1')).map((m) => `${m.role}:${m.messageId}`);
        memory.close();
        db.close();
        return { after, loaded };
      };
      const live = await play(10);
      const cold = await play(0);
      assert.deepEqual(live, cold);
      assert.equal(live.after.at(-1)!.messages.filter((m) => (m as { session_id: string }).session_id === 's1').length, 5);
    });

    it('answers a warm session from its live copy, followed through appends, without reading the tables', async () => {
      const db = openDatabase(':memory:');
      const clock = manualClock();
      const memory = createSqliteMemory(db, { idleTtlMs: 60_000, window: 3, now: clock.now, sharedFile: false });
      await memory.append('s1', [user('m1'), assistant('m1', ['a'])]);
      await memory.append('s1', [user('m2'), assistant('m2', ['b'])]);
      // Emptied behind the memory's back on its own connection: only a copy in process can still answer.
      db.exec('DELETE FROM memory_messages; DELETE FROM memory_seen_ids');
      assert.deepEqual((await memory.load('s1')).map((m) => `${m.role}:${m.messageId}`), ['assistant:m1', 'user:m2', 'assistant:m2']);
      assert.equal(await memory.hasMessage('s1', 'm1'), true, 'ids beyond the window are kept too');
      assert.equal(await memory.hasMessage('s1', 'm9'), false);
      memory.close();
      db.close();
    });

    it('sees what another connection appended to the same file, read or append first', async () => {
      const file = join(dir, 'two-writers.db');
      const clock = manualClock();
      const a = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
      const b = openSqliteMemory(file, { idleTtlMs: 60_000, now: clock.now });
      await a.append('s1', [user('m1')]);
      assert.deepEqual((await a.load('s1')).map((m) => m.messageId), ['m1']);
      await b.append('s1', [user('m2')]);
      assert.deepEqual((await a.load('s1')).map((m) => m.messageId), ['m1', 'm2'], 'a read after the other wrote');
      assert.equal(await a.hasMessage('s1', 'm2'), true);
      await b.append('s1', [user('m3')]);
      await a.append('s1', [user('m4')]);
      assert.deepEqual((await a.load('s1')).map((m) => m.messageId), ['m1', 'm2', 'm3', 'm4'], 'an append after the other wrote');
      assert.deepEqual((await b.load('s1')).map((m) => m.messageId), ['m1', 'm2', 'm3', 'm4']);
      a.close();
      b.close();
    });

    it('keeps at most liveSessions copies and still answers every session', async () => {
      const db = openDatabase(':memory:');
      const clock = manualClock();
      const memory = createSqliteMemory(db, { idleTtlMs: 60_000, now: clock.now, liveSessions: 1 });
      for (const s of ['s1', 's2', 's3']) await memory.append(s, [user(`${s}-m1`)]);
      for (const s of ['s1', 's2', 's3']) await memory.append(s, [user(`${s}-m2`)]);
      for (const s of ['s3', 's1', 's2']) assert.deepEqual((await memory.load(s)).map((m) => m.messageId), [`${s}-m1`, `${s}-m2`]);
      memory.close();
      db.close();
    });
  });
});
