/** Options every conversation-memory adapter takes. */
export interface MemoryOptions {
  /** Messages kept per session. @default 10 */
  window?: number;
  /** A session untouched by `append` for longer than this is expired. */
  idleTtlMs: number;
  /** User message ids remembered per session for idempotency, beyond the message window. @default 100 */
  idsKept?: number;
  /** Clock in epoch ms (tests inject one). @default Date.now */
  now?: () => number;
  /** Sessions whose recent history an embedded store keeps in process (least recently used go first); 0 keeps none. @default 10000 */
  liveSessions?: number;
}

/** The options with their defaults applied; nonsensical values are refused with the option named. */
export function resolveMemoryOptions(options: MemoryOptions): Required<MemoryOptions> {
  const window = options.window ?? 10;
  const idsKept = options.idsKept ?? 100;
  const idleTtlMs = options.idleTtlMs;
  const liveSessions = options.liveSessions ?? 10_000;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  if (!Number.isInteger(idsKept) || idsKept < 1) throw new RangeError(`idsKept must be a positive integer, got ${idsKept}`);
  if (!Number.isInteger(liveSessions) || liveSessions < 0) throw new RangeError(`liveSessions must be a non-negative integer, got ${liveSessions}`);
  if (!(idleTtlMs > 0)) throw new RangeError(`idleTtlMs must be positive, got ${idleTtlMs}`);
  return { window, idsKept, idleTtlMs, liveSessions, now: options.now ?? Date.now };
}
