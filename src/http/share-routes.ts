import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ChatError } from '../errors.ts';
import type { Authenticator } from '../admission/auth.ts';
import type { Admission } from '../admission/admission.ts';
import type { SharedLinks } from '../sharing/shared-links.ts';
import { sessionIdSchema } from './session-id.ts';

/** What the share endpoints need. */
export interface ShareRoutesDeps {
  links: SharedLinks;
  auth: Authenticator;
  /** The rate limit a share spends (one message's worth of the owner's budget). */
  admission: Admission;
  /** Base URL of the links handed out; unset: the origin the request came to. */
  baseUrl?: string;
  /** The read-only page (src/web/shared.html). */
  pageFile: string;
}

const shareBody = z.object({ sessionId: sessionIdSchema, resumeToken: z.string().max(256).optional() });
const revokeBody = z.object({ resumeToken: z.string().max(256).optional() }).optional();

/**
 * A shared view may be kept this long by browsers and any CDN in front: the view never changes,
 * and this is also how late a revocation can reach a copy outside the service.
 */
const VIEW_MAX_AGE_S = 60;

// The page shows text written by strangers (the conversation): shared.js only uses textContent,
// and this policy means a slip could neither run script nor send the data anywhere. No referrer:
// a link clicked on the page does not carry the share id to another site.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'public, max-age=300',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
} as const;

/**
 * "Share this conversation":
 * - `POST /v1/shares` {sessionId, resumeToken?} (+ the customer's bearer token): the owner makes
 *   a read-only link of the conversation as it is now → 201 {shareId, url, path, expiresAt};
 * - `DELETE /v1/shares/:id` {resumeToken?} (+ bearer): its owner revokes it → 200, else 404;
 * - `GET /v1/shared/:id`: the view, for anyone with the link (no credential) → 200, 404, or 503
 *   with Retry-After when the store cannot serve it;
 * - `GET /s/:id`: the read-only page that shows it.
 */
export function registerShareRoutes(app: FastifyInstance, deps: ShareRoutesDeps): void {
  // Read once: this page is what 10,000 people open at once.
  const page = readFileSync(deps.pageFile, 'utf8');
  const customerOf = (req: FastifyRequest) => {
    const header = req.headers.authorization;
    return deps.auth.authenticate(header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined);
  };

  app.post('/v1/shares', async (req, reply) => {
    const body = shareBody.safeParse(req.body);
    if (!body.success) throw new ChatError('bad_request', 'Body must be {"sessionId": "...", "resumeToken": "..."} (the token of a guest conversation).');
    const customer = await customerOf(req);
    const { sessionId, resumeToken } = body.data;
    const view = await deps.links.share(sessionId, { customer, resumeToken }, { admit: () => deps.admission.admit({ customer, sessionId, address: req.ip }) });
    const path = `/s/${view.shareId}`;
    const base = deps.baseUrl?.replace(/\/$/, '') ?? `${req.protocol}://${req.host}`;
    reply.status(201).header('cache-control', 'no-store');
    return { shareId: view.shareId, url: `${base}${path}`, path, createdAt: view.createdAt, expiresAt: view.expiresAt, messages: view.messages.length };
  });

  app.delete('/v1/shares/:id', async (req, reply) => {
    const body = revokeBody.safeParse(req.body ?? undefined);
    if (!body.success) throw new ChatError('bad_request', 'Body must be empty or {"resumeToken": "..."}.');
    const customer = await customerOf(req);
    const { id } = req.params as { id: string };
    const revoked = await deps.links.revoke(id, { customer, resumeToken: body.data?.resumeToken });
    if (!revoked) throw new ChatError('not_found', 'No share of yours with this id.');
    reply.header('cache-control', 'no-store');
    return { revoked: true };
  });

  app.get('/v1/shared/:id', async (req, reply) => {
    // Refusals are never kept by a browser or a CDN; only a view is.
    reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex').header('referrer-policy', 'no-referrer');
    const { id } = req.params as { id: string };
    const view = await deps.links.read(id);
    if (!view) throw new ChatError('not_found', 'This shared conversation does not exist, has expired or was removed by its owner.');
    const maxAge = Math.max(0, Math.min(VIEW_MAX_AGE_S, Math.floor((view.expiresAt - Date.now()) / 1000)));
    reply.header('cache-control', `public, max-age=${maxAge}`);
    return view;
  });

  app.get('/s/:id', async (_req, reply) => reply.headers(PAGE_HEADERS).send(page));
}
