/**
 * Instruction prefixes: models trained with them (e5: "query: " / "passage: ", bge: a query
 * instruction) embed well only when given them; Titan and OpenAI's models want none.
 */
import type { Embedder, EmbedOptions } from '../types.ts';

/** The prefix put before each kind of text. */
export interface InputPrefixes {
  query?: string;
  document?: string;
}

/** `inner` with `prefixes.query` before every query and `prefixes.document` before every document. */
export function withInputPrefixes(inner: Embedder, prefixes: InputPrefixes): Embedder {
  const query = prefixes.query ?? '';
  const document = prefixes.document ?? '';
  if (!query && !document) return inner;
  return {
    dimensions: inner.dimensions,
    embed(texts: string[], opts?: EmbedOptions) {
      const prefix = opts?.input === 'document' ? document : query;
      // A blank text stays blank: it embeds to nothing, not to the prefix alone.
      return inner.embed(prefix ? texts.map((t) => (t.trim() ? prefix + t : t)) : texts, opts);
    },
  };
}
