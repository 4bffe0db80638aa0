// The options the run was started with, so the report alone is enough to repeat the run.
import type { LoadTestResult } from '../../result.ts';
import { escapeHtml } from '../escape.ts';

/** The run-options section as a key/value list (values that are not strings shown as JSON). */
export function renderOptions(result: LoadTestResult): string {
  const entries = Object.entries(result.options ?? {});
  if (entries.length === 0) return '';
  const items = entries.map(([k, v]) => `<div><dt>${escapeHtml(k)}</dt><dd><code>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</code></dd></div>`).join('');
  return `<section class="card" id="options"><h2>Run options</h2><dl class="meta options">${items}</dl></section>`;
}
