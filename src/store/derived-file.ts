// Derived indexes kept in DATA_DIR between starts: a file per index, keyed by a hash of
// everything the index is built from (its inputs and the source of the code that builds it), so
// a restart opens what the last start built instead of building it again (issue 16: cold start).
//
// The file is only a shortcut. One whose key differs (new inputs, new builder code), or that is
// torn, truncated or altered (its payload's length and CRC-32 are checked before it is decoded), is
// never served: the index is built from its inputs, as without the file, and the file rewritten.
//
// The payload check is a CRC-32, not a SHA-256: it guards against a torn write or a flipped byte of
// a cache file in our own DATA_DIR, not against an adversary (who could rewrite the header too),
// and hashing ~10 MB of payloads with SHA-256 cost ~50-115 ms of every start. The key, which
// decides whether the file is current, is still a SHA-256 of the inputs and builder code.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** First bytes of every derived-index file (format version 2: CRC-32 of the payload; a version 1 file reads as corrupt and is rebuilt). */
const MAGIC = Buffer.from('MADERIV2');
/** Magic, the key's hash, the payload's CRC-32 (4 bytes, padded to 8), the payload's length (bytes). */
const HEADER_BYTES = MAGIC.length + 32 + 8 + 8;

/** How a derived index is turned into bytes and back. */
export interface DerivedCodec<T> {
  encode(value: T): Uint8Array;
  /** Throws (or returns undefined) when the bytes are not a valid index: it is then built afresh. */
  decode(bytes: Uint8Array): T | undefined;
}

/** What happened to a derived index at open, for logs, tests and the start-up benchmark. */
export interface DerivedEvent {
  name: string;
  /** `loaded`: the file was current; `built`: there was none; `stale`: its key differed; `corrupt`: it failed its checks. */
  outcome: 'loaded' | 'built' | 'stale' | 'corrupt';
  ms: number;
  /** A failed write of the rebuilt file (read-only directory, full disk): the next start builds again. */
  writeError?: Error;
}

/** Options of {@link loadOrBuild}. */
export interface LoadOrBuildOptions<T> {
  /** Directory of the files (created when missing). */
  dir: string;
  /** File name of this index (one file per index). */
  name: string;
  /** The parts the index is a pure function of: inputs, options and builder code. */
  key: readonly (string | Uint8Array)[];
  build(): T;
  codec: DerivedCodec<T>;
  onEvent?: (event: DerivedEvent) => void;
}

/** SHA-256 of the parts, each length-prefixed so ['ab', 'c'] and ['a', 'bc'] differ. */
export function keyOf(parts: readonly (string | Uint8Array)[]): Buffer {
  const h = createHash('sha256');
  const len = Buffer.alloc(8);
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    len.writeBigUInt64LE(BigInt(bytes.length));
    h.update(len);
    h.update(bytes);
  }
  return h.digest();
}

/**
 * The source text of `entry` and of every module it imports, directly or not (relative imports,
 * type-only ones too): the version of a builder's code. An edit anywhere else does not count.
 */
export function sourcesOf(entry: string): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const root = dirname(resolve(entry));
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // Named relative to the entry: the same code in another checkout is the same version.
    out.push(relative(root, file), text);
    for (const m of text.matchAll(/(?:from|import)\s*'(\.{1,2}\/[^']+\.ts)'/g)) visit(resolve(dirname(file), m[1]));
  };
  visit(resolve(entry));
  return out.join('\u0000');
}

/** Why the file at `path` cannot be served for `key`, or its payload. */
function readPayload(path: string, key: Buffer): { payload: Uint8Array } | { outcome: 'built' | 'stale' | 'corrupt' } {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch {
    return { outcome: 'built' };
  }
  if (file.length < HEADER_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) return { outcome: 'corrupt' };
  let at = MAGIC.length;
  const storedKey = file.subarray(at, (at += 32));
  const storedCrc = file.readUInt32LE(at);
  // The padding is written as zeros: anything else is a damaged header.
  if (file.readUInt32LE(at + 4) !== 0) return { outcome: 'corrupt' };
  at += 8;
  const length = Number(file.readBigUInt64LE(at));
  const payload = file.subarray(HEADER_BYTES);
  if (payload.length !== length || crc32(payload) !== storedCrc) return { outcome: 'corrupt' };
  if (!storedKey.equals(key)) return { outcome: 'stale' };
  return { payload };
}

/** Writes the file whole or not at all: a reader never sees half of it. */
export function writeDerived(path: string, key: Buffer, payload: Uint8Array): void {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  key.copy(header, MAGIC.length);
  header.writeUInt32LE(crc32(payload), MAGIC.length + 32);
  header.writeBigUInt64LE(BigInt(payload.length), MAGIC.length + 40);
  // A name of its own per process: sibling workers rebuilding at once do not write into one file.
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([header, payload]));
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The stored value when the file is current and decodes, else why not and what to store under. */
function tryLoad<T>(opts: Omit<LoadOrBuildOptions<T>, 'build'>, started: number): { value: T } | { outcome: DerivedEvent['outcome']; path: string; key: Buffer } {
  const path = join(opts.dir, opts.name);
  // The runtime too: another Node has another V8 (Math.exp in training) and ICU (NFKC, case folding).
  const key = keyOf([process.version, ...opts.key]);
  const found = readPayload(path, key);
  if ('payload' in found) {
    let value: T | undefined;
    try {
      value = opts.codec.decode(found.payload);
    } catch {
      value = undefined;
    }
    if (value !== undefined) {
      opts.onEvent?.({ name: opts.name, outcome: 'loaded', ms: performance.now() - started });
      return { value };
    }
  }
  return { outcome: 'payload' in found ? 'corrupt' : found.outcome, path, key };
}

/** Stores a value just built (a failed write is reported, never thrown: the file is only a shortcut). */
function storeBuilt<T>(opts: Omit<LoadOrBuildOptions<T>, 'build'>, miss: { outcome: DerivedEvent['outcome']; path: string; key: Buffer }, value: T, started: number): void {
  let writeError: Error | undefined;
  try {
    mkdirSync(opts.dir, { recursive: true });
    writeDerived(miss.path, miss.key, opts.codec.encode(value));
  } catch (error) {
    writeError = error as Error;
  }
  opts.onEvent?.({ name: opts.name, outcome: miss.outcome, ms: performance.now() - started, ...(writeError ? { writeError } : {}) });
}

/**
 * The index stored under `name` when it was built from the same `key`, else `build()` (stored
 * for the next start). Building never depends on the file: the answer is the same either way.
 */
export function loadOrBuild<T>(opts: LoadOrBuildOptions<T>): T {
  const started = performance.now();
  const found = tryLoad(opts, started);
  if ('value' in found) return found.value;
  const value = opts.build();
  storeBuilt(opts, found, value, started);
  return value;
}

/** {@link loadOrBuild} for an index whose build is asynchronous (an embedder's promise). */
export async function loadOrBuildAsync<T>(opts: Omit<LoadOrBuildOptions<T>, 'build'> & { build(): Promise<T> }): Promise<T> {
  const started = performance.now();
  const found = tryLoad(opts, started);
  if ('value' in found) return found.value;
  const value = await opts.build();
  storeBuilt(opts, found, value, started);
  return value;
}

/** Typed arrays {@link packArrays} stores as bytes. */
export type PackedArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array | Float32Array;
const PACKED = { Int32Array, Uint32Array, Uint16Array, Uint8Array, Float64Array, Float32Array } as const;

/**
 * A JSON value with typed arrays beside it: a 4-byte length, the JSON (with each array's type and
 * byte length), then each array's bytes at an 8-byte boundary. Decoding makes views, not copies.
 */
export function packArrays(json: unknown, arrays: readonly PackedArray[]): Uint8Array {
  const head = Buffer.from(JSON.stringify({ json, types: arrays.map((a) => a.constructor.name), spans: arrays.map((a) => a.byteLength) }), 'utf8');
  const align = (x: number): number => (x + 7) & ~7;
  let size = align(4 + head.length);
  const at = arrays.map((a) => {
    const here = size;
    size = align(size + a.byteLength);
    return here;
  });
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  arrays.forEach((a, i) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at[i]));
  return out;
}

/** The JSON value and arrays of {@link packArrays}; throws on bytes of another layout. */
export function unpackArrays(bytes: Uint8Array): { json: unknown; arrays: PackedArray[] } {
  // Copied into a buffer of its own: the file's bytes need not be 8-byte aligned.
  const copy = new Uint8Array(bytes);
  const length = new DataView(copy.buffer).getUint32(0, true);
  const head = JSON.parse(Buffer.from(copy.buffer, 4, length).toString('utf8')) as { json: unknown; types: string[]; spans: number[] };
  const align = (x: number): number => (x + 7) & ~7;
  let at = align(4 + length);
  const arrays = head.types.map((name, i) => {
    if (!Object.hasOwn(PACKED, name)) throw new Error(`not a packed array type: ${name}`);
    const Ctor = PACKED[name as keyof typeof PACKED];
    const view = new Ctor(copy.buffer, at, head.spans[i] / Ctor.BYTES_PER_ELEMENT);
    at = align(at + head.spans[i]);
    return view;
  });
  if (at !== copy.length) throw new Error('packed arrays: length mismatch');
  return { json: head.json, arrays };
}
