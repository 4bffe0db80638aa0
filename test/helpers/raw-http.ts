import net from 'node:net';

/** A raw TCP connection to the service, for clients that misbehave on purpose. */
export interface RawConnection {
  socket: net.Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves when the server closes the connection (or it resets), with all it sent. */
  closed: Promise<string>;
}

/** Connects to `url`'s host and port, optionally from another loopback address. */
export async function rawConnect(url: string, opts: { localAddress?: string } = {}): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port), localAddress: opts.localAddress });
  let data = '';
  socket.on('data', (d) => (data += d.toString('latin1')));
  const closed = new Promise<string>((resolve) => {
    socket.on('close', () => resolve(data));
    // A reset still ends the connection; what arrived before it is kept.
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed };
}

/**
 * Writes `parts` one at a time, `everyMs` apart, until the server closes the connection;
 * resolves with what the server sent and how many parts went out.
 */
export async function dribble(conn: RawConnection, parts: string[], everyMs: number): Promise<{ received: string; sent: number }> {
  let sent = 0;
  let open = true;
  void conn.closed.then(() => (open = false));
  while (open && sent < parts.length) {
    conn.socket.write(parts[sent++]);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return { received: await conn.closed, sent };
}
