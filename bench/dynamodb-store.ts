/**
 * Latency of the DynamoDB stores on the chat hot path, against dynalite (a local engine: its
 * numbers are this machine's CPU and one LevelDB in memory, not DynamoDB's network round trips,
 * which are ~2-10 ms in-region). One chat turn is the pipeline's store work for a message:
 * claim the id, load the conversation, append the turn (user + assistant with product cards),
 * release the claim. `--concurrency` turns run at once, on --sessions sessions.
 *
 *   node bench/dynamodb-store.ts [--turns 2000] [--sessions 200] [--concurrency 1,8]
 *
 * Also measured: an append by a process that has not read the conversation (another node: one
 * GetItem more), and the SQLite memory on the same turns for scale.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynalite } from '../test/helpers/dynalite.ts';
import { createDynamoMemory, MEMORY_TABLE } from '../src/memory/dynamodb-memory.ts';
import { createDynamoClaims, CLAIMS_TABLE } from '../src/memory/dynamodb-claims.ts';
import { openSqliteMemory } from '../src/memory/sqlite-memory.ts';
import type { ConversationMemory, StoredMessage } from '../src/memory/types.ts';
import type { MessageClaims } from '../src/memory/message-claims.ts';
import type { ProductCard } from '../src/chat/protocol.ts';

const { values: args } = parseArgs({
  options: {
    turns: { type: 'string', default: '2000' },
    sessions: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,8' },
  },
});
const turns = Number(args.turns);
const sessions = Number(args.sessions);

const cards: ProductCard[] = Array.from({ length: 5 }, (_, i) => ({
  id: `one-piece-v${String(100 + i).padStart(3, '0')}`, seriesId: 'one-piece', title: 'One Piece', titleJa: 'ワンピース', authors: ['Eiichiro Oda'],
  volume: 100 + i, priceJpy: 528, inStock: true, format: 'tankobon', releaseDate: '2021-12-03',
}));
const turnOf = (id: string): StoredMessage[] => [
  { role: 'user', text: 'ワンピースの最新巻はいくらですか？', messageId: id, intent: 'price_availability', language: 'ja', at: Date.now() },
  { role: 'assistant', text: 'ワンピース第107巻は528円で、在庫があります。'.repeat(6), messageId: id, intent: 'price_availability', language: 'ja', seriesIds: ['one-piece'], productIds: cards.map((c) => c.id), cards, about: { focus: 'one-piece', volume: 107 }, at: Date.now() },
];

const ms = (a: number[], p: number) => {
  const s = [...a].sort((x, y) => x - y);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * p))] * 100) / 100;
};
const summary = (a: number[]) => ({ p50Ms: ms(a, 0.5), p99Ms: ms(a, 0.99) });

async function run(name: string, memory: ConversationMemory, claims: MessageClaims | undefined, concurrency: number, coldAppends?: ConversationMemory): Promise<void> {
  const steps = { claim: [] as number[], load: [] as number[], append: [] as number[], release: [] as number[], coldAppend: [] as number[] };
  const turn: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < turns; i = next++) {
      const session = `${name}-c${concurrency}-s${i % sessions}`;
      const id = `m${i}`;
      const t0 = performance.now();
      if (claims && !(await claims.claim(session, id, 'bench', 30_000)).won) throw new Error(`lost claim ${id}`);
      const t1 = performance.now();
      await memory.load(session);
      const t2 = performance.now();
      await memory.append(session, turnOf(id));
      const t3 = performance.now();
      if (claims) await claims.release(session, id, 'bench');
      const t4 = performance.now();
      turn.push(t4 - t0);
      if (claims) steps.claim.push(t1 - t0);
      steps.load.push(t2 - t1);
      steps.append.push(t3 - t2);
      if (claims) steps.release.push(t4 - t3);
      // Every tenth turn, another node appends to the same conversation without having read it.
      if (coldAppends && i % 10 === 0) {
        const t5 = performance.now();
        await coldAppends.append(session, [{ role: 'user', text: 'other node', messageId: `x${i}`, at: Date.now() }]);
        steps.coldAppend.push(performance.now() - t5);
      }
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({
    store: name,
    concurrency,
    turns,
    turnsPerSecond: Math.round(turns / seconds),
    turn: summary(turn),
    ...Object.fromEntries(Object.entries(steps).filter(([, a]) => a.length > 0).map(([k, a]) => [k, summary(a)])),
  }));
}

const dynamo = await startDynalite();
const dir = mkdtempSync(join(tmpdir(), 'dynamodb-bench-'));
try {
  const memoryTable = dynamo.table(MEMORY_TABLE, { name: 'bench-conversations' });
  const claimsTable = dynamo.table(CLAIMS_TABLE, { name: 'bench-message-claims' });
  const memory = createDynamoMemory(memoryTable, { idleTtlMs: 30 * 60_000 });
  const otherNode = createDynamoMemory(memoryTable, { idleTtlMs: 30 * 60_000, knownSessions: 1 });
  const claims = createDynamoClaims(claimsTable);
  const sqlite = openSqliteMemory(join(dir, 'memory.db'), { idleTtlMs: 30 * 60_000 });
  for (const c of String(args.concurrency).split(',').map(Number)) {
    await run('dynamodb', memory, claims, c, otherNode);
    await run('sqlite', sqlite, undefined, c);
  }
  memory.close();
  otherNode.close();
  claims.close();
  sqlite.close();
} finally {
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
}
