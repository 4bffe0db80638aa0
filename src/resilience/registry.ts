import { createDependencyGuard, type GuardOptions, type ObservedGuard } from './guard.ts';
import type { GuardStatus } from './types.ts';

/** Guard options shared by every dependency (`dependency` is filled in per guard). */
export type GuardDefaults = Omit<GuardOptions, 'dependency'> & { dependency?: string };

/** Per-dependency changes to the shared options, section by section. */
export interface GuardOverride {
  retry?: Partial<Omit<GuardOptions['retry'], 'budget'>> & { budget?: Partial<GuardOptions['retry']['budget']> };
  breaker?: Partial<GuardOptions['breaker']>;
  bulkhead?: Partial<GuardOptions['bulkhead']>;
  events?: GuardOptions['events'];
}

/** Every dependency's guard, by name. */
export interface Guards {
  /** The guard of `name`; throws on a name that has none. */
  get(name: string): ObservedGuard;
  all(): ObservedGuard[];
  statuses(): GuardStatus[];
}

/**
 * One guard per dependency name, each with its own breaker, pool and retry budget, sharing the
 * fault injector. `defaults` is either the shared options or a function of the name that returns
 * them (for per-dependency values computed by the composition root); `overrides` then changes
 * single fields per dependency.
 */
export function createGuards<N extends string>(
  names: readonly N[],
  defaults: GuardDefaults | ((dependency: N) => GuardDefaults),
  overrides: Partial<Record<N, GuardOverride>> = {},
): Guards {
  for (const name of Object.keys(overrides)) {
    if (!names.includes(name as N)) throw new Error(`Guard override for unknown dependency "${name}"; known: ${names.join(', ')}`);
  }
  const guards = new Map<string, ObservedGuard>();
  for (const name of names) {
    if (guards.has(name)) throw new Error(`Dependency "${name}" is listed twice`);
    const base = typeof defaults === 'function' ? defaults(name) : defaults;
    if (base.dependency !== undefined && base.dependency !== name) throw new Error(`Guard options for "${name}" name another dependency, "${base.dependency}"`);
    const o: GuardOverride = overrides[name] ?? {};
    guards.set(
      name,
      createDependencyGuard({
        ...base,
        dependency: name,
        retry: { ...base.retry, ...o.retry, budget: { ...base.retry.budget, ...o.retry?.budget } },
        breaker: { ...base.breaker, ...o.breaker },
        bulkhead: { ...base.bulkhead, ...o.bulkhead },
        events: o.events ?? base.events,
      }),
    );
  }
  return {
    get(name) {
      const guard = guards.get(name);
      if (!guard) throw new Error(`No guard for dependency "${name}"; known: ${names.join(', ')}`);
      return guard;
    },
    all: () => [...guards.values()],
    statuses: () => [...guards.values()].map((g) => g.status()),
  };
}
