// Query time of the in-process vector index at the catalog's scale (16,000 documents x 512
// dimensions, top 20), moved here from a unit test: speed is measured, not asserted.
//   node bench/vector-index.ts [docs=16000] [dims=512] [queries=50]
import { VectorIndex } from '../src/retrieval/vector-index.ts';

const [docs, dims, queries] = [Number(process.argv[2] ?? 16_000), Number(process.argv[3] ?? 512), Number(process.argv[4] ?? 50)];
let s = 11;
const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
const unit = () => {
  const v = new Float32Array(dims);
  let n = 0;
  for (let i = 0; i < dims; i++) n += (v[i] = rand()) ** 2;
  for (let i = 0; i < dims; i++) v[i] /= Math.sqrt(n);
  return v;
};
const idx = new VectorIndex(dims);
for (let i = 0; i < docs; i++) idx.set(`d${i}`, unit());
idx.search(unit(), 20);
const times: number[] = [];
for (let i = 0; i < queries; i++) {
  const q = unit();
  const t = performance.now();
  idx.search(q, 20);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ docs, dims, queries, p50Ms: +times[Math.floor(queries / 2)].toFixed(2), p99Ms: +times[Math.min(queries - 1, Math.floor(queries * 0.99))].toFixed(2) }));
