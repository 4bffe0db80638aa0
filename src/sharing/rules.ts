import type { Guardrails } from '../guardrails/types.ts';
import type { AudienceSeries } from '../guardrails/audience.ts';
import type { SnapshotRules } from './snapshot.ts';

/** Findings that keep a text from a stranger; personal data is masked instead (redact). */
const NOT_FOR_EVERYONE = new Set(['adult', 'age_restricted', 'abuse', 'prompt_injection']);

/**
 * The snapshot rules of the store: the guardrails' own finders and audience rule, applied as for
 * an anonymous guest (not signed in, age not confirmed), whoever the owner is — an age-confirmed
 * customer's conversation may name 18+ titles that a stranger must not be shown.
 */
export function guardrailRules(guardrails: Guardrails, catalog: { getSeriesMany(ids: string[]): Promise<AudienceSeries[]> }): SnapshotRules {
  return {
    redact: (text) => guardrails.redact(text),
    notForEveryone: (text, language) => guardrails.checkOutput(text, { language, kind: 'guest', ageConfirmed: false }).findings.some((f) => NOT_FOR_EVERYONE.has(f.category)),
    async seriesForEveryone(ids) {
      const found = await catalog.getSeriesMany(ids);
      return new Set(found.filter((s) => guardrails.mayShow(s, { language: 'en', kind: 'guest', ageConfirmed: false })).map((s) => s.id));
    },
  };
}
