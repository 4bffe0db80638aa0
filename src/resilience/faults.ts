import { z } from 'zod';
import { abortableSleep, untilAborted } from './abort.ts';
import type { FaultSpec } from './types.ts';

/** An error injected on purpose; guards treat it exactly like the dependency's own errors. */
export class InjectedFault extends Error {
  readonly dependency: string;
  readonly kind: 'down' | 'error';
  constructor(dependency: string, kind: 'down' | 'error') {
    super(kind === 'down' ? `${dependency}: injected fault: down` : `${dependency}: injected fault: error`);
    this.name = 'InjectedFault';
    this.dependency = dependency;
    this.kind = kind;
  }
}

/** Body of PUT /v1/admin/faults/:dependency; unknown keys are refused so typos do not pass silently. */
export const faultSpecSchema = z.strictObject({
  latencyMs: z.number().min(0).max(60_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  timeoutRate: z.number().min(0).max(1).optional(),
  down: z.boolean().optional(),
});

/** Faults injected per dependency, applied before every attempt. */
export interface FaultInjector {
  /** Replaces the fault of `dependency`. Throws on an invalid spec. */
  set(dependency: string, spec: FaultSpec): void;
  /** Removes the fault of `dependency`, or every fault. */
  clear(dependency?: string): void;
  get(dependency: string): FaultSpec | undefined;
  list(): Record<string, FaultSpec>;
  /** Attempts made while a fault was set, per dependency: whether a drill's fault reaches calls in this process. */
  injected(): Record<string, number>;
  /**
   * Runs before each attempt: `down` throws at once; otherwise waits `latencyMs`, then hangs
   * until `signal` aborts with probability `timeoutRate`, else throws with probability `errorRate`.
   */
  apply(dependency: string, signal: AbortSignal): Promise<void>;
}

/** Options of the fault injector; both are for deterministic tests. */
export interface FaultInjectorOptions {
  /** @default Math.random */
  random?: () => number;
  /** Abortable wait for the injected latency. @default a timer */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Creates an empty fault injector. */
export function createFaultInjector(opts: FaultInjectorOptions = {}): FaultInjector {
  const random = opts.random ?? Math.random;
  const sleep = opts.sleep ?? abortableSleep;
  const faults = new Map<string, FaultSpec>();
  const met = new Map<string, number>();
  return {
    set(dependency, spec) {
      const parsed = faultSpecSchema.safeParse(spec);
      if (!parsed.success) throw new RangeError(`Invalid fault for "${dependency}": ${formatIssues(parsed.error)}`);
      faults.set(dependency, stripUndefined(parsed.data));
    },
    clear(dependency) {
      if (dependency === undefined) faults.clear();
      else faults.delete(dependency);
    },
    get: (dependency) => {
      const spec = faults.get(dependency);
      return spec && { ...spec };
    },
    list: () => Object.fromEntries([...faults].map(([name, spec]) => [name, { ...spec }])),
    injected: () => Object.fromEntries(met),
    async apply(dependency, signal) {
      // Read once: an admin change mid-attempt applies from the next attempt on.
      const spec = faults.get(dependency);
      if (!spec) return;
      met.set(dependency, (met.get(dependency) ?? 0) + 1);
      if (spec.down) throw new InjectedFault(dependency, 'down');
      if (spec.latencyMs) await sleep(spec.latencyMs, signal);
      // random() is drawn only for a rate that is set, so a seeded sequence means the same thing
      // whichever other faults are configured.
      if (spec.timeoutRate && random() < spec.timeoutRate) await untilAborted(signal);
      if (spec.errorRate && random() < spec.errorRate) throw new InjectedFault(dependency, 'error');
    },
  };
}

const KEYS: Record<string, keyof FaultSpec> = { latency: 'latencyMs', error: 'errorRate', timeout: 'timeoutRate', down: 'down' };
const NAME = /^[A-Za-z][\w-]*$/;

/**
 * Parses the FAULTS setting: `catalog:latency=2000;orders:error=0.5;reranker:down;memory:timeout=0.1,latency=50`.
 * Dependencies are separated by `;`, settings by `,`; `down` may also be written `down=true|false`.
 * Throws an Error naming the offending part.
 */
export function parseFaults(text: string): Record<string, FaultSpec> {
  const out: Record<string, FaultSpec> = {};
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (!entry) continue;
    const colon = entry.indexOf(':');
    if (colon < 0) throw new Error(`Bad fault "${entry}": expected <dependency>:<setting>[,<setting>], e.g. catalog:latency=2000`);
    const name = entry.slice(0, colon).trim();
    if (!NAME.test(name)) throw new Error(`Bad fault "${entry}": "${name}" is not a dependency name`);
    if (Object.hasOwn(out, name)) throw new Error(`Bad fault "${entry}": "${name}" is given twice`);
    const spec: Record<string, unknown> = {};
    for (const part of entry.slice(colon + 1).split(',')) {
      const setting = part.trim();
      const eq = setting.indexOf('=');
      const key = (eq < 0 ? setting : setting.slice(0, eq)).trim();
      const value = eq < 0 ? undefined : setting.slice(eq + 1).trim();
      const field = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
      if (!field) throw new Error(`Bad fault "${entry}": unknown setting "${key}"; known: ${Object.keys(KEYS).join(', ')}`);
      if (field in spec) throw new Error(`Bad fault "${entry}": "${key}" is given twice`);
      if (field === 'down') {
        if (value !== undefined && value !== 'true' && value !== 'false') throw new Error(`Bad fault "${entry}": down takes no value, or true/false`);
        spec.down = value !== 'false';
        continue;
      }
      const n = value === undefined || value === '' ? NaN : Number(value);
      if (!Number.isFinite(n)) throw new Error(`Bad fault "${entry}": "${key}" needs a number, e.g. ${key}=${key === 'latency' ? '2000' : '0.5'}`);
      spec[field] = n;
    }
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) throw new Error(`Bad fault "${entry}": ${formatIssues(parsed.error)}`);
    out[name] = stripUndefined(parsed.data);
  }
  return out;
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'spec'} ${i.message}`).join('; ');
}

function stripUndefined(spec: FaultSpec): FaultSpec {
  return Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) as FaultSpec;
}
