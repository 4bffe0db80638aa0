import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** DynamoDB's throttling answers, as the real service sends them (JSON 1.0 protocol, HTTP 400). */
export const THROTTLE_ERRORS = {
  ProvisionedThroughputExceededException: {
    __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
  },
  ThrottlingException: { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' },
  RequestLimitExceeded: {
    __type: 'com.amazonaws.dynamodb.v20120810#RequestLimitExceeded',
    message: 'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase',
  },
} as const;

/** A DynamoDB throttle exception name. */
export type ThrottleName = keyof typeof THROTTLE_ERRORS;

/**
 * An HTTP proxy in front of a DynamoDB engine that answers chosen requests with a throttling
 * error (or another error body) instead of forwarding them (failure injection: the engine never
 * sees those).
 */
export interface ThrottleProxy {
  endpoint: string;
  /** Throttles the next `count` requests of `operation` (e.g. 'GetItem'; every operation when unset). */
  throttle(rule: { count: number; operation?: string; table?: string; error?: ThrottleName }): void;
  /** Answers the next `count` matching requests with this error body (HTTP 400), e.g. a refusal DynamoDB sends and the engine does not. */
  refuse(rule: { count: number; operation?: string; table?: string; body: { __type: string; message?: string; [key: string]: unknown } }): void;
  /** Requests of `operation` that arrived (forwarded and throttled alike), on every table or on `table` only. */
  seen(operation: string, table?: string): number;
  /** Requests answered with a throttle. */
  throttled(): number;
  close(): Promise<void>;
}

/** Starts the proxy on a free 127.0.0.1 port, forwarding to `upstream` (http://host:port). */
export async function startThrottleProxy(upstream: string): Promise<ThrottleProxy> {
  const target = new URL(upstream);
  const rules: { count: number; operation?: string; table?: string; body: object; throttle: boolean }[] = [];
  const seen = new Map<string, number>();
  let throttled = 0;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    seen.set(operation, (seen.get(operation) ?? 0) + 1);
    let table: string | undefined;
    try {
      table = (JSON.parse(body.toString('utf8')) as { TableName?: string }).TableName;
    } catch {
      table = undefined;
    }
    if (table !== undefined) seen.set(`${operation}\u0000${table}`, (seen.get(`${operation}\u0000${table}`) ?? 0) + 1);
    const rule = rules.find((r) => r.count > 0 && (!r.operation || r.operation === operation) && (!r.table || r.table === table));
    if (rule) {
      rule.count--;
      if (rule.throttle) throttled++;
      const payload = Buffer.from(JSON.stringify(rule.body));
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': randomBytes(26).toString('hex').toUpperCase().slice(0, 52),
        'x-amz-crc32': String(crc32(payload)),
        'content-length': payload.length,
      });
      res.end(payload);
      return;
    }
    const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    throttle: ({ error, ...rule }) => rules.push({ ...rule, body: THROTTLE_ERRORS[error ?? 'ProvisionedThroughputExceededException'], throttle: true }),
    refuse: ({ body, ...rule }) => rules.push({ ...rule, body, throttle: false }),
    seen: (operation, table) => seen.get(table === undefined ? operation : `${operation}\u0000${table}`) ?? 0,
    throttled: () => throttled,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
