// Everything in a LoadTestResult (profile names, targets, error codes, intents, phases) comes from
// a command line or a server, so none of it may reach the page as markup.

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and for double- or single-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

/**
 * Serialises data for an inline `<script>`: JSON with `<`, `>`, `&` and the JS line separators
 * escaped, so a string such as `</script>` cannot close the element or break the parser.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0'));
}
