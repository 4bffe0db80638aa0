// The guardrails' catalog title lists kept in DATA_DIR between starts: folding and scanning every
// all-ages title of the 15,000-series import was, after training the classifier, the largest
// part of a restart. The lists are a pure function of the catalog's titles (restricted, all-ages,
// adult names with their ids) and of the code of guardrails.ts and the modules it imports (the
// term lists among them); all of it is the file's key (src/store/derived-file.ts), so a change
// to any of them computes them afresh, as does a file that fails its checks.
import { fileURLToPath } from 'node:url';
import type { CatalogPlan, CatalogPlanInputs, GuardrailsOptions } from './guardrails.ts';
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

/** GuardrailsOptions.catalogPlans reading and writing `dir`. */
export function persistedCatalogPlans(dir: string, onEvent?: (event: DerivedEvent) => void): NonNullable<GuardrailsOptions['catalogPlans']> {
  return (inputs: CatalogPlanInputs, build: () => CatalogPlan) =>
    loadOrBuild({
      dir,
      name: GUARDRAIL_PLAN_FILE,
      key: [GUARDRAIL_PLAN_FILE, (builderSource ??= sourcesOf(BUILDER)), JSON.stringify(inputs.restricted), JSON.stringify(inputs.allAges), JSON.stringify([...inputs.byName])],
      build,
      codec,
      onEvent,
    });
}
