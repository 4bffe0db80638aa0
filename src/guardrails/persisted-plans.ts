// The guardrails' catalog title lists kept in DATA_DIR between starts: folding and scanning every
// all-ages title of the 15,000-series import was, after training the classifier, the largest
// part of a restart. The lists are a pure function of the catalog's titles (restricted, all-ages,
// adult names with their ids) and of the code of guardrails.ts and the modules it imports (the
// term lists among them); all of it is the file's key (src/store/derived-file.ts), so a change
// to any of them computes them afresh, as does a file that fails its checks.
import { fileURLToPath } from 'node:url';
import type { CatalogPlan, CatalogPlanInputs, GuardrailsOptions } from './guardrails.ts';
import type { CatalogAudience } from './audience.ts';
import { loadOrBuild, sourcesOf, type DerivedCodec, type DerivedEvent } from '../store/derived-file.ts';

/** File name of the persisted lists in the derived-index directory. */
export const GUARDRAIL_PLAN_FILE = 'guardrail-titles.json';

/** The builder: guardrails.ts and every module it imports. */
const BUILDER = fileURLToPath(new URL('./guardrails.ts', import.meta.url));
let builderSource: string | undefined;

const codec: DerivedCodec<CatalogPlan> = {
  encode: (plan) => Buffer.from(JSON.stringify(plan), 'utf8'),
  decode(bytes) {
    const plan = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as CatalogPlan;
    const lists = [plan.kept, plan.safe, plan.named, plan.ordinary];
    return lists.every(Array.isArray) ? plan : undefined;
  },
};

/** File name of the persisted audience rule's result in the derived-index directory. */
export const GUARDRAIL_AUDIENCE_FILE = 'guardrail-audience.json';

type StoredAudience = { restrictedIds: string[]; restrictedTitles: string[]; allAgesTitles: string[]; restrictedByName: [string, string[]][] };

const audienceCodec: DerivedCodec<CatalogAudience> = {
  encode: (a) => Buffer.from(JSON.stringify({ ...a, restrictedIds: [...a.restrictedIds], restrictedByName: [...a.restrictedByName] } satisfies StoredAudience), 'utf8'),
  decode(bytes) {
    const a = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as StoredAudience;
    const lists = [a.restrictedIds, a.restrictedTitles, a.allAgesTitles, a.restrictedByName];
    if (!lists.every(Array.isArray)) return undefined;
    return { restrictedIds: new Set(a.restrictedIds), restrictedTitles: a.restrictedTitles, allAgesTitles: a.allAgesTitles, restrictedByName: new Map(a.restrictedByName) };
  },
};

// Audiences served for a catalog version (by their byName map): title lists computed from exactly
// that audience's lists are a function of the version and the code, so they are keyed by it too.
const versionOfAudience = new WeakMap<object, { version: string; audience: CatalogAudience }>();

/**
 * GuardrailsOptions.catalogAudience reading and writing `dir`, keyed by the catalog's version
 * (changed by any write to it) and the code of guardrails.ts with the modules it imports
 * (audience.ts among them). `catalogVersion` answers undefined when the series given may not be
 * that version's (a write came between): the rule is then applied and nothing stored.
 */
export function persistedCatalogAudience(dir: string, catalogVersion: () => string | undefined, onEvent?: (event: DerivedEvent) => void): NonNullable<GuardrailsOptions['catalogAudience']> {
  return (catalog, build) => {
    const version = catalogVersion();
    if (version === undefined) return build();
    const audience = loadOrBuild({
      dir,
      name: GUARDRAIL_AUDIENCE_FILE,
      key: [GUARDRAIL_AUDIENCE_FILE, (builderSource ??= sourcesOf(BUILDER)), `catalog ${version} ${catalog.length}`],
      build,
      codec: audienceCodec,
      onEvent,
    });
    versionOfAudience.set(audience.restrictedByName, { version, audience });
    return audience;
  };
}

/** GuardrailsOptions.catalogPlans reading and writing `dir`. */
export function persistedCatalogPlans(dir: string, onEvent?: (event: DerivedEvent) => void): NonNullable<GuardrailsOptions['catalogPlans']> {
  return (inputs: CatalogPlanInputs, build: () => CatalogPlan) => {
    // The lists of an audience served for a catalog version are keyed by that version, not by
    // hashing ~75,000 titles; any other lists by their contents.
    const known = versionOfAudience.get(inputs.byName);
    const fromVersion = known !== undefined && known.audience.restrictedTitles === inputs.restricted && known.audience.allAgesTitles === inputs.allAges;
    const inputKey = fromVersion ? [`audience of catalog ${known.version}`] : [JSON.stringify(inputs.restricted), JSON.stringify(inputs.allAges), JSON.stringify([...inputs.byName])];
    return loadOrBuild({
      dir,
      name: GUARDRAIL_PLAN_FILE,
      key: [GUARDRAIL_PLAN_FILE, (builderSource ??= sourcesOf(BUILDER)), ...inputKey],
      build,
      codec,
      onEvent,
    });
  };
}
