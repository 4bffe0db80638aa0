import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchFresh, startClusterService, type ClusterService } from '../helpers/cluster-service.ts';

// With WORKERS=2 an admin write lands on whichever worker took the connection; it must hold for
// the whole service: a fault set through one request is in force on both workers, cleared
// likewise, a worker started after a crash starts with it, and a data-change event drops both
// workers' cached data. Requests go out on fresh connections, which node:cluster hands to the
// workers in turn; each worker's report (pid, faults, attempts that met a fault) shows that both
// served them.

const ADMIN_TOKEN = 'admin-credential-workers-admin-0123';
const REQUESTS = 6;

interface Report {
  pid: number;
  faults: Record<string, unknown>;
  injected: Record<string, number>;
}

describe('WORKERS=2: admin writes are per-service', () => {
  let service: ClusterService;

  async function admin(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetchFresh(`${service.url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    assert.equal(res.status, 200, `${method} ${path}: ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  async function reports(): Promise<Report[]> {
    return (await admin('GET', '/v1/admin/faults')).processes as Report[];
  }

  async function chat(text: string): Promise<{ degraded: string[]; products: { seriesId: string; format?: string }[] }> {
    const res = await fetchFresh(`${service.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { degraded: string[]; products: { seriesId: string; format?: string }[] };
  }

  before(async () => {
    service = await startClusterService({ ADMIN_TOKEN });
  });
  after(async () => {
    const code = await service.stop();
    assert.ok(code === 0 || code === 'SIGTERM', `exit ${code}: ${service.output().slice(-2000)}`);
  });

  test('a fault set through one request is in force on both workers; cleared through one, it is gone from both', async () => {
    const put = await admin('PUT', '/v1/admin/faults/catalog', { down: true });
    assert.deepEqual(put.faults, { catalog: { down: true } });
    // The write answered once both workers applied it: whichever worker answers now reports it.
    const before = await reports();
    assert.equal(before.length, 2, JSON.stringify(before));
    assert.notEqual(before[0].pid, before[1].pid);
    for (const r of before) assert.deepEqual(r.faults, { catalog: { down: true } }, `worker ${r.pid}`);
    for (let i = 0; i < 4; i++) assert.deepEqual((await admin('GET', '/v1/admin/faults')).faults, { catalog: { down: true } }, `GET ${i}`);

    for (let i = 0; i < REQUESTS; i++) assert.ok((await chat('Do you have One Piece?')).degraded.includes('catalog'), `message ${i + 1} met the fault`);
    const after = await reports();
    for (const r of after) assert.ok((r.injected.catalog ?? 0) > 0, `worker ${r.pid} served messages that met the fault: ${JSON.stringify(after)}`);

    const del = await admin('DELETE', '/v1/admin/faults/catalog');
    assert.deepEqual(del.faults, {});
    for (const r of await reports()) assert.deepEqual(r.faults, {}, `worker ${r.pid}`);
    const metBefore = Object.fromEntries((await reports()).map((r) => [r.pid, r.injected.catalog ?? 0]));
    for (let i = 0; i < REQUESTS; i++) {
      const r = await chat('Do you have One Piece?');
      assert.deepEqual(r.degraded, [], `message ${i + 1} after the clear`);
      assert.ok(r.products.length > 0);
    }
    for (const r of await reports()) assert.equal(r.injected.catalog ?? 0, metBefore[r.pid], `worker ${r.pid} met no fault after the clear`);
  });

  test('DELETE of every fault through one request clears both workers', async () => {
    await admin('PUT', '/v1/admin/faults/reviews', { latencyMs: 5 });
    await admin('PUT', '/v1/admin/faults/orders', { errorRate: 0.5 });
    for (const r of await reports()) assert.deepEqual(r.faults, { reviews: { latencyMs: 5 }, orders: { errorRate: 0.5 } }, `worker ${r.pid}`);
    assert.deepEqual((await admin('DELETE', '/v1/admin/faults')).faults, {});
    for (const r of await reports()) assert.deepEqual(r.faults, {}, `worker ${r.pid}`);
  });

  test('a worker started after a crash starts with the service\'s current faults', async () => {
    await admin('PUT', '/v1/admin/faults/recommendations', { down: true });
    await admin('PUT', '/v1/admin/faults/promotions', { latencyMs: 20 });
    await admin('DELETE', '/v1/admin/faults/promotions');
    const [victim, survivor] = await reports();
    process.kill(victim.pid, 'SIGKILL');
    // The primary replaces it; wait until the replacement is on the bus and answering.
    const deadline = Date.now() + 60_000;
    let now: Report[] = [];
    for (;;) {
      // A connection handed to the killed worker before the primary noticed is lost: ask again.
      now = await Promise.race([reports(), sleep(2000).then(() => [])]).catch(() => []);
      if (now.length === 2 && !now.some((r) => r.pid === victim.pid)) break;
      assert.ok(Date.now() < deadline, `no replacement worker: ${JSON.stringify(now)}\n${service.output().slice(-2000)}`);
      await sleep(100);
    }
    const replacement = now.find((r) => r.pid !== survivor.pid)!;
    assert.deepEqual(replacement.faults, { recommendations: { down: true } }, 'the replacement replayed the changes');
    assert.deepEqual(now.find((r) => r.pid === survivor.pid)!.faults, { recommendations: { down: true } });
    await admin('DELETE', '/v1/admin/faults');
  });

  test('a data-change event invalidates both workers\' caches', async () => {
    // Both workers cache the series' volumes (prices and stock are read live, the rest for minutes).
    const formats = async () => (await chat('Do you have Frieren?')).products.map((p) => p.format);
    const first = await chat('Do you have Frieren?');
    const seriesId = first.products[0].seriesId;
    assert.ok(first.products.every((p) => p.format === 'tankobon'), JSON.stringify(first.products));
    for (let i = 0; i < REQUESTS; i++) await formats();

    // The catalog owner changes the data behind the service's back...
    const db = new DatabaseSync(join(service.dataDir, 'catalog.sqlite'));
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare('UPDATE catalog_products SET format = ? WHERE series_id = ?').run('collector box', seriesId);
    db.close();
    // ...both workers still answer from their caches (so the event below has something to do)...
    for (let i = 0; i < REQUESTS; i++) assert.ok((await formats()).every((f) => f === 'tankobon'), `cached answer ${i + 1}`);

    // ...until the change event, sent through one worker, reaches both.
    const event = await admin('POST', '/v1/admin/events', { type: 'catalog.changed', seriesIds: [seriesId] });
    assert.ok((event.invalidated as string[]).includes(`series:${seriesId}`), JSON.stringify(event));
    for (let i = 0; i < REQUESTS; i++) {
      const now = await formats();
      assert.ok(now.length > 0 && now.every((f) => f === 'collector box'), `answer ${i + 1} after the event: ${now.join(', ')}`);
    }
  });
});
