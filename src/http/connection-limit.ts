import { isIP, type Server, type Socket } from 'node:net';

/** How many sockets one client address may hold open, and who is not counted. */
export interface ConnectionLimitOptions {
  /** Open sockets per client address (per process); 0 turns the cap off. */
  perAddress: number;
  /** Addresses never counted: loopback (load generators), the load balancer's (every socket comes from it). */
  exempt: (address: string) => boolean;
  /** Told each refusal (metrics, a debug line). */
  onRefused?: (address: string) => void;
}

/** What the cap sees: open sockets per counted address. */
export interface ConnectionLimit {
  /** Open sockets of the address's group (its /64 for IPv6), 0 when exempt or none. */
  openFrom(address: string): number;
}

/** The refusal written straight to the socket: the contract's body, no request parsed. */
const REFUSAL_BODY = JSON.stringify({ code: 'rate_limited', message: 'Too many open connections from your address; close some or try again shortly.', retryAfterMs: 5000 });
const REFUSAL = Buffer.from(
  'HTTP/1.1 429 Too Many Requests\r\n' +
    'Content-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(REFUSAL_BODY)}\r\n` +
    'Retry-After: 5\r\n' +
    'Connection: close\r\n\r\n' +
    REFUSAL_BODY,
  'latin1',
);
/** A refused socket is dropped this long after the refusal even if the client never closes it. */
const REFUSED_LINGER_MS = 1000;

/**
 * Caps the sockets one client address holds open on `server`, counted at `connection` (WebSockets
 * and keep-alive HTTP alike) and released at `close`. A socket beyond the cap never reaches the
 * HTTP parser: the server's own `connection` listeners are wrapped, so a refused socket gets a
 * fixed 429 and is closed, whatever it sends. Its input is read and dropped until the client
 * closes (closing with unread input would reset the connection and could lose the 429 on the way).
 *
 * The address is the socket's: X-Forwarded-For is not known yet when a connection opens, so
 * behind a load balancer its addresses must be exempt (they carry every customer). IPv6 clients
 * are counted by /64, the block one subscriber gets, so rotating addresses inside it does not help.
 */
export function limitConnectionsPerAddress(server: Server, opts: ConnectionLimitOptions): ConnectionLimit {
  const open = new Map<string, number>();
  const counted = (address: string | undefined): string | undefined => {
    if (opts.perAddress <= 0 || !address || opts.exempt(address)) return undefined;
    return addressGroup(address);
  };

  const inner = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const key = counted(socket.remoteAddress);
    if (key !== undefined) {
      const n = open.get(key) ?? 0;
      if (n >= opts.perAddress) {
        refuse(socket);
        opts.onRefused?.(socket.remoteAddress ?? '');
        return;
      }
      open.set(key, n + 1);
      socket.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left <= 0) open.delete(key);
        else open.set(key, left);
      });
    }
    for (const listener of inner) listener.call(server, socket);
  });

  return {
    openFrom: (address) => {
      const key = counted(address);
      return key === undefined ? 0 : (open.get(key) ?? 0);
    },
  };
}

function refuse(socket: Socket): void {
  socket.on('error', () => socket.destroy());
  socket.resume();
  socket.once('end', () => socket.destroy());
  socket.setTimeout(REFUSED_LINGER_MS, () => socket.destroy());
  socket.end(REFUSAL);
}

/**
 * The key an address is counted under: an IPv4 address itself (also when written IPv4-mapped,
 * `::ffff:1.2.3.4`), an IPv6 address by its /64.
 */
export function addressGroup(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address.toLowerCase().split('%')[0];
  // A trailing dotted quad (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = text.slice(0, quad.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}
