import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes, from `/proc/<pid>/status` (Linux); undefined if unreadable. */
export function readRssBytes(pid: number, procRoot = '/proc'): number | undefined {
  try {
    const status = readFileSync(`${procRoot}/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
