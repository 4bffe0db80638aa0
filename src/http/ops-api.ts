import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ChatError } from '../errors.ts';
import type { Escalations, Ticket } from '../escalation/types.ts';
import type { OpsSummary } from '../observability/summary-types.ts';
import { bearerGuard } from './bearer.ts';

/** What the operations API reaches into. */
export interface OpsApiDeps {
  /** The operator credential (OPS_TOKEN). */
  token: string;
  /** The summary over the last `windowMs`. */
  summary: (windowMs: number) => OpsSummary | Promise<OpsSummary>;
  escalations: Escalations;
  /** The session's conversation as the assistant remembers it, oldest first. */
  conversation: (sessionId: string) => Promise<{ role: string; text: string; at: number }[]>;
}

const STATUSES = ['open', 'answered', 'closed'] as const;

const summaryQuery = z.object({
  windowMs: z.coerce.number().int().min(10_000).max(3_600_000).default(60_000),
});
const ticketsQuery = z.object({
  // A comma-separated list (`open,answered`); a repeated parameter works too.
  status: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? undefined : [v].flat().flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)))
    .pipe(z.array(z.enum(STATUSES)).optional()),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const ticketParams = z.object({ id: z.string().min(1).max(200) });
const replyBody = z.object({
  text: z.string(),
  operator: z.string().trim().min(1).max(60),
});

/** Parses `input` or refuses with `bad_request` naming every problem. */
function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input ?? {});
  if (!result.success) throw new ChatError('bad_request', `Malformed ${what}: ${result.error.issues.map((i) => `${i.path.join('.') || what} ${i.message}`).join('; ')}`);
  return result.data;
}

/**
 * The operations API behind the operator credential: the summary and alarms the /ops page draws,
 * and the handoff tickets operators work from (read, reply, close). Refusals are ChatErrors, so
 * the server's error handler answers {code, message} with the stable codes.
 */
export function registerOpsApi(app: FastifyInstance, deps: OpsApiDeps): void {
  const onRequest = bearerGuard(deps.token, 'Operator');
  // Tickets quote customers: no browser or proxy cache may keep them.
  const onSend = async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    reply.header('cache-control', 'no-store');
    return payload;
  };
  const route = { onRequest, onSend };
  const ticketOf = async (req: FastifyRequest): Promise<Ticket> => {
    const { id } = parse(ticketParams, req.params, 'ticket id');
    const ticket = await deps.escalations.get(id);
    if (!ticket) throw new ChatError('not_found', `No ticket ${id.slice(0, 60)}.`);
    return ticket;
  };

  app.get('/v1/ops/summary', route, async (req) => {
    const { windowMs } = parse(summaryQuery, req.query, 'query');
    return deps.summary(windowMs);
  });

  app.get('/v1/ops/alarms', route, async () => ({ alarms: (await deps.summary(60_000)).alarms }));

  app.get('/v1/ops/tickets', route, async (req) => {
    const { status, limit } = parse(ticketsQuery, req.query, 'query');
    return { tickets: await deps.escalations.list({ ...(status && status.length > 0 ? { status } : {}), limit }) };
  });

  app.get('/v1/ops/tickets/:id', route, async (req) => {
    const ticket = await ticketOf(req);
    return {
      ticket,
      conversation: await deps.conversation(ticket.sessionId),
      connected: await deps.escalations.connected(ticket.sessionId),
    };
  });

  app.post('/v1/ops/tickets/:id/reply', route, async (req) => {
    const { id } = parse(ticketParams, req.params, 'ticket id');
    const body = parse(replyBody, req.body, 'reply');
    return deps.escalations.reply(id, body);
  });

  app.post('/v1/ops/tickets/:id/close', route, async (req) => {
    const { id } = parse(ticketParams, req.params, 'ticket id');
    return { ticket: await deps.escalations.close(id) };
  });
}
