// The intent classifier of a running service learns the names an import brings, without a
// restart: POST /v1/nlu/intent after `npm run import -- --notify` reads a bare imported title
// (and its English name, and a misspelling of it) as a product search.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.ts';
import { runImport } from '../../src/catalog/import-cli.ts';

const ADMIN_TOKEN = 'admin-test-credential-0123456789';
const HEADER = 'Title,Score,Vote,Ranked,Popularity,Members,Favorite,Types,Volumes,Chapters,Status,Published,Genres,Themes,Demographic,Serialization,Author,Total Review,Type Review';
/** A real row of ../shared/data/mal_top_manga.csv: a series the shipped catalog lacks. */
const CSV = [
  HEADER,
  `Fumetsu no Anata e (To Your Eternity),8.45,50000.0,150,400,"120,000","5,000",Manga,20,190,Finished,"Nov  9, 2016 to Sep  18, 2024","['Adventure', 'Drama', 'Fantasy', 'Supernatural']",[],Shounen,Weekly Shounen Magazine,"Ooima, Yoshitoki (Story & Art)",40,"[35, 3, 2]"`,
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'intent-after-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an imported title is a product search on the next message, without a restart', async () => {
  const csvFile = join(dir, 'import.csv');
  writeFileSync(csvFile, CSV);
  const dataDir = mkdtempSync(join(dir, 'data-'));
  const server = await startTestServer({ DATA_DIR: dataDir, ADMIN_TOKEN, CATALOG_REFRESH_INTERVAL_MS: '0' });
  const intentOf = async (text: string): Promise<{ intent: string; confidence: number }> => {
    const res = await fetch(`${server.url}/v1/nlu/intent`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as { intent: string; confidence: number };
  };
  try {
    const report = await runImport([csvFile, '--notify', server.url], dataDir, () => {}, { adminToken: ADMIN_TOKEN });
    assert.equal(report.inserted, 1);
    for (const text of ['Fumetsu no Anata e', 'To Your Eternity', 'to your eternaty', 'Yoshitoki Ooima']) {
      const r = await intentOf(text);
      assert.equal(r.intent, 'product_search', `${text}: ${JSON.stringify(r)}`);
    }
    // The sentence around the name still decides.
    assert.equal((await intentOf('how many volumes does To Your Eternity have?')).intent, 'product_question');
  } finally {
    await server.close();
  }
});
