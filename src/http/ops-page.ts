import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the operations page lives (its ops.js/ops.css are served by the static handler of src/web). */
export interface OpsPageOptions {
  /** Folder holding the page's index.html; default src/web/ops next to this file. */
  pageDir?: string;
}

// The page renders customer text, which is untrusted: even though ops.js only ever uses
// textContent, a strict policy means a slip could not run script or send data elsewhere.
// uPlot sizes its elements through the CSSOM (element.style), which style-src does not restrict.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The operations page: GET /ops and /ops/ serve the page (it holds no data, so it needs no
 * credential: the page asks for the operator credential and sends it to /v1/ops/*), and
 * /ops/vendor/ serves uPlot's browser build straight from the installed package.
 */
export function registerOpsPage(app: FastifyInstance, opts: OpsPageOptions = {}): void {
  const pageFile = join(opts.pageDir ?? fileURLToPath(new URL('../web/ops/', import.meta.url)), 'index.html');
  const vendor = uplotFiles();

  const page = async (_req: unknown, reply: FastifyReply) => {
    // Read per request like the static files next to it, so an edited page shows on reload.
    const html = await readFile(pageFile, 'utf8');
    return reply.headers(PAGE_HEADERS).send(html);
  };
  app.get('/ops', page);
  app.get('/ops/', page);

  app.get('/ops/vendor/uPlot.iife.min.js', async (_req, reply) =>
    reply.headers({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).send(vendor.js));
  app.get('/ops/vendor/uPlot.min.css', async (_req, reply) =>
    reply.headers({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).send(vendor.css));
}

/** uPlot's IIFE build (defines window.uPlot) and stylesheet, read once at start-up so a missing package fails fast. */
function uplotFiles(): { js: string; css: string } {
  const require = createRequire(import.meta.url);
  // The package's `main` is the CJS build in dist/; the browser builds sit next to it.
  const dist = dirname(require.resolve('uplot'));
  return {
    js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
}
