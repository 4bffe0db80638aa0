import pino from 'pino';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Metrics } from '../observability/metrics.ts';
import { createInProcessLimiter } from '../admission/rate-limit/in-process-limiter.ts';
import { createRedisLimiter } from '../admission/rate-limit/redis-limiter.ts';
import { createFallbackLimiter } from '../admission/rate-limit/fallback-limiter.ts';
import type { RateLimiter, TakeRequest } from '../admission/rate-limit/types.ts';
import { createAdmission, perMinute, type Admission } from '../admission/admission.ts';
import { createBrownout, type Brownout } from '../admission/brownout.ts';
import { createJwtAuthenticator, signCustomerToken, type Authenticator, type CustomerClaims } from '../admission/auth.ts';
import { jwtSecret } from './secrets.ts';

/** Who a customer is: tokens verified (HS256 with the service's secret, or the identity provider's JWKS) and signed. */
export interface CustomerAuth {
  auth: Authenticator;
  /** Signs a 2-hour customer token with the service's secret (demo sign-in, tests, load generator). */
  signToken(claims: CustomerClaims): Promise<string>;
}

/** Customer authentication (AUTH_*): the HS256 secret is AUTH_JWT_SECRET or kept in DATA_DIR (secrets.ts). */
export function createCustomerAuth(config: Config, dataDir: string): CustomerAuth {
  const secret = jwtSecret(config, dataDir);
  const signToken = (claims: CustomerClaims) => signCustomerToken(secret, claims, '2h', { issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE });
  const auth = createJwtAuthenticator({
    hs256Secret: secret,
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE,
    maxLifetimeSec: config.AUTH_JWT_MAX_LIFETIME_MS / 1000,
    clockToleranceSec: config.AUTH_JWT_CLOCK_TOLERANCE_MS / 1000,
  });
  return { auth, signToken };
}

/** Admission: brownout, then token buckets (in-process, or Redis with a local fallback). */
export async function createAdmissionControl(config: Config, metrics: Metrics, logger: pino.Logger): Promise<{ brownout: Brownout; limiter: RateLimiter; admission: Admission }> {
  const brownout = createBrownout({
    lagMs: config.BROWNOUT_LAG_MS,
    maxInFlight: config.MAX_INFLIGHT_MESSAGES,
    minUtilization: config.BROWNOUT_MIN_UTILIZATION,
    minInFlight: config.BROWNOUT_LAG_MIN_INFLIGHT,
    lagExitRatio: config.BROWNOUT_EXIT_RATIO,
    inFlightExitRatio: config.BROWNOUT_INFLIGHT_EXIT_RATIO,
    minDwellMs: config.BROWNOUT_MIN_DWELL_MS,
    lagHalfLifeMs: config.BROWNOUT_LAG_HALF_LIFE_MS,
    startGraceMs: config.BROWNOUT_START_GRACE_MS,
    startDwellMs: config.BROWNOUT_START_DWELL_MS,
    onChange: ({ to, ...why }) => {
      metrics.brownoutLevel.set(to);
      metrics.brownoutTransitions.inc({ from: why.from, to });
      // Not `level`: pino writes its own, and log tools read the last of two equal keys. The
      // signal values say why: { from, cause, lagP99Ms, utilization, peakInFlight, lagSmoothedMs, inFlight, heldMs }.
      logger.warn({ brownoutLevel: to, ...why }, 'brownout level changed');
    },
    onSkipped: (dependency) => metrics.brownoutSkipped.inc({ dependency }),
  });
  const limiter = await createLimiter(config, metrics, logger);
  const admission = createAdmission({
    limiter,
    brownout,
    rules: {
      customer: perMinute(config.RATE_CUSTOMER_PER_MIN, config.RATE_CUSTOMER_BURST),
      guest: perMinute(config.RATE_GUEST_PER_MIN, config.RATE_GUEST_BURST, config.SESSION_IDLE_TTL_MS),
      guestSessionsPerAddress: perMinute(config.GUEST_SESSIONS_PER_ADDRESS_PER_MIN, config.GUEST_SESSIONS_PER_ADDRESS_BURST),
      llm: { capacity: Math.max(1, config.LLM_BURST), refillPerSec: config.LLM_RATE_PER_SEC },
      llmReserve: { guest: config.LLM_RESERVE_GUEST, member: config.LLM_RESERVE_MEMBER },
    },
    onRefused: (kind, label) => (kind === 'shed' ? metrics.shed.inc({ tier: label }) : metrics.rateLimited.inc({ bucket: label })),
    // A level is held at least its dwell time: telling shed clients to come back sooner only sheds them again.
    shedRetryMs: Math.max(2000, config.BROWNOUT_MIN_DWELL_MS),
  });
  return { brownout, limiter, admission };
}

/**
 * The rate limiter of RATE_LIMIT_BACKEND. Redis is wrapped in a local fallback: when Redis is
 * unreachable the node keeps limiting on its own (its share of the global LLM limit), never
 * refusing everyone and never letting everyone through, and says so in its metrics.
 */
export async function createLimiter(config: Config, metrics: Metrics, logger: pino.Logger): Promise<RateLimiter> {
  if (config.RATE_LIMIT_BACKEND === 'memory') return createInProcessLimiter();
  // ioredis is loaded only when Redis is configured: importing it cost ~45 ms of every start (issue 16: cold start).
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.REDIS_URL, {
    // Fail fast instead of queueing commands while disconnected: the fallback decides meanwhile.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: false,
  });
  redis.on('error', (err) => logger.debug({ err }, 'redis error'));
  // A node that takes traffic before its first connection is up would decide every early message
  // locally (commands fail fast while connecting); wait for it briefly, then start anyway: Redis
  // being down at start-up is the fallback's job, not a reason not to serve.
  if (!(await connectedWithin(redis, REDIS_CONNECT_WAIT_MS))) logger.warn({ waitedMs: REDIS_CONNECT_WAIT_MS }, 'rate limits: Redis not reachable at start-up, deciding locally until it answers');
  const limiter = createFallbackLimiter({
    primary: createRedisLimiter({ redis }),
    local: createInProcessLimiter(),
    timeoutMs: config.RATE_LIMIT_REDIS_TIMEOUT_MS,
    retryPrimaryAfterMs: config.RATE_LIMIT_REDIS_RETRY_MS,
    // A node's share of the global bucket: capacity, refill and the tier reserves all scaled
    // alike, or a reserve sized for the whole bucket would refuse every guest from the share.
    localRule: (req) => (req.key === 'llm' ? shareOf(req, config.RATE_LIMIT_NODES) : req),
    onModeChange: (mode, err) => {
      metrics.limiterFallback.set(mode === 'fallback' ? 1 : 0);
      if (mode === 'fallback') logger.error({ err }, 'rate limits: Redis unreachable, deciding locally');
      else logger.warn('rate limits: Redis is back');
    },
  });
  return {
    name: limiter.name,
    async take(requests, opts) {
      const before = limiter.fallbackDecisions();
      const d = await limiter.take(requests, opts);
      if (limiter.fallbackDecisions() > before) metrics.limiterFallbackDecisions.inc();
      return d;
    },
    async close() {
      await limiter.close();
      redis.disconnect();
    },
    mode: () => limiter.mode(),
  } as RateLimiter & { mode(): string };
}

/** How long start-up waits for the rate limiter's first Redis connection. */
const REDIS_CONNECT_WAIT_MS = 2000;

/** Resolves true once `redis` is ready, false if it is not within `ms`. */
function connectedWithin(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    redis.on('ready', onReady);
  });
}

/** One node's share of a global bucket decision when Redis is out of reach. */
export function shareOf(req: TakeRequest, nodes: number): TakeRequest {
  const capacity = Math.max(1, Math.floor(req.rule.capacity / nodes));
  const reserve = req.reserve === undefined ? undefined : Math.floor((req.reserve * capacity) / req.rule.capacity);
  return { ...req, rule: { ...req.rule, capacity, refillPerSec: req.rule.refillPerSec / nodes }, ...(reserve !== undefined ? { reserve } : {}) };
}
