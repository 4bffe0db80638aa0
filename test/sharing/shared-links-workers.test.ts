/**
 * WORKERS=2 on one machine with CACHE_BACKEND=memory: each worker caches a shared link in its own
 * process and no cache bus joins them, so a revocation reaches the sibling only through the
 * service's own bus (cluster IPC). node:cluster hands each new connection to the next worker, so a
 * run of fresh connections reads the link on both.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startClusterService, fetchFresh, type ClusterService } from '../helpers/cluster-service.ts';

describe('a shared link on two workers of one machine', () => {
  let service: ClusterService;
  before(async () => {
    service = await startClusterService({ WORKERS: '2' });
  });
  after(async () => {
    await service?.stop();
  });

  const statuses = (shareId: string, n: number) => Promise.all(Array.from({ length: n }, async () => (await fetchFresh(`${service.url}/v1/shared/${shareId}`)).status));

  test('revoked through one worker: gone on both when DELETE answers', async () => {
    const chat = await fetchFresh(`${service.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Do you have Frieren?' }) });
    assert.equal(chat.status, 200, service.output().slice(-2000));
    const { sessionId, resumeToken } = (await chat.json()) as { sessionId: string; resumeToken: string };
    const made = await fetchFresh(`${service.url}/v1/shares`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId, resumeToken }) });
    assert.equal(made.status, 201);
    const { shareId } = (await made.json()) as { shareId: string };
    assert.deepEqual([...new Set(await statuses(shareId, 12))], [200], 'both workers hold a copy');
    const del = await fetchFresh(`${service.url}/v1/shares/${shareId}`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resumeToken }) });
    assert.equal(del.status, 200);
    assert.deepEqual([...new Set(await statuses(shareId, 12))], [404], 'neither serves its copy');
  });
});
