import { isIP } from 'node:net';
import { UsageError } from './phases.ts';

/** One service to send load to. */
export interface Target {
  /** `http://host:port` (no trailing slash). */
  http: string;
  /** `ws://host:port`. */
  ws: string;
  loopback: boolean;
}

/**
 * Whether a host is this machine: 127.0.0.0/8, ::1 (also IPv4-mapped) or `localhost`. Other
 * names are not resolved on purpose: a name could point anywhere, and the workplace rule is
 * that load goes to loopback only unless the operator says `--allow-remote`.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && mapped[1].startsWith('127.');
  }
  return false;
}

/** Parses `--targets url1,url2` (http, https, ws or wss URLs); refuses non-loopback hosts unless allowed. */
export function parseTargets(text: string, allowRemote: boolean): Target[] {
  const targets = text.split(',').map((s) => s.trim()).filter(Boolean).map((raw) => {
    let url: URL;
    try {
      url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    } catch {
      throw new UsageError(`bad target URL "${raw}"`);
    }
    const secure = url.protocol === 'https:' || url.protocol === 'wss:';
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new UsageError(`target "${raw}" must be http(s) or ws(s)`);
    const loopback = isLoopbackHost(url.hostname);
    if (!loopback && !allowRemote) throw new UsageError(`refusing target "${raw}": not a loopback address (127.0.0.0/8, ::1, localhost); pass --allow-remote to load a remote host`);
    const hostPort = url.host;
    return { http: `${secure ? 'https' : 'http'}://${hostPort}`, ws: `${secure ? 'wss' : 'ws'}://${hostPort}`, loopback };
  });
  if (!targets.length) throw new UsageError('--targets is empty');
  return targets;
}
