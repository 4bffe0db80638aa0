// Brute-force cosine index: unit vectors stored dimension-major (one contiguous column of all
// documents per dimension), top-k by a min-heap.
//
// Hand-written because exact search over ~16k x 512 floats needs no native addon and supports
// in-place replacement; an ANN library would only pay off at hundreds of thousands of documents.
// Dimension-major storage is what makes it fast: the built-in hashing embedder gives sparse
// queries (a few dozen non-zero dimensions of 512), so a search only streams those columns
// (each one contiguous) instead of every document's whole vector — about 10x less memory
// traffic at 15k documents, with exactly the same scores. Dense queries from a real model cost
// the same as a row-major scan.

/** Exact nearest-neighbour search by dot product over unit vectors, with replace-by-id. */
export class VectorIndex {
  readonly dimensions: number;
  /** Column d holds every document's d-th component at [d * capacity, d * capacity + size). */
  #data: Float32Array;
  #capacity: number;
  #ids: string[] = [];
  #slots = new Map<string, number>();
  #scores = new Float64Array(0);

  /** Creates an empty index for vectors of `dimensions` floats. */
  constructor(dimensions: number, initialCapacity = 1024) {
    this.dimensions = dimensions;
    this.#capacity = Math.max(1, initialCapacity);
    this.#data = new Float32Array(dimensions * this.#capacity);
  }

  /** Adds the vector for `id`, or overwrites it in place when `id` is already present. */
  set(id: string, vector: Float32Array): void {
    if (vector.length !== this.dimensions) throw new RangeError(`vector has ${vector.length} dims, index has ${this.dimensions}`);
    let slot = this.#slots.get(id);
    if (slot === undefined) {
      slot = this.#ids.length;
      if (slot >= this.#capacity) this.#grow();
      this.#ids.push(id);
      this.#slots.set(id, slot);
    }
    const cap = this.#capacity;
    for (let d = 0; d < this.dimensions; d++) this.#data[d * cap + slot] = vector[d];
  }

  /** Doubles the capacity of every column: amortised O(1) per added vector. */
  #grow(): void {
    const oldCap = this.#capacity;
    const cap = oldCap * 2;
    const grown = new Float32Array(this.dimensions * cap);
    for (let d = 0; d < this.dimensions; d++) grown.set(this.#data.subarray(d * oldCap, d * oldCap + this.#ids.length), d * cap);
    this.#data = grown;
    this.#capacity = cap;
  }

  /** Removes `id` by moving the last vector into its slot. */
  delete(id: string): boolean {
    const slot = this.#slots.get(id);
    if (slot === undefined) return false;
    const last = this.#ids.length - 1;
    if (slot !== last) {
      const lastId = this.#ids[last];
      const cap = this.#capacity;
      for (let d = 0; d < this.dimensions; d++) this.#data[d * cap + slot] = this.#data[d * cap + last];
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
    const data = this.#data;
    const cap = this.#capacity;
    const n = this.#ids.length;
    if (k <= 0 || n === 0) return [];
    if (this.#scores.length < n) this.#scores = new Float64Array(cap);
    const scores = this.#scores;
    scores.fill(0, 0, n);
    // Only the query's non-zero dimensions contribute: stream those columns.
    for (let d = 0; d < this.dimensions; d++) {
      const q = query[d];
      if (q === 0) continue;
      const base = d * cap;
      for (let s = 0; s < n; s++) scores[s] += q * data[base + s];
    }
    // Min-heap of the best k so far: the root is the weakest, replaced when beaten.
    const heapScore = new Float64Array(k);
    const heapSlot = new Int32Array(k);
    let size = 0;
    for (let s = 0; s < n; s++) {
      const dot = scores[s];
      if (size === k && dot <= heapScore[0]) continue;
      if (filter && !filter(this.#ids[s])) continue;
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
      } else {
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
