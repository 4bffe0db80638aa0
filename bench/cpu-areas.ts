// Where a message's CPU goes, by area of the service, from a V8 CPU profile (`node --cpu-prof`).
//
//   node bench/cpu-areas.ts <file.cpuprofile> [--messages N] [--cpu-ms-per-message X] [--from-us T --to-us T] [--top 15]
//
// Each sample is charged to the innermost frame on its stack that belongs to an area (the
// service's folders and the libraries it calls): native work (JSON.stringify, a socket write, a
// SQLite step) counts for the JS code that asked for it, not for "native". With --messages, the
// times are divided by the messages answered in the profiled span; --from-us/--to-us keep only
// samples inside a window of CLOCK_MONOTONIC microseconds (`process.hrtime.bigint() / 1000n` in
// any process on the machine: the profile's clock), so start-up and warm-up are left out.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
/** The V8 `.cpuprofile` format. */
export interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/**
 * The areas of the issue's accounting, matched on a frame's URL (first match wins). `parse` is
 * frames coming in (ws receiver, JSON.parse and zod of client frames); `frames` is frames going
 * out (serialisation, ws sender, socket writes).
 */
const AREAS: [string, RegExp][] = [
  ['parse', /node_modules\/(zod|ws\/lib\/(receiver|validation|buffer-util))\/?|src\/chat\/protocol\.ts/],
  ['frames', /node_modules\/ws\/lib\/(sender|websocket)\.js|src\/http\/ws-chat\.ts|src\/http\/ws-frames\.ts|src\/http\/http-chat\.ts/],
  ['admission', /src\/admission\//],
  ['understanding', /src\/understanding\//],
  ['memory', /src\/memory\//],
  ['retrieval', /src\/retrieval\//],
  ['catalog', /src\/catalog\/|src\/chat\/(product-cards|title-query)\.ts/],
  ['other data (recs, promotions, reviews, orders, customers)', /src\/(recommendations|promotions|reviews|orders|customers)\//],
  ['composition (answer engine, prompt, routing, sim)', /src\/llm\//],
  ['guardrails', /src\/guardrails\//],
  ['caching', /src\/cache\/|node_modules\/lru-cache\//],
  ['resilience (guards, breakers, deadlines)', /src\/resilience\/|node_modules\/cockatiel\/|src\/chat\/dependency-call\.ts/],
  ['metrics', /node_modules\/prom-client\/|src\/observability\/(metrics|service-metrics|history|alarms|alarm-table|ops-summary|store-throttle)\.ts/],
  ['tracing', /node_modules\/@opentelemetry\/|src\/observability\/tracing\.ts/],
  ['logging', /node_modules\/(pino|pino-std-serializers|sonic-boom|fast-redact|thread-stream)\/|src\/observability\/logging\.ts/],
  ['escalation', /src\/escalation\//],
  ['pipeline (orchestration, stopwatch)', /src\/chat\//],
  ['http server (fastify)', /node_modules\/(fastify|@fastify|find-my-way|avvio|light-my-request)\/|src\/http\//],
  ['store', /src\/store\//],
  ['other service code', /src\//],
];

/** The area a frame belongs to, or undefined for runtime internals and native code. */
export function areaOf(url: string): string | undefined {
  if (!url) return undefined;
  for (const [name, re] of AREAS) if (re.test(url)) return name;
  if (/node_modules\//.test(url)) return 'other libraries';
  return undefined;
}

/** Time per area (µs) and per hottest self function, over the samples in [fromUs, toUs). */
export function accountAreas(profile: CpuProfile, window: { fromUs?: number; toUs?: number } = {}): { totalUs: number; idleUs: number; areas: Map<string, number>; functions: Map<string, number>; areaFunctions: Map<string, Map<string, number>> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Memoised: the area charged for a sample that lands on this node.
  const charged = new Map<number, string>();
  const areaFor = (id: number): string => {
    const hit = charged.get(id);
    if (hit) return hit;
    const leaf = byId.get(id)!.callFrame;
    let area: string | undefined;
    if (leaf.functionName === '(garbage collector)') area = 'garbage collection';
    else if (leaf.functionName === '(program)') area = 'runtime (program, unattributed)';
    else if (leaf.functionName === '(idle)') area = '(idle)';
    for (let cur: number | undefined = id; !area && cur !== undefined; cur = parent.get(cur)) area = areaOf(byId.get(cur)!.callFrame.url);
    // The chat endpoints both read client frames (JSON.parse) and write reply frames.
    if (area === 'frames' && leaf.functionName === 'parse' && !leaf.url) area = 'parse';
    area ??= 'runtime (event loop, timers, microtasks: unattributed)';
    charged.set(id, area);
    return area;
  };
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  const areaFunctions = new Map<string, Map<string, number>>();
  let t = profile.startTime;
  let totalUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if ((window.fromUs !== undefined && t < window.fromUs) || (window.toUs !== undefined && t >= window.toUs)) continue;
    const id = profile.samples[i];
    const area = areaFor(id);
    if (area === '(idle)') {
      idleUs += dt;
      continue;
    }
    totalUs += dt;
    areas.set(area, (areas.get(area) ?? 0) + dt);
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}` : '(native)'}`;
    functions.set(key, (functions.get(key) ?? 0) + dt);
    let inArea = areaFunctions.get(area);
    if (!inArea) areaFunctions.set(area, (inArea = new Map()));
    inArea.set(key, (inArea.get(key) ?? 0) + dt);
  }
  return { totalUs, idleUs, areas, functions, areaFunctions };
}

/**
 * The accounting as Markdown: share and µs per message by area, then the hottest functions by
 * self time. V8 samples on wall-clock ticks, so on a machine where the service waits for a core
 * the sampled time overstates its CPU; with `cpuMsPerMessage` (measured from /proc) each area's
 * µs per message is its share of that figure instead of sampled time / messages.
 */
export function formatAreas(r: ReturnType<typeof accountAreas>, messages?: number, top = 15, cpuMsPerMessage?: number): string {
  const lines: string[] = [];
  const perMsg = (us: number) => (cpuMsPerMessage ? ((us / r.totalUs) * cpuMsPerMessage * 1000).toFixed(0) : messages ? (us / messages).toFixed(1) : '');
  lines.push(`sampled ${(r.totalUs / 1e6).toFixed(2)} s busy (idle ${(r.idleUs / 1e6).toFixed(2)} s left out)${messages ? `, ${messages} messages answered: ${(r.totalUs / messages / 1000).toFixed(3)} ms sampled per message` : ''}${cpuMsPerMessage ? `; µs per message below = share × ${cpuMsPerMessage.toFixed(2)} ms of CPU per message measured from /proc` : ''}`, '');
  lines.push(`| area | share % |${messages ? ' µs per message |' : ''}`, `|---|---|${messages ? '---|' : ''}`);
  for (const [a, us] of [...r.areas].sort((x, y) => y[1] - x[1])) lines.push(`| ${a} | ${((100 * us) / r.totalUs).toFixed(1)} |${messages ? ` ${perMsg(us)} |` : ''}`);
  lines.push('', 'Inside each area, its hottest leaf functions (self time, % of all samples):', '');
  for (const [a] of [...r.areas].sort((x, y) => y[1] - x[1]).slice(0, 12)) {
    const fns = [...(r.areaFunctions.get(a) ?? [])].sort((x, y) => y[1] - x[1]).slice(0, 4);
    lines.push(`- **${a}**: ${fns.map(([k, us]) => `\`${k}\` ${((100 * us) / r.totalUs).toFixed(1)}`).join('; ')}`);
  }
  lines.push('', '| function (self time) | share % |', '|---|---|');
  for (const [k, us] of [...r.functions].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`| \`${k}\` | ${((100 * us) / r.totalUs).toFixed(1)} |`);
  return lines.join('\n');
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ options: { messages: { type: 'string' }, 'cpu-ms-per-message': { type: 'string' }, 'from-us': { type: 'string' }, 'to-us': { type: 'string' }, top: { type: 'string', default: '15' } }, allowPositionals: true });
  if (!positionals[0]) {
    console.error('usage: node bench/cpu-areas.ts <file.cpuprofile> [--messages N] [--from-us T --to-us T] [--top 15]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as CpuProfile;
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  console.log(formatAreas(accountAreas(profile, { fromUs: num(values['from-us']), toUs: num(values['to-us']) }), num(values.messages), Number(values.top), num(values['cpu-ms-per-message'])));
}
