import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ChatError } from '../errors.ts';

/**
 * A Fastify onRequest hook that admits only `Authorization: Bearer <token>`; anything else is
 * refused with `unauthorized` ("<what> credential missing or wrong."). `what` names the
 * credential in that message (e.g. "Admin", "Operator").
 */
export function bearerGuard(token: string, what: string): (req: FastifyRequest) => Promise<void> {
  // An empty credential would be a door without a lock: refuse to build one.
  if (!token) throw new RangeError(`${what} credential is empty`);
  const expected = digest(token);
  return async (req) => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    // Compared as fixed-length digests so neither length nor content leaks through timing.
    if (!presented || !timingSafeEqual(digest(presented), expected)) throw new ChatError('unauthorized', `${what} credential missing or wrong.`);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
