import { ChatError } from '../errors.ts';
import type { Customer } from '../chat/pipeline.ts';
import type { BucketRule, RateLimiter, TakeRequest } from './rate-limit/types.ts';
import type { Brownout } from './brownout.ts';

/** The limits of admission (configuration: RATE_*, GUEST_SESSIONS_*, LLM_*). */
export interface AdmissionRules {
  /** Per signed-in customer (member or Prime). */
  customer: BucketRule;
  /** Per guest session. */
  guest: BucketRule;
  /** New guest sessions per client address. */
  guestSessionsPerAddress: BucketRule;
  /** Global limit on messages entering the LLM path. */
  llm: BucketRule;
  /** Share of the LLM bucket each tier may not touch (Prime: none), so lower tiers are refused first. */
  llmReserve: { guest: number; member: number };
}

/** Who is knocking. */
export interface AdmissionRequest {
  customer: Customer;
  sessionId: string;
  /** Client address (socket, or X-Forwarded-For behind a trusted proxy). */
  address: string;
  signal?: AbortSignal;
}

/** Port used by every transport: refuses a message (ChatError) or lets it in. */
export interface Admission {
  admit(req: AdmissionRequest): Promise<void>;
}

export interface AdmissionDeps {
  limiter: RateLimiter;
  brownout: Brownout;
  rules: AdmissionRules;
  /** Told which bucket refused ('customer' | 'guest' | 'address' | 'llm') or which tier was shed. */
  onRefused?: (kind: 'rate_limited' | 'shed', label: string) => void;
  /**
   * Retry-After of a shed message, ms (then up to half of it again as jitter, so shed clients do
   * not return together). At least the brownout's dwell at a level: a retry sooner meets the same
   * level and is shed again. @default 2000
   */
  shedRetryMs?: number;
}

/**
 * Admission, in the order that costs least: brownout first (no I/O), then every token bucket of
 * the message in one limiter decision (one Redis round trip), all or nothing, so a refused
 * message is not charged anywhere.
 */
export function createAdmission(deps: AdmissionDeps): Admission {
  const { rules } = deps;
  const llmReserve = (c: Customer) => (c.kind === 'prime' ? 0 : Math.floor(rules.llm.capacity * (c.kind === 'guest' ? rules.llmReserve.guest : rules.llmReserve.member)));

  return {
    async admit(req) {
      const { customer } = req;
      if (deps.brownout.sheds(customer)) {
        deps.onRefused?.('shed', customer.kind);
        const wait = deps.shedRetryMs ?? 2000;
        throw new ChatError('unavailable', 'The assistant is very busy right now; please try again in a moment.', { retryAfterMs: wait + Math.floor(Math.random() * (wait / 2)) });
      }
      const requests: TakeRequest[] = [];
      if (customer.kind === 'guest' || !customer.customerId) {
        const session = `g:${req.sessionId}`;
        requests.push({ key: session, rule: rules.guest });
        // Only a session's first message spends the address's allowance of new sessions.
        requests.push({ key: `a:${req.address}`, rule: rules.guestSessionsPerAddress, onlyWhenNew: session });
      } else {
        requests.push({ key: `c:${customer.customerId}`, rule: rules.customer });
      }
      requests.push({ key: 'llm', rule: rules.llm, reserve: llmReserve(customer) });

      const decision = await deps.limiter.take(requests, { signal: req.signal });
      if (decision.allowed) return;
      const bucket = bucketOf(decision.deniedKey);
      deps.onRefused?.('rate_limited', bucket);
      throw new ChatError('rate_limited', REFUSALS[bucket], { retryAfterMs: Math.max(1, decision.retryAfterMs) });
    },
  };
}

type Bucket = 'customer' | 'guest' | 'address' | 'llm';

const REFUSALS: Record<Bucket, string> = {
  customer: 'You are sending messages faster than we can answer; please wait a moment.',
  guest: 'You are sending messages faster than we can answer; please wait a moment (signed-in customers have a higher limit).',
  address: 'Too many new chats from your network; please continue an existing chat or wait a moment.',
  llm: 'The assistant is very busy right now; please try again in a moment.',
};

function bucketOf(key: string | undefined): Bucket {
  if (key?.startsWith('c:')) return 'customer';
  if (key?.startsWith('g:')) return 'guest';
  if (key?.startsWith('a:')) return 'address';
  return 'llm';
}

/** "N per minute, burst B" as a token bucket; guest session buckets live as long as the session. */
export function perMinute(perMin: number, burst: number, idleTtlMs?: number): BucketRule {
  return { capacity: Math.max(1, burst), refillPerSec: perMin / 60, ...(idleTtlMs !== undefined ? { idleTtlMs } : {}) };
}
