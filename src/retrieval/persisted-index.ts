// The retrieval index's costly part kept in DATA_DIR between starts: reading every document's
// terms (tokens and the ~120 concept patterns over each text) and its hashed vector took
// ~300 ms of CPU of a restart for ~415 documents (issue 16: cold start). What is stored is a
// pure function of the documents (all of them, in order), the embedder (its identity) and the
// code of the retriever and of the hashing embedder with what they import: all of it is the
// file's key (src/store/derived-file.ts), so another document, another embedder or a code change
// builds afresh, as does a file that fails its checks. The lexical postings are stored as upsert
// built them (LexicalIndex.snapshot) and restored in the same order, so the index is the same as
// one built from the texts.
//
// Only for an embedder that runs in process and is a pure function of the text (the hashing
// one): a remote model's vectors arrive in the background and are kept by their own store.
import { fileURLToPath } from 'node:url';
import type { IndexedDoc } from './types.ts';
import type { HybridRetriever, PreparedDocs } from './hybrid-retriever.ts';
import { lexicalSnapshotOf } from './lexical-index.ts';
import { loadOrBuildAsync, packArrays, sourcesOf, unpackArrays, type DerivedCodec, type DerivedEvent } from '../store/derived-file.ts';

/** File name of the stored index in the derived-index directory. */
export const RETRIEVAL_INDEX_FILE = 'retrieval-index.bin';

const BUILDERS = ['./hybrid-retriever.ts', './hashing-embedder.ts'].map((f) => fileURLToPath(new URL(f, import.meta.url)));
// Read once per process: the code does not change under a running service.
let builderSources: string[] | undefined;

/**
 * Every vector in one Float32Array (`dimensions` floats a document) and the lexical index's
 * snapshot (its vocabulary as JSON, its postings and lengths as Int32Arrays): a start restores the
 * postings instead of adding ~48,000 stored terms again (55-78 ms of CPU). Documents whose index
 * has no snapshot (an id twice) keep their terms as JSON instead.
 */
function codec(count: number, dimensions: number): DerivedCodec<PreparedDocs> {
  return {
    encode(p) {
      const flat = new Float32Array(count * dimensions);
      p.vectors.forEach((v, i) => flat.set(v, i * dimensions));
      const lex = p.lexical;
      if (!lex) return packArrays({ terms: p.terms }, [flat]);
      const fields = lex.fields.flatMap((f) => [f.terms, f.starts, f.slots, f.tfs, f.lengths]);
      return packArrays({ vocabulary: lex.vocabulary }, [flat, lex.df, lex.docTerms, lex.docStarts, ...fields]);
    },
    decode(bytes) {
      const { json, arrays } = unpackArrays(bytes);
      const { terms, vocabulary } = json as { terms?: unknown; vocabulary?: unknown };
      const [flat, ...rest] = arrays;
      if (!(flat instanceof Float32Array) || flat.length !== count * dimensions) return undefined;
      const vectors = new Array<Float32Array>(count);
      for (let i = 0; i < count; i++) vectors[i] = flat.subarray(i * dimensions, (i + 1) * dimensions);
      if (Array.isArray(terms) && rest.length === 0 && terms.length === count) return { terms: terms as string[][][], vectors };
      if (!Array.isArray(vocabulary) || rest.length !== 3 + 5 * 3 || !rest.every((a) => a instanceof Int32Array)) return undefined;
      const [df, docTerms, docStarts, ...f] = rest as Int32Array[];
      if (df.length !== vocabulary.length || docStarts.length !== count + 1) return undefined;
      const fields = [0, 1, 2].map((i) => ({ terms: f[i * 5], starts: f[i * 5 + 1], slots: f[i * 5 + 2], tfs: f[i * 5 + 3], lengths: f[i * 5 + 4] }));
      return { vectors, lexical: { vocabulary: vocabulary as string[], df, docTerms, docStarts, fields } };
    },
  };
}

/**
 * Indexes `docs` into `retriever` (as `retriever.upsert(docs)` would), from the stored copy when it
 * was made from the same documents by the same code and embedder, else preparing them (and storing that).
 */
export async function upsertPersisted(
  retriever: HybridRetriever,
  docs: IndexedDoc[],
  opts: { dir: string; embedder: { identity: string; dimensions: number }; onEvent?: (e: DerivedEvent) => void },
): Promise<void> {
  builderSources ??= BUILDERS.map(sourcesOf);
  const prepared = await loadOrBuildAsync({
    dir: opts.dir,
    name: RETRIEVAL_INDEX_FILE,
    key: ['retrieval-index', opts.embedder.identity, String(opts.embedder.dimensions), ...builderSources, JSON.stringify(docs)],
    build: async () => {
      const prepared = await retriever.prepare(docs);
      return { ...prepared, lexical: lexicalSnapshotOf(docs, prepared.terms) };
    },
    codec: codec(docs.length, opts.embedder.dimensions),
    onEvent: opts.onEvent,
  });
  retriever.upsertPrepared(docs, prepared);
}
