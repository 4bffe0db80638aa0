import type { Config } from '../config.ts';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';
import type { Guards } from '../resilience/registry.ts';
import { createLocalEngine } from '../llm/local-engine.ts';
import { createSimEngine } from '../llm/sim-engine.ts';
import type { AnswerEngine } from '../llm/types.ts';
import type { ModelClient } from '../llm/providers/types.ts';
import { createEngineModelClient } from '../llm/providers/engine-client.ts';
import { buildPrompt } from '../llm/prompt.ts';
import { createRoutedEngine, type RoutedEvent } from '../llm/routing/routed-engine.ts';
import { createModelPool } from '../llm/routing/model-pool.ts';
import { createDowngradeMonitor } from '../llm/routing/downgrade.ts';
import { DEFAULT_DOWNGRADABLE, DEFAULT_ROUTES, parseRoutes } from '../llm/routing/routing-table.ts';
import { poolSize } from '../llm/routing/pool-sizing.ts';
import type { ModelPool, ModelTier } from '../llm/routing/types.ts';
import { createDnsCache } from '../llm/dns-cache.ts';
import { counterSeries, histogramSeries } from '../observability/bound-series.ts';

/** Model ids per provider when LLM_LARGE_MODEL / LLM_SMALL_MODEL are not set (the design: Sonnet and Haiku). */
const DEFAULT_MODELS: Record<Config['LLM_PROVIDER'], Record<ModelTier, string>> = {
  bedrock: { large: 'anthropic.claude-3-5-sonnet-20240620-v1:0', small: 'anthropic.claude-3-haiku-20240307-v1:0' },
  anthropic: { large: 'claude-sonnet-4-5', small: 'claude-haiku-4-5' },
  openai: { large: 'large', small: 'small' },
  sim: { large: 'sim-large', small: 'sim-small' },
  local: { large: 'local-large', small: 'local-small' },
};

/**
 * The answer engine of LLM_PROVIDER: two models (large and small), each with its connection
 * pool sized by the design's formula and a priority queue in front, routed per message, with
 * the DNS cache under every vendor connection. Vendor SDKs are loaded only when configured.
 */
export async function createAnswering(config: Config, ctx: { metrics: Metrics; logger: Logger; guards: Guards }): Promise<{ engine: AnswerEngine; pools: Record<ModelTier, ModelPool>; close(): Promise<void> }> {
  const { metrics, logger, guards } = ctx;
  const ids = {
    large: config.LLM_LARGE_MODEL ?? DEFAULT_MODELS[config.LLM_PROVIDER].large,
    small: config.LLM_SMALL_MODEL ?? DEFAULT_MODELS[config.LLM_PROVIDER].small,
  };
  const size = {
    large: config.LLM_POOL_LARGE || poolSize({ peakRps: config.LLM_PEAK_RPS, modelShare: config.LLM_SHARE_LARGE, latencyMs: config.LLM_LATENCY_LARGE_MS, headroom: config.LLM_POOL_HEADROOM }),
    small: config.LLM_POOL_SMALL || poolSize({ peakRps: config.LLM_PEAK_RPS, modelShare: config.LLM_SHARE_SMALL, latencyMs: config.LLM_LATENCY_SMALL_MS, headroom: config.LLM_POOL_HEADROOM }),
  };
  const dns = config.DNS_CACHE_TTL_MS > 0 ? createDnsCache({ ttlMs: config.DNS_CACHE_TTL_MS, onEvent: (result) => metrics.dnsLookups.inc({ result }) }) : undefined;
  const connection = (tier: ModelTier) => ({
    maxConnections: size[tier],
    lookup: dns?.lookup,
    idleTimeoutMs: config.LLM_STREAM_IDLE_MS,
    connectTimeoutMs: config.LLM_CONNECT_TIMEOUT_MS,
  });

  let models: Record<ModelTier, ModelClient>;
  const local = createLocalEngine();
  if (config.LLM_PROVIDER === 'local') {
    models = { large: createEngineModelClient(local, { provider: 'local', model: ids.large }), small: createEngineModelClient(local, { provider: 'local', model: ids.small }) };
  } else if (config.LLM_PROVIDER === 'sim') {
    const sim = (ttftMs: number, tokensPerSec: number) => createSimEngine({ inner: local, ttftMs, tokensPerSec, jitter: config.SIM_LLM_JITTER });
    models = {
      large: createEngineModelClient(sim(config.SIM_LLM_TTFT_MS, config.SIM_LLM_TOKENS_PER_SEC), { provider: 'sim', model: ids.large }),
      small: createEngineModelClient(sim(config.SIM_LLM_SMALL_TTFT_MS, config.SIM_LLM_SMALL_TOKENS_PER_SEC), { provider: 'sim', model: ids.small }),
    };
  } else if (config.LLM_PROVIDER === 'bedrock') {
    const { createBedrockClient } = await import('../llm/providers/bedrock.ts');
    const make = (tier: ModelTier) => createBedrockClient({ ...connection(tier), model: ids[tier], region: config.BEDROCK_REGION, baseUrl: config.BEDROCK_ENDPOINT });
    models = { large: make('large'), small: make('small') };
  } else if (config.LLM_PROVIDER === 'anthropic') {
    const { createAnthropicClient } = await import('../llm/providers/anthropic.ts');
    const make = (tier: ModelTier) => createAnthropicClient({ ...connection(tier), model: ids[tier], apiKey: config.ANTHROPIC_API_KEY!, baseUrl: config.ANTHROPIC_BASE_URL });
    models = { large: make('large'), small: make('small') };
  } else {
    const { createOpenAICompatibleClient } = await import('../llm/providers/openai-compatible.ts');
    const make = (tier: ModelTier) => createOpenAICompatibleClient({ ...connection(tier), model: ids[tier], apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_BASE_URL });
    models = { large: make('large'), small: make('small') };
  }

  // One checkout per model call: its wait observed through a series bound once per pool and priority (bound-series.ts).
  const waits = new Map<string, (value: number) => void>();
  const pool = (tier: ModelTier) =>
    createModelPool({
      name: tier,
      size: size[tier],
      queueLimit: { 1: config.LLM_QUEUE_P1, 2: config.LLM_QUEUE_P2 },
      maxWaitMs: { 1: config.LLM_WAIT_P1_MS, 2: config.LLM_WAIT_P2_MS },
      pressureQueue: config.LLM_PRESSURE_QUEUE,
      events: (e) => {
        if (e.type === 'checkout') {
          const key = `${tier}|${e.priority}`;
          let observe = waits.get(key);
          if (!observe) waits.set(key, (observe = histogramSeries(metrics.llmPoolWaitSeconds, { pool: tier, priority: `P${e.priority}` })));
          observe(e.waitedMs / 1000);
        } else metrics.llmPoolRejected.inc({ pool: tier, priority: `P${e.priority}`, reason: e.reason });
      },
    });
  const pools = { large: pool('large'), small: pool('small') };
  metrics.readLlmPools(() => (['large', 'small'] as const).map((tier) => ({ pool: tier, size: pools[tier].size, inUse: pools[tier].inUse(), queued: [pools[tier].queued(0), pools[tier].queued(1), pools[tier].queued(2)] })));

  const downgrade = createDowngradeMonitor({
    threshold: config.LLM_DOWNGRADE_THRESHOLD,
    enterAfter: config.LLM_DOWNGRADE_MINUTES,
    onChange: (active) => {
      metrics.llmDowngrade.set(active ? 1 : 0);
      logger.warn({ active }, active ? 'large model unhealthy: simple intents downgraded to the small model' : 'large model recovered: downgrade ended');
    },
  });
  // Four of these per message: each label set bound once (bound-series.ts), not validated and hashed by prom-client per call.
  const series = new Map<string, (by?: number) => void>();
  const count = (key: string, make: () => (by?: number) => void, by?: number) => {
    let inc = series.get(key);
    if (!inc) series.set(key, (inc = make()));
    inc(by);
  };
  const events = (e: RoutedEvent) => {
    if (e.type === 'route') {
      const labels = { route: e.info.route, reason: e.info.reason, priority: `P${e.info.priority}` };
      count(`route|${labels.route}|${labels.reason}|${labels.priority}`, () => counterSeries(metrics.llmRoutes, labels));
    } else if (e.type === 'call') {
      const labels = { model: e.model, priority: `P${e.priority}`, outcome: e.outcome };
      count(`call|${labels.model}|${labels.priority}|${labels.outcome}`, () => counterSeries(metrics.llmCalls, labels));
    } else {
      const input = { model: e.model, priority: `P${e.priority}`, direction: 'input' };
      const output = { ...input, direction: 'output' };
      count(`tokens|${input.model}|${input.priority}|input`, () => counterSeries(metrics.llmTokens, input), e.inputTokens);
      count(`tokens|${input.model}|${input.priority}|output`, () => counterSeries(metrics.llmTokens, output), e.outputTokens);
    }
  };
  const engine = createRoutedEngine({
    table: { routes: { ...DEFAULT_ROUTES, ...parseRoutes(config.LLM_ROUTES) }, downgradable: DEFAULT_DOWNGRADABLE },
    models,
    pools,
    guards: { large: guards.get('llm-large'), small: guards.get('llm-small') },
    templates: local,
    downgrade,
    prompt: (g) => buildPrompt(g, { historyMessages: config.LLM_HISTORY_MESSAGES, maxTokens: config.LLM_MAX_OUTPUT_TOKENS }),
    attemptTimeoutMs: config.LLM_ATTEMPT_TIMEOUT_MS,
    events,
  });
  logger.info({ provider: config.LLM_PROVIDER, models: ids, pools: size }, 'answer engine ready');
  return {
    engine,
    pools,
    async close() {
      await Promise.all([models.large.close?.(), models.small.close?.()]);
    },
  };
}
