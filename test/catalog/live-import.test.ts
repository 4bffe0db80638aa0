// `npm run import` into the DATA_DIR of a running service: the next chat message finds what was
// imported, without a restart, whether the import tells the service (--notify) or the service
// notices the write by itself (CATALOG_REFRESH_INTERVAL_MS).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fetchFresh, startClusterService } from '../helpers/cluster-service.ts';
import { runImport } from '../../src/catalog/import-cli.ts';

const ADMIN_TOKEN = 'admin-test-credential-0123456789';
const HEADER = 'Title,Score,Vote,Ranked,Popularity,Members,Favorite,Types,Volumes,Chapters,Status,Published,Genres,Themes,Demographic,Serialization,Author,Total Review,Type Review';
/** Real rows of the export: two series the shipped catalog lacks, one of them for adults, and a spin-off of Gantz. */
const CSV = [
  HEADER,
  `Kuroshitsuji (Black Butler),8.15,57000.0,516,75,"200,000","9,000",Manga,Unknown,Unknown,Publishing,"Sep  16, 2006 to ?","['Action', 'Comedy', 'Fantasy', 'Mystery', 'Supernatural']","['Historical']",Shounen,GFantasy,"Toboso, Yana (Story & Art)",100,"[90, 5, 5]"`,
  `Monster Musume no Iru Nichijou (Monster Musume: Everyday Life with Monster Girls),7.62,28836.0,1900,300,"90,000","2,000",Manga,Unknown,Unknown,Publishing,"Mar  19, 2012 to ?","['Comedy', 'Fantasy', 'Romance', 'Ecchi']","['Harem', 'Mythology']",Seinen,Comic Ryu,"Okayado (Story & Art)",20,"[15, 3, 2]"`,
  `Gantz:G,6.36,7249.0,9500,7000,"10,000",50,Manga,3,18,Finished,"Nov  17, 2015 to Mar  17, 2017",['Sci-Fi'],[],Seinen,Miracle Jump,"Oku, Hiroya (Story), Imai, Keita (Art)",1,"[1, 0, 0]"`,
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'catalog-live-import-'));
const csvFile = join(dir, 'import.csv');
writeFileSync(csvFile, CSV);
after(() => rmSync(dir, { recursive: true, force: true }));

interface ChatReply {
  intent: string;
  text: string;
  products: { seriesId: string }[];
}

async function ask(server: TestServer, text: string): Promise<ChatReply> {
  const res = await fetch(`${server.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as ChatReply;
}

const carded = (r: ChatReply) => [...new Set(r.products.map((p) => p.seriesId))];

describe('an import reaches the running service', () => {
  it('with --notify: the message right after the import finds the imported series', async () => {
    const dataDir = mkdtempSync(join(dir, 'notify-'));
    // No polling: only the notification can make the service see the import.
    const server = await startTestServer({ DATA_DIR: dataDir, ADMIN_TOKEN, CATALOG_REFRESH_INTERVAL_MS: '0' });
    try {
      assert.deepEqual(carded(await ask(server, 'Do you have Black Butler?')).filter((id) => id === 'kuroshitsuji'), []);

      const lines: string[] = [];
      const report = await runImport([csvFile, '--notify', server.url], dataDir, (l) => lines.push(l), { adminToken: ADMIN_TOKEN });
      assert.equal(report.inserted, 3);
      assert.match(lines.join('\n'), /took the import in/);

      const found = await ask(server, 'Do you have Black Butler?');
      assert.equal(carded(found)[0], 'kuroshitsuji', found.text);
      const ja = await ask(server, 'Kuroshitsujiはありますか？');
      assert.equal(carded(ja)[0], 'kuroshitsuji', ja.text);

      // What the import flagged for adults is not carded to a guest, from the first message on.
      for (const question of ['I want Monster Musume', 'Do you have Gantz:G?']) {
        const r = await ask(server, question);
        assert.deepEqual(carded(r).filter((id) => id.startsWith('monster-musume') || id.startsWith('gantz')), [], `${question}: ${r.text}`);
      }
    } finally {
      await server.close();
    }
  });

  it('without --notify: the service notices the write by itself', async () => {
    const dataDir = mkdtempSync(join(dir, 'watch-'));
    const server = await startTestServer({ DATA_DIR: dataDir, CATALOG_REFRESH_INTERVAL_MS: '50' });
    try {
      await runImport([csvFile], dataDir, () => {});
      // Bounded wait for the next look at the file (every 50 ms here).
      let reply = await ask(server, 'Do you have Black Butler?');
      for (let i = 0; i < 100 && carded(reply)[0] !== 'kuroshitsuji'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        reply = await ask(server, 'Do you have Black Butler?');
      }
      assert.equal(carded(reply)[0], 'kuroshitsuji', reply.text);
    } finally {
      await server.close();
    }
  });

  it('WORKERS=2: --notify returns once every worker took the import in', async () => {
    const service = await startClusterService({ ADMIN_TOKEN, CATALOG_REFRESH_INTERVAL_MS: '0' });
    try {
      await runImport([csvFile, '--notify', service.url], service.dataDir, () => {}, { adminToken: ADMIN_TOKEN });
      // Fresh connections go to the workers in turn: each one answers from the imported catalog.
      for (let i = 0; i < 6; i++) {
        const res = await fetchFresh(`${service.url}/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Do you have Black Butler?' }) });
        const reply = (await res.json()) as ChatReply;
        assert.equal(carded(reply)[0], 'kuroshitsuji', `message ${i + 1}: ${reply.text}`);
      }
    } finally {
      const code = await service.stop();
      assert.ok(code === 0 || code === 'SIGTERM', `exit ${code}: ${service.output().slice(-2000)}`);
    }
  });

  it('refuses --notify without the admin credential, and reports a refusal by the service', async () => {
    const dataDir = mkdtempSync(join(dir, 'refused-'));
    await assert.rejects(runImport([csvFile, '--notify', 'http://127.0.0.1:9'], dataDir, () => {}), /ADMIN_TOKEN/);
    const server = await startTestServer({ DATA_DIR: dataDir, ADMIN_TOKEN, CATALOG_REFRESH_INTERVAL_MS: '0' });
    try {
      await assert.rejects(runImport([csvFile, '--notify', server.url], dataDir, () => {}, { adminToken: 'wrong-credential-0123456789' }), /refused the catalog.changed event: 401/);
    } finally {
      await server.close();
    }
  });
});
