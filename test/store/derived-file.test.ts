// Derived indexes kept in DATA_DIR (src/store/derived-file.ts): served only when built from the
// same inputs and code and intact; otherwise built again, as without the file, and rewritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrBuild, sourcesOf, type DerivedCodec, type DerivedEvent } from '../../src/store/derived-file.ts';

const json: DerivedCodec<string[]> = {
  encode: (v) => Buffer.from(JSON.stringify(v)),
  decode: (b) => JSON.parse(Buffer.from(b).toString('utf8')) as string[],
};

/** loadOrBuild over `inputs` in `dir`, counting builds and recording the outcome. */
function open(dir: string, inputs: string[], codec: DerivedCodec<string[]> = json) {
  const events: DerivedEvent[] = [];
  let builds = 0;
  const value = loadOrBuild({ dir, name: 'words.bin', key: ['words v1', ...inputs], build: () => (builds++, inputs.map((w) => w.toUpperCase())), codec, onEvent: (e) => events.push(e) });
  return { value, builds, outcome: events[0].outcome, event: events[0] };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'derived-'));
}

test('built once, then opened from the file with the same value', () => {
  const dir = tempDir();
  try {
    const first = open(dir, ['kuroshitsuji', 'gantz']);
    assert.equal(first.outcome, 'built');
    assert.equal(first.builds, 1);
    const second = open(dir, ['kuroshitsuji', 'gantz']);
    assert.equal(second.outcome, 'loaded');
    assert.equal(second.builds, 0);
    assert.deepEqual(second.value, first.value);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('changed inputs: the stored index is stale, built from the new inputs and rewritten', () => {
  const dir = tempDir();
  try {
    open(dir, ['kuroshitsuji', 'gantz']);
    const changed = open(dir, ['kuroshitsuji', 'gantz', 'berserk']);
    assert.equal(changed.outcome, 'stale');
    assert.deepEqual(changed.value, ['KUROSHITSUJI', 'GANTZ', 'BERSERK']);
    assert.equal(open(dir, ['kuroshitsuji', 'gantz', 'berserk']).outcome, 'loaded');
    // Parts are told apart by their lengths: the same characters cut differently are other inputs.
    assert.equal(open(dir, ['kuroshitsujigantz', 'berserk']).outcome, 'stale');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a flipped byte, a truncated file or one of another format is corrupt: never served, rebuilt', () => {
  const dir = tempDir();
  const file = join(dir, 'words.bin');
  try {
    open(dir, ['kuroshitsuji']);
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] ^= 0x20; // "kurOshitsuji": the payload's hash no longer matches
    writeFileSync(file, bytes);
    const flipped = open(dir, ['kuroshitsuji']);
    assert.equal(flipped.outcome, 'corrupt');
    assert.deepEqual(flipped.value, ['KUROSHITSUJI']);
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'loaded', 'rewritten whole');

    const header = readFileSync(file);
    header[8 + 32] ^= 0x01; // the payload's CRC-32 itself
    writeFileSync(file, header);
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'corrupt');
    const padded = readFileSync(file);
    padded[8 + 32 + 5] ^= 0x01; // the header's padding, written as zeros
    writeFileSync(file, padded);
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'corrupt');
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'loaded');

    truncateSync(file, readFileSync(file).length - 1);
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'corrupt');
    writeFileSync(file, 'not an index');
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'corrupt');
    writeFileSync(file, '');
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'corrupt');
    assert.equal(open(dir, ['kuroshitsuji']).outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bytes the codec refuses (intact file, wrong content) are corrupt and rebuilt', () => {
  const dir = tempDir();
  try {
    open(dir, ['gantz']);
    const refusing: DerivedCodec<string[]> = { encode: json.encode, decode: () => { throw new Error('bad shape'); } };
    const r = open(dir, ['gantz'], refusing);
    assert.equal(r.outcome, 'corrupt');
    assert.deepEqual(r.value, ['GANTZ']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory that cannot be written: the index is built and served, the failure reported', () => {
  const dir = tempDir();
  try {
    // A file where the directory should be: no user can create files under it, root included.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    const r = open(join(blocked, 'derived'), ['gantz']);
    assert.equal(r.outcome, 'built');
    assert.deepEqual(r.value, ['GANTZ']);
    assert.ok(r.event.writeError, 'the failed write is reported');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the code version: a module the builder imports, directly or not, changes it; another module does not', () => {
  const dir = tempDir();
  try {
    writeFileSync(join(dir, 'builder.ts'), "import { b } from './b.ts';\nexport const build = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import type { C } from './c.ts';\nexport const b = 1;\n");
    writeFileSync(join(dir, 'c.ts'), 'export type C = number;\n');
    writeFileSync(join(dir, 'other.ts'), 'export const other = 1;\n');
    const before = sourcesOf(join(dir, 'builder.ts'));
    writeFileSync(join(dir, 'other.ts'), 'export const other = 2;\n');
    assert.equal(sourcesOf(join(dir, 'builder.ts')), before);
    writeFileSync(join(dir, 'c.ts'), 'export type C = string;\n');
    assert.notEqual(sourcesOf(join(dir, 'builder.ts')), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
