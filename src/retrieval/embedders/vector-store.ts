/**
 * Document vectors kept on disk (SQLite in DATA_DIR), keyed by a hash of the model's identity and
 * the exact text embedded: a restart, or a sibling worker, finds what a remote model already
 * embedded instead of paying for 15,000 calls again, and a changed text or another model simply
 * misses. Hand-written over node:sqlite because it is two statements.
 */
import { createHash } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';

/** Stored vectors of one model (one identity). */
export interface VectorStore {
  /** The stored vector of `text`, if any. */
  get(text: string): Float32Array | undefined;
  has(text: string): boolean;
  /** Keeps the vectors of these texts (one transaction). */
  put(entries: { text: string; vector: Float32Array }[]): void;
  /** Vectors stored for this identity. */
  count(): number;
}

/**
 * Opens the store of `identity` (provider, model, size, document prefix) in `db`. Vectors of
 * another size than `dimensions` are treated as absent, never returned.
 */
export function createVectorStore(db: DatabaseSync, identity: string, dimensions: number): VectorStore {
  db.exec(`CREATE TABLE IF NOT EXISTS document_vectors (
    identity TEXT NOT NULL,
    key TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (identity, key)
  ) WITHOUT ROWID`);
  const select = db.prepare('SELECT vector FROM document_vectors WHERE identity = ? AND key = ?');
  const exists = db.prepare('SELECT 1 AS x FROM document_vectors WHERE identity = ? AND key = ?');
  const insert = db.prepare('INSERT OR REPLACE INTO document_vectors (identity, key, vector) VALUES (?, ?, ?)');
  const counter = db.prepare('SELECT COUNT(*) AS n FROM document_vectors WHERE identity = ?');
  const keyOf = (text: string) => createHash('sha256').update(text).digest('base64url');
  const bytes = dimensions * 4;

  return {
    get(text) {
      const row = select.get(identity, keyOf(text)) as { vector: Uint8Array } | undefined;
      if (!row || row.vector.byteLength !== bytes) return undefined;
      // A copy with its own aligned buffer: SQLite's bytes may sit at any offset.
      return new Float32Array(new Uint8Array(row.vector).buffer);
    },
    has(text) {
      return exists.get(identity, keyOf(text)) !== undefined;
    },
    put(entries) {
      if (entries.length === 0) return;
      db.exec('BEGIN IMMEDIATE');
      try {
        for (const { text, vector } of entries) insert.run(identity, keyOf(text), new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    count() {
      return Number((counter.get(identity) as { n: number }).n);
    },
  };
}
