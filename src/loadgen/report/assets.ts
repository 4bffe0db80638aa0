// uPlot is inlined from node_modules so the report is one file that opens offline, years later.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: { js: string; css: string } | undefined;

/** uPlot's minified browser build and stylesheet, read once from the installed package. */
export function uplotAssets(): { js: string; css: string } {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  // The package's `main` is the CJS build in dist/; the IIFE build that defines `window.uPlot` sits next to it.
  const dist = dirname(require.resolve('uplot'));
  const js = readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(join(dist, 'uPlot.min.css'), 'utf8');
  // Both are inlined into <script>/<style>; a closing tag inside either would end the element early.
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) throw new Error('uPlot assets contain a closing tag and cannot be inlined');
  cached = { js, css };
  return cached;
}
