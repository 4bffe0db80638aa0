import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Opens (creating if needed) an embedded SQLite database in WAL mode.
 * WAL lets readers run while a writer commits, and `synchronous=NORMAL` keeps commits
 * durable across process crashes (not power loss) at a fraction of FULL's fsync cost.
 * `:memory:` opens a private in-memory database (tests).
 */
export function openDatabase(file: string): DatabaseSync {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  // busy_timeout first: switching to WAL takes a lock, and a sibling process (a worker, the import)
  // opening the same file at that moment must wait for it instead of failing "database is locked".
  db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  return db;
}
