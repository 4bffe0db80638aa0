import { BlockList, isIP } from 'node:net';

/** Named ranges accepted wherever addresses are configured (the names proxy-addr uses). */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Why an address-list entry is not one: undefined when it is an address, a CIDR range or a range name. */
export function addressEntryProblem(entry: string): string | undefined {
  if (NAMED_RANGES[entry]) return undefined;
  const [ip, prefix, ...rest] = entry.split('/');
  const family = isIP(ip);
  if (!family || rest.length > 0) return `"${entry}" is not an IP address, a CIDR range or one of ${Object.keys(NAMED_RANGES).join(', ')}`;
  if (prefix === undefined) return undefined;
  const bits = Number(prefix);
  if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `"${entry}" has an invalid prefix length`;
  return undefined;
}

/** Splits a comma-separated list of addresses, CIDR ranges and range names (blank entries dropped). */
export function addressList(spec: string): string[] {
  return spec.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Compiles addresses, CIDR ranges and range names (`loopback`, `linklocal`, `uniquelocal`) into a
 * matcher. IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`, what a socket on `::` reports for an
 * IPv4 client) match their IPv4 ranges.
 */
export function addressMatcher(entries: string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const problem = addressEntryProblem(entry);
    if (problem) throw new TypeError(problem);
    const [ip, prefix] = entry.split('/');
    const type = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(ip, type);
    else list.addSubnet(ip, Number(prefix), type);
  }
  if (entries.length === 0) return () => false;
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * Which proxies' `X-Forwarded-For` entries are believed: a hop count (behind one load balancer: 1,
 * the header's last entry is the client), or the proxies' addresses.
 */
export type TrustProxy = number | string[];

/**
 * The trust function Fastify (proxy-addr) walks `X-Forwarded-For` with, from the socket address
 * (hop 0) leftwards; the client is the first address not trusted. Fastify 5.12 refuses a bare
 * number ("hop-count-only trust is disabled": it fails closed and ignores the header), so a hop
 * count is given as the equivalent function. `false` when nothing is trusted.
 */
export function trustProxyFunction(trust: TrustProxy): false | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') {
    if (trust <= 0) return false;
    return (_address, hop) => hop < trust;
  }
  if (trust.length === 0) return false;
  const trusted = addressMatcher(trust);
  return (address) => trusted(address);
}
