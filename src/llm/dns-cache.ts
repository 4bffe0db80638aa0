import dns from 'node:dns';
import net from 'node:net';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** What one lookup or resolution did (metrics). */
export type DnsCacheEvent = 'hit' | 'miss' | 'stale' | 'error';

/** Options of the application-level DNS cache. */
export interface DnsCacheOptions {
  /** How long an answer is used without asking the resolver again, ms. @default 60000 */
  ttlMs?: number;
  /** How long a cached answer may still be served after its TTL while its refresh is in flight or has failed, ms. @default 600000 */
  staleMs?: number;
  /** The resolver. @default dns.promises.lookup(hostname, { all: true }) */
  resolve?: (hostname: string) => Promise<{ address: string; family: number }[]>;
  /** Clock, ms. @default Date.now */
  now?: () => number;
  /**
   * 'hit': answered from a fresh entry; 'miss': waited for the resolver; 'stale': answered from
   * an entry past its TTL; 'error': a resolution failed (once per failed resolution, also when
   * a stale answer covered it).
   */
  onEvent?: (e: DnsCacheEvent) => void;
}

/** A caching `lookup` for http.Agent / net.connect / undici's `connect` option. */
export interface DnsCache {
  /** Node's (hostname, options, callback) lookup, honouring options.all and options.family. */
  lookup: LookupFunction;
  /** Forgets every cached answer (flights in progress still store theirs). */
  clear(): void;
}

interface Entry {
  addresses: LookupAddress[];
  at: number;
  /** After a failed refresh: no new attempt before this time. */
  retryAt: number;
}

const notFound = (hostname: string, message = `getaddrinfo ENOTFOUND ${hostname}`) =>
  Object.assign(new Error(message), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname });

const defaultResolve = (hostname: string) => dns.promises.lookup(hostname, { all: true });

/**
 * Application-level DNS cache with a fixed TTL and serve-stale. Hand-written because
 * cacheable-lookup (the usual package) does not serve stale: it drops an entry when its TTL
 * passes, and when the resolver then fails it either throws or falls back to dns.lookup
 * (getaddrinfo, the slow path the resolver blips were on), caching an empty answer as ENOTFOUND
 * for errorTtl; its TTL also comes from the DNS records (capped by maxTtl) through c-ares rather
 * than the fixed 60 s of the design, and it has no injectable clock.
 *
 * Past its TTL an entry is served at once while one background refresh runs (stale-while-
 * revalidate), not after the refresh: the incident's blips were slow answers (1,000-1,200 ms),
 * not failures, so waiting on the refresh would put that delay back on every call arriving
 * while it is in flight. A failed refresh keeps the old answer for up to `staleMs` past its
 * TTL (never a worse fallback), retried at most every min(TTL, 5 s); after that a lookup waits
 * for the resolver and fails with it.
 * Lookups of one hostname share one resolution (single flight). IP literals and 'localhost' go
 * straight to dns.lookup, uncached.
 */
export function createDnsCache(opts: DnsCacheOptions = {}): DnsCache {
  const ttlMs = opts.ttlMs ?? 60_000;
  const staleMs = opts.staleMs ?? 600_000;
  const resolve = opts.resolve ?? defaultResolve;
  const now = opts.now ?? Date.now;
  const emit = opts.onEvent ?? (() => {});
  const entries = new Map<string, Entry>();
  const flights = new Map<string, Promise<LookupAddress[]>>();
  // While the resolver is down, a stale entry would otherwise start a resolution per lookup.
  const retryMs = Math.min(ttlMs, 5_000);

  const resolveOnce = (host: string): Promise<LookupAddress[]> => {
    let flight = flights.get(host);
    if (flight) return flight;
    flight = (async () => {
      try {
        const found = await resolve(host);
        if (found.length === 0) throw notFound(host);
        const addresses = found.map(({ address, family }) => ({ address, family }));
        entries.set(host, { addresses, at: now(), retryAt: 0 });
        return addresses;
      } catch (err) {
        const entry = entries.get(host);
        if (entry) entry.retryAt = now() + retryMs;
        emit('error');
        throw err;
      } finally {
        flights.delete(host);
      }
    })();
    flights.set(host, flight);
    return flight;
  };

  const answer = (hostname: string, addresses: LookupAddress[], options: LookupOptions, callback: Parameters<LookupFunction>[2]) => {
    const fam = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    const list = fam === 4 || fam === 6 ? addresses.filter((a) => a.family === fam) : addresses;
    if (list.length === 0) return callback(notFound(hostname, `getaddrinfo ENOTFOUND ${hostname} (no IPv${fam} address)`), '', 0);
    if (options.all) return callback(null, list.map((a) => ({ ...a })));
    callback(null, list[0].address, list[0].family);
  };

  const lookup = ((hostname: string, options: LookupOptions | number | Function, callback?: Function) => {
    // Node's own callers always pass (hostname, options, callback); the short forms are dns.lookup's.
    if (typeof options === 'function') [callback, options] = [options, {}];
    else if (typeof options === 'number') options = { family: options };
    const cb = callback as Parameters<LookupFunction>[2];
    const o = (options ?? {}) as LookupOptions;
    if (net.isIP(hostname) !== 0 || hostname === 'localhost') {
      (dns.lookup as unknown as LookupFunction)(hostname, o, cb);
      return;
    }
    const host = hostname.toLowerCase();
    const entry = entries.get(host);
    const age = entry ? now() - entry.at : Infinity;
    if (entry && age < ttlMs) {
      emit('hit');
      process.nextTick(answer, hostname, entry.addresses, o, cb);
      return;
    }
    if (entry && age < ttlMs + staleMs) {
      emit('stale');
      if (now() >= entry.retryAt) resolveOnce(host).catch(() => {}); // counted as 'error' in resolveOnce; the old answer stays
      process.nextTick(answer, hostname, entry.addresses, o, cb);
      return;
    }
    if (entry) entries.delete(host);
    resolveOnce(host).then(
      (addresses) => {
        emit('miss');
        answer(hostname, addresses, o, cb);
      },
      (err: NodeJS.ErrnoException) => cb(err, '', 0),
    );
  }) as LookupFunction;

  return { lookup, clear: () => entries.clear() };
}
