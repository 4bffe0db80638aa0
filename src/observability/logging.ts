import pino, { type DestinationStream, type Logger } from 'pino';
import { trace } from '@opentelemetry/api';

export interface LoggerOptions {
  level: string;
  /** Masks personal data in free text (the guardrails' redaction: cards, My Number, phones, e-mail, addresses). */
  maskPersonalData: (text: string) => string;
  /** Where lines go (stdout by default; tests capture them). */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** Keys whose string values are credentials, whatever they hold. Counts such as `outputTokens` are numbers and stay. */
const SECRET_KEY = /authorization|cookie|password|passwd|secret|token|api[-_]?key|credential|signature/i;
/** Keys whose values name a person. */
const PERSON_KEY = /^(name|customerName|fullName)$/i;

/** Credentials recognisable by their shape, wherever they appear in text (a URL's query, an error message). */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bBearer\s+[A-Za-z0-9._~+/-]+=*/g, 'Bearer [redacted]'],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[jwt]'],
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{16,}/g, '[api key]'],
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, '[aws key]'],
  [/([?&](?:token|key|secret|password|signature|X-Amz-Signature)=)[^&\s"]+/gi, '$1[redacted]'],
];

/**
 * Keys pino writes before a line's fields: the same key among the fields would be a second
 * `level` or `time`, and log tools keep the last. (`msg` is pino's to merge: a lone `{msg}` is the message.)
 */
const PINO_KEYS = ['level', 'time'];

/** Renames fields that would repeat a key pino writes (`level` → `level_`). */
function unshadow(fields: Record<string, unknown>): Record<string, unknown> {
  if (!PINO_KEYS.some((k) => k in fields)) return fields;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[PINO_KEYS.includes(k) ? `${k}_` : k] = v;
  return out;
}

const MAX_DEPTH = 6;
const MAX_ITEMS = 100;

/**
 * The service's JSON logger. Every line carries the active trace's id (so a log line leads to its
 * trace) and goes through one scrubber before it is written: credential-named keys are replaced,
 * credential-shaped strings (bearer tokens, JWTs, API keys, signed-URL queries) are masked, and
 * personal data in any string (the customer's message, an error that quotes it) is masked by
 * the same finders the guardrails use. Errors are serialised first so their message and stack
 * are scrubbed too. Scrubbing runs on values before serialisation, never on the JSON line, so
 * numbers (epoch ms, ids) are never mistaken for a phone number and the line stays valid JSON.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const scrubText = (text: string): string => {
    if (text.length < 6) return text;
    let out = text;
    for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
    return opts.maskPersonalData(out);
  };
  const scrub = (value: unknown, key: string, depth: number): unknown => {
    if (typeof value === 'string') return SECRET_KEY.test(key) || PERSON_KEY.test(key) ? '[redacted]' : scrubText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[nested]';
    if (value instanceof Error) return scrub(pino.stdSerializers.err(value), key, depth);
    if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => scrub(v, key, depth + 1));
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, k, depth + 1);
    return out;
  };
  return pino(
    {
      level: opts.level,
      base: opts.base ?? { service: 'manga-assist' },
      // Lines written inside a traced call name the trace; the pipeline adds trace_id itself elsewhere.
      mixin() {
        const span = trace.getActiveSpan();
        if (!span) return {};
        const { traceId, spanId } = span.spanContext();
        return { trace_id: traceId, span_id: spanId };
      },
      formatters: {
        log: (obj) => unshadow(scrub(obj, '', 0) as Record<string, unknown>),
      },
      hooks: {
        // The message string itself ("failed for 4111 1111 ...") is scrubbed like any value.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
          return method.apply(this, scrubbed);
        },
      },
    },
    opts.destination,
  );
}
