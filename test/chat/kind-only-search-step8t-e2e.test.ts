import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText } from '../helpers/ws-client.ts';
import { WIDE_DEADLINES } from '../../bench/conversations/player.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { seedCatalogIfEmpty } from '../../src/catalog/seed.ts';
import { runImport } from '../../src/catalog/import-cli.ts';

// After the MAL import (fixer T, step 8; blind8 b8-recom-en-130): a search made only of kind words
// ("time travel manga?") is a wish for that kind, not a title search that lands on a title holding part
// of the words ("Travel") — a title is named only when one is those words whole.

const ROOT = resolve(import.meta.dirname, '../..');
const MAL_CSV = resolve(ROOT, '../shared/data/mal_top_manga.csv');

let server: TestServer;
before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-kind-only-'));
  const db = openDatabase(join(dataDir, 'catalog.sqlite'));
  try {
    await seedCatalogIfEmpty(createSqliteCatalog(db), join(ROOT, 'data', 'catalog'));
  } finally {
    db.close();
  }
  await runImport([MAL_CSV], dataDir, () => {});
  server = await startTestServer({ ...WIDE_DEADLINES, DATA_DIR: dataDir });
});
after(async () => {
  await server?.close();
});

test('kind words only are picks of that kind, and a title that is the words whole is still found', async () => {
  for (const ask of ['time travel manga?', 'any time-travel manga']) {
    const c = await connectChat(server.wsUrl, {});
    try {
      const r = replyText(await c.ask(ask));
      assert.doesNotMatch(r, /^I found \d+ series that match/, ask);
      assert.doesNotMatch(r, /Travel by Yuuichi Yokoyama/, ask);
    } finally {
      await c.close();
    }
  }
  const c = await connectChat(server.wsUrl, {});
  try {
    assert.match(replyText(await c.ask('Monster manga?')), /Monster/);
  } finally {
    await c.close();
  }
});
