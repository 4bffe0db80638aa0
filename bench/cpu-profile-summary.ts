// Summarises a V8 CPU profile (`node --cpu-prof`): self time per function, top N, as Markdown.
//
//   node bench/cpu-profile-summary.ts <file.cpuprofile> [--top 25]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '25' } }, allowPositionals: true });
const profile = JSON.parse(readFileSync(positionals[0], 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// Self time: each sample's delta is charged to the node it landed in.
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map<string, number>();
for (const [id, us] of self) {
  const f = byId.get(id)!.callFrame;
  const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src)\//, '$1/')}:${f.lineNumber + 1}` : '(native)';
  const key = `${f.functionName || '(anonymous)'} ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const byArea = new Map<string, number>();
for (const [key, us] of byFunction) {
  const area = /src\/([a-z-]+)\//.exec(key)?.[1] ?? (/node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(key)?.[1] ?? (key.startsWith('(') ? key.split(' ')[0] : 'node internals'));
  byArea.set(area, (byArea.get(area) ?? 0) + us);
}
console.log(`profile: ${(total / 1e6).toFixed(2)} s sampled\n\n| area | self % |\n|---|---|`);
for (const [a, us] of [...byArea].sort((x, y) => y[1] - x[1]).slice(0, 15)) console.log(`| ${a} | ${((100 * us) / total).toFixed(1)} |`);
console.log('\n| function | self % |\n|---|---|');
for (const [k, us] of [...byFunction].sort((x, y) => y[1] - x[1]).slice(0, Number(values.top))) console.log(`| \`${k}\` | ${((100 * us) / total).toFixed(1)} |`);
