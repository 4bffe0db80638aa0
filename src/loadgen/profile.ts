import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';

/** The intents of the wire contract; a profile's mix is keyed by them. */
export const INTENTS = [
  'product_search', 'product_question', 'recommendation', 'price_availability', 'order_status',
  'faq', 'promotion', 'chitchat', 'escalation', 'out_of_scope',
] as const;

/** One intent of the contract. */
export type IntentName = (typeof INTENTS)[number];

/** Folder of the shipped profiles (`--profile default` reads `loadgen/profiles/default.json`). */
export const PROFILES_DIR = fileURLToPath(new URL('../../loadgen/profiles/', import.meta.url));

const share = z.number().min(0).max(1);
const range = (unit: string) =>
  z.object({ min: z.number().min(0), max: z.number().min(0) })
    .refine((r) => r.min <= r.max, { message: `min must not exceed max (${unit})` });

/** A phase of the open arrival model; rates are sessions started per second. */
export const phaseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ramp'), from: z.number().min(0), to: z.number().min(0), durationS: z.number().positive(), peak: z.boolean().optional() }),
  z.object({ kind: z.literal('hold'), rate: z.number().min(0), durationS: z.number().positive(), peak: z.boolean().optional() }),
  z.object({ kind: z.literal('step'), rate: z.number().min(0), durationS: z.number().positive(), peak: z.boolean().optional() }),
  z.object({ kind: z.literal('spike'), rate: z.number().min(0), durationS: z.number().positive(), peak: z.boolean().optional() }),
]);

/** One phase as parsed from a profile or `--phases`. */
export type Phase = z.infer<typeof phaseSchema>;

const templates = z.object({ en: z.array(z.string().min(1)).min(1), ja: z.array(z.string().min(1)).min(1) });

/**
 * A traffic profile: who talks, about what, how often and for how long. Every field has a
 * default so a profile file only states what it changes; the shipped ones state everything so
 * they read as documentation.
 */
export const profileSchema = z.object({
  /** Shown in the result and the report. */
  name: z.string().min(1),
  description: z.string().default(''),
  /** Share of messages per intent (normalised, so they need not add up to exactly 1). */
  intentMix: z.partialRecord(z.enum(INTENTS), share)
    .refine((m) => Object.values(m).some((v) => (v ?? 0) > 0), { message: 'at least one intent needs a share above 0' }),
  /**
   * Message templates per intent and language. `{title}` becomes the session's series (its
   * Japanese title in Japanese sessions), `{volume}` a volume number, `{order}` an order id.
   */
  messages: z.partialRecord(z.enum(INTENTS), templates),
  /** Series that sessions talk about, weighted toward the top of the list (popularity). */
  series: z.array(z.object({ id: z.string().min(1), title: z.string().min(1), titleJa: z.string().min(1) })).min(1),
  /** Share of Japanese sessions (the rest are English). */
  japaneseShare: share.default(0.5),
  /** Messages per session (inclusive range). */
  sessionMessages: range('messages').default({ min: 3, max: 8 }).refine((r) => r.min >= 1, { message: 'a session sends at least one message' }),
  /** Think time before each message, ms (scaled by `--think-scale`). */
  thinkTimeMs: range('ms').default({ min: 2000, max: 8000 }),
  /** Signed-in customers: shares of members and Prime (the rest are guests), and who they are. */
  customers: z.object({
    memberShare: share.default(0),
    primeShare: share.default(0),
    accounts: z.array(z.object({
      id: z.string().min(1),
      tier: z.enum(['member', 'prime']),
      ageVerified: z.boolean().default(false),
      /** Order ids of this customer, for `{order}` in order-status messages. */
      orders: z.array(z.string()).default([]),
    })).default([]),
  }).refine((c) => c.memberShare + c.primeShare <= 1, { message: 'memberShare + primeShare must not exceed 1' })
    .default({ memberShare: 0, primeShare: 0, accounts: [] }),
  /** Viral bursts: at `atS` seconds, `sessions` extra sessions start within `overS` seconds, all about one series. */
  bursts: z.array(z.object({
    atS: z.number().min(0),
    sessions: z.number().int().positive(),
    overS: z.number().positive().default(1),
    seriesId: z.string().min(1),
    intents: z.array(z.enum(INTENTS)).min(1).default(['product_search', 'price_availability', 'product_question']),
  })).default([]),
  /** Service-level objectives (defaults from the design documents). */
  slo: z.object({
    p99TtftMs: z.number().positive().default(1500),
    peakP99TtftMs: z.number().positive().default(3000),
    errorRate: z.number().min(0).max(1).default(0.01),
  }).default({ p99TtftMs: 1500, peakP99TtftMs: 3000, errorRate: 0.01 }),
  /** Open-model phases (sessions started per second). */
  phases: z.array(phaseSchema).min(1),
  /** `uniform`: evenly spaced session starts (exact counts); `poisson`: random gaps at the same rate. */
  arrivals: z.enum(['uniform', 'poisson']).default('poisson'),
  /** A reply with no `end` within this long counts as a `timeout`. */
  messageTimeoutMs: z.number().positive().default(30_000),
}).superRefine((p, ctx) => {
  for (const [intent, s] of Object.entries(p.intentMix)) {
    if ((s ?? 0) > 0 && !p.messages[intent as IntentName]) ctx.addIssue({ code: 'custom', path: ['messages', intent], message: `intent "${intent}" has a share but no messages` });
  }
  for (const [i, b] of p.bursts.entries()) {
    if (!p.series.some((s) => s.id === b.seriesId)) ctx.addIssue({ code: 'custom', path: ['bursts', i, 'seriesId'], message: `unknown series "${b.seriesId}"` });
    for (const intent of b.intents) if (!p.messages[intent]) ctx.addIssue({ code: 'custom', path: ['bursts', i, 'intents'], message: `burst intent "${intent}" has no messages` });
  }
  if (p.customers.memberShare + p.customers.primeShare > 0) {
    for (const tier of ['member', 'prime'] as const) {
      const wanted = tier === 'member' ? p.customers.memberShare : p.customers.primeShare;
      if (wanted > 0 && !p.customers.accounts.some((a) => a.tier === tier)) ctx.addIssue({ code: 'custom', path: ['customers', 'accounts'], message: `${tier}Share > 0 but no ${tier} account` });
    }
  }
});

/** A validated profile with every default filled in. */
export type Profile = z.infer<typeof profileSchema>;

/** Thrown for an unreadable or invalid profile; the CLI turns it into exit code 2. */
export class ProfileError extends Error {}

/** Validates a parsed profile object; the error names every offending path. */
export function parseProfile(json: unknown, source = 'profile'): Profile {
  const parsed = profileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ProfileError(`${source} is invalid: ${issues}`);
  }
  return parsed.data;
}

/** Loads a profile by file path, or by name from `loadgen/profiles/` (`default`, `viral`). */
export function loadProfile(nameOrPath: string): Profile {
  const file = existsSync(nameOrPath) ? nameOrPath : join(PROFILES_DIR, nameOrPath.endsWith('.json') ? nameOrPath : `${nameOrPath}.json`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ProfileError(`profile "${nameOrPath}" not found (looked for ${file})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseProfile(json, file);
}
