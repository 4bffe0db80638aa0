// Per-segment latency of one message through the real pipeline (embedded defaults, `local`
// engine), in-process so the figures are the service's own work without network noise.
//
//   node bench/pipeline-latency.ts [--messages 3000] [--import ../shared/data/mal_top_manga.csv]
//
// Prints p50/p99/max per segment (the `end` frame's timings) as a Markdown table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createApp } from '../src/app.ts';
import { runImport } from '../src/catalog/import-cli.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '3000' }, import: { type: 'string' } } });
const total = Number(values.messages);

const MESSAGES = [
  'Do you have One Piece?', '鬼滅の刃はありますか？', 'Who wrote Vagabond?', 'ベルセルクってどんな話？',
  'Recommend me something like Berserk', 'おすすめの恋愛漫画を教えて', 'How much is Jujutsu Kaisen volume 3?',
  '呪術廻戦の3巻はいくらですか', 'Where is my order?', '注文した本はいつ届きますか', 'What is your return policy?',
  '送料はいくらですか', 'Any sales right now?', 'キャンペーンやってますか', 'hi there!', 'こんにちは',
  'I want to talk to a human', 'オペレーターと話したい', "What's the weather tomorrow?", 'Is Chainsaw Man in stock?',
  'how much is vol 2 of it?', 'フリーレンの最新刊は？', 'manga about a high school volleyball team', 'Can I pay at a konbini?',
];

const dataDir = mkdtempSync(join(tmpdir(), 'manga-bench-'));
try {
  if (values.import) await runImport([values.import], dataDir, () => {});
  const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  const token = await app.signToken({ sub: 'cust-1002', tier: 'prime', age_verified: true });
  void token;
  const customer = { kind: 'prime' as const, customerId: 'cust-1002', ageConfirmed: true };
  const samples = new Map<string, number[]>();
  const signal = new AbortController().signal;
  const warmup = 200;
  for (let i = 0; i < total + warmup; i++) {
    const sessionId = `bench-${Math.floor(i / 6)}`;
    const text = MESSAGES[i % MESSAGES.length];
    for await (const frame of app.pipeline.reply({ sessionId, messageId: `m-${i}`, text, customer, signal })) {
      if (frame.type !== 'end' || i < warmup) continue;
      for (const [k, v] of Object.entries(frame.timings)) {
        if (!samples.has(k)) samples.set(k, []);
        samples.get(k)!.push(v);
      }
    }
  }
  await app.close();
  const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  console.log(`messages: ${total} (after ${warmup} warm-up), catalog: ${values.import ? `shipped + ${values.import}` : 'shipped'}`);
  console.log('| segment | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|');
  const order = ['languageMs', 'understandMs', 'memoryMs', 'retrievalMs', 'entitiesMs', 'referencesMs', 'catalogMs', 'productsMs', 'recommendationsMs', 'ordersMs', 'promotionsMs', 'reviewsMs', 'gatherMs', 'generateFirstTokenMs', 'generateMs', 'firstTokenMs', 'totalMs'];
  for (const k of [...order, ...[...samples.keys()].filter((k) => !order.includes(k))]) {
    const xs = samples.get(k);
    if (!xs) continue;
    xs.sort((a, b) => a - b);
    console.log(`| ${k.replace(/Ms$/, '')} | ${xs.length} | ${pct(xs, 50).toFixed(3)} | ${pct(xs, 99).toFixed(3)} | ${xs.at(-1)!.toFixed(3)} |`);
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
