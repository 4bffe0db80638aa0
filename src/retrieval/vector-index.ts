// Brute-force cosine index: unit vectors in one contiguous Float32Array, top-k by a min-heap.
//
// Hand-written because exact search over ~16k x 512 floats is a few milliseconds in plain JS,
// needs no native addon, and supports in-place replacement; an ANN library would only pay off
// at hundreds of thousands of documents.

/** Exact nearest-neighbour search by dot product over unit vectors, with replace-by-id. */
export class VectorIndex {
  readonly dimensions: number;
  #data: Float32Array;
  #ids: string[] = [];
  #slots = new Map<string, number>();

  /** Creates an empty index for vectors of `dimensions` floats. */
  constructor(dimensions: number, initialCapacity = 1024) {
    this.dimensions = dimensions;
    this.#data = new Float32Array(dimensions * Math.max(1, initialCapacity));
  }

  /** Adds the vector for `id`, or overwrites it in place when `id` is already present. */
  set(id: string, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new RangeError(`vector has ${vector.length} dims, index has ${this.dimensions}`);
    let slot = this.#slots.get(id);
    if (slot === undefined) {
      slot = this.#ids.length;
      if ((slot + 1) * this.dimensions > this.#data.length) {
        // Doubling keeps the store contiguous (one scan, cache-friendly) at amortised O(1) cost.
        const grown = new Float32Array(this.#data.length * 2);
        grown.set(this.#data);
        this.#data = grown;
      }
      this.#ids.push(id);
      this.#slots.set(id, slot);
    }
    this.#data.set(vector, slot * this.dimensions);
  }

  /** Removes `id` by moving the last vector into its slot. */
  delete(id: string): boolean {
    const slot = this.#slots.get(id);
    if (slot === undefined) return false;
    const last = this.#ids.length - 1;
    if (slot !== last) {
      const lastId = this.#ids[last];
      this.#data.copyWithin(slot * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.#ids[slot] = lastId;
      this.#slots.set(lastId, slot);
    }
    this.#ids.pop();
    this.#slots.delete(id);
    return true;
  }

  /** Number of vectors. */
  size(): number {
    return this.#ids.length;
  }

  /** The `k` ids with the highest dot product with `query`, best first; `filter` skips ids. */
  search(query: Float32Array, k: number, filter?: (id: string) => boolean): { id: string; score: number }[] {
    const dims = this.dimensions;
    const data = this.#data;
    const n = this.#ids.length;
    if (k <= 0 || n === 0) return [];
    // Min-heap of the best k so far: the root is the weakest, replaced when beaten.
    const heapScore = new Float64Array(k);
    const heapSlot = new Int32Array(k);
    let size = 0;
    for (let s = 0; s < n; s++) {
      if (filter && !filter(this.#ids[s])) continue;
      let dot = 0;
      const base = s * dims;
      for (let d = 0; d < dims; d++) dot += data[base + d] * query[d];
      if (size < k) {
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (heapScore[p] <= dot) break;
          heapScore[i] = heapScore[p];
          heapSlot[i] = heapSlot[p];
          i = p;
        }
        heapScore[i] = dot;
        heapSlot[i] = s;
      } else if (dot > heapScore[0]) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= size) break;
          const r = l + 1;
          const c = r < size && heapScore[r] < heapScore[l] ? r : l;
          if (heapScore[c] >= dot) break;
          heapScore[i] = heapScore[c];
          heapSlot[i] = heapSlot[c];
          i = c;
        }
        heapScore[i] = dot;
        heapSlot[i] = s;
      }
    }
    const out: { id: string; score: number }[] = [];
    for (let i = 0; i < size; i++) out.push({ id: this.#ids[heapSlot[i]], score: heapScore[i] });
    return out.sort((a, b) => b.score - a.score);
  }
}
