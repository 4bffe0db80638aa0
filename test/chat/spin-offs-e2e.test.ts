// "Is there a spin-off?", 「続編はある？」 with a series in play or named, over the WebSocket after
// `npm run import` of the MAL CSV (the shipped catalog links no series to a parent): the series the
// catalog records as derived from it (`parentId`), by title with volume counts, an 18+ one only for
// a customer who confirmed their age; plainly none when the store has none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectChat, replyText, type ChatClient, type Frame } from '../helpers/ws-client.ts';
import { WIDE_DEADLINES } from '../../bench/conversations/player.ts';
import { openDatabase } from '../../src/store/sqlite.ts';
import { createSqliteCatalog } from '../../src/catalog/sqlite-catalog.ts';
import { seedCatalogIfEmpty } from '../../src/catalog/seed.ts';
import { runImport } from '../../src/catalog/import-cli.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const MAL_CSV = resolve(ROOT, '../shared/data/mal_top_manga.csv');

let server: TestServer;
before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'manga-assist-spinoffs-'));
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

async function chat(customer?: string, ageVerified = false): Promise<ChatClient> {
  const token = customer ? await server.app.signToken({ sub: customer, tier: 'member', name: customer, age_verified: ageVerified }) : undefined;
  return connectChat(server.wsUrl, token ? { token } : {});
}

function carded(frames: Frame[]): string[] {
  return [...new Set(frames.filter((f) => f.type === 'products').flatMap((f) => (f.items as { seriesId: string }[]).map((c) => c.seriesId)))];
}

async function turns(c: ChatClient, ...texts: string[]): Promise<Frame[]> {
  let last: Frame[] = [];
  for (const t of texts) last = await c.ask(t);
  return last;
}

test('with a series in play or named, its spin-offs and sequels from the catalog, en and ja (verified 18+)', async () => {
  const c = await chat('cust-1002', true);
  try {
    const en = await turns(c, 'tell me about Gantz', 'is there a spin-off?');
    assert.match(replyText(en), /^We carry 2 spin-offs and sequels of Gantz:/);
    assert.match(replyText(en), /Gantz:G[^\n]*complete in 3 volumes/);
    assert.deepEqual(carded(en).sort(), ['gantz-e', 'gantz-g']);
    const named = await c.ask('does Freezing have any spin-offs?');
    assert.match(replyText(named), /spin-offs and sequels of Freezing/);
    assert.ok(carded(named).length > 0 && !carded(named).includes('freezing'), String(carded(named)));
  } finally {
    await c.close();
  }
  const ja = await chat('cust-1002', true);
  try {
    const sequel = await turns(ja, 'ガンツについて教えて', '続編はある？');
    assert.match(replyText(sequel), /^当店で取り扱っている『ガンツ』のスピンオフ・続編は2作品です/);
    assert.deepEqual(carded(sequel).sort(), ['gantz-e', 'gantz-g']);
  } finally {
    await ja.close();
  }
});

test('an 18+ spin-off is never named to an unverified customer; none is said plainly', async () => {
  const c = await chat('cust-1003', false);
  try {
    const adult = await turns(c, 'tell me about Gantz', 'is there a sequel?');
    assert.doesNotMatch(replyText(adult), /Gantz:[GE]/);
    assert.deepEqual(carded(adult), []);
    const naruto = await turns(c, 'tell me about Naruto', 'what about the spin-off?');
    assert.match(replyText(naruto), /^We carry one spin-off or sequel of Naruto:/);
    assert.ok(carded(naruto).length === 1 && carded(naruto)[0] !== 'naruto', String(carded(naruto)));
    const none = await turns(c, 'ベルセルクについて教えて', '外伝は？');
    assert.match(replyText(none), /^当店では『ベルセルク』のスピンオフ・続編は取り扱っておりません。/);
    assert.deepEqual(carded(none), []);
  } finally {
    await c.close();
  }
  const guest = await chat();
  try {
    const g = await guest.ask('does Gantz have any spin-offs?');
    assert.doesNotMatch(replyText(g), /Gantz:[GE]/);
    assert.deepEqual(carded(g), []);
  } finally {
    await guest.close();
  }
});
