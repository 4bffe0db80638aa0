// The guardrails' catalog title lists kept in DATA_DIR (src/guardrails/persisted-plans.ts): a
// restart gives exactly the verdicts of guardrails compiled afresh, and another catalog or a
// damaged file compiles them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGuardrails, type StoreGuardrails } from '../../src/guardrails/guardrails.ts';
import { persistedCatalogAudience, persistedCatalogPlans, GUARDRAIL_AUDIENCE_FILE, GUARDRAIL_PLAN_FILE } from '../../src/guardrails/persisted-plans.ts';
import { parseMalCsv } from '../../src/catalog/mal-csv.ts';
import type { AudienceSeries } from '../../src/guardrails/audience.ts';
import type { Audience } from '../../src/guardrails/types.ts';
import type { DerivedEvent } from '../../src/store/derived-file.ts';

const root = join(import.meta.dirname, '../..');
const shipped = readFileSync(join(root, 'data/catalog/series.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AudienceSeries);
const imported = parseMalCsv(readFileSync(join(root, '../shared/data/mal_top_manga.csv'), 'utf8'));
const all = [...shipped, ...imported];

const guest: Audience = { language: 'en', kind: 'guest' };
const confirmed: Audience = { language: 'en', kind: 'member', ageConfirmed: true };
const texts = [
  'GANTZ:Gは高校生でも大丈夫？',
  'do you have Monster Girl?',
  'is monster musume in stock?',
  'do you have Shokubutsu Monster Musume Nikki vol 1?',
  'any good monster girl manga?',
  'Kyuukyoku!! Hentai Kamen vol 1',
  'Hentai Ouji to Warawanai Neko. is in stock',
  "I'm 17, can I buy Elfen Lied?",
  'ガンツって中学生でも読めますか？',
  'Blue Lock and Blue Exorcist are both in stock; thank you for asking!',
  'Gantz vol 1 is ¥700, and Koroshiya 1 is sold out.',
  'hentai manga',
  'How much is One Piece volume 1?',
];

/** Everything the catalog's title lists decide: text verdicts, names in messages, the card gate. */
function verdicts(g: StoreGuardrails): unknown[] {
  const sample = all.filter((_, i) => i % 97 === 0);
  return [
    ...texts.map((t) => [g.checkInput(t, guest), g.checkOutput(t, guest), g.checkOutput(t, confirmed), g.restrictedNamed(t)]),
    sample.map((s) => g.mayShow(s, guest)),
  ].map((v) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'ms' || k === 'elapsedMs' ? undefined : x))));
}

function open(dir: string, catalog: AudienceSeries[]): { g: StoreGuardrails; outcome: DerivedEvent['outcome'] } {
  const events: DerivedEvent[] = [];
  const g = createGuardrails({ catalog, catalogPlans: persistedCatalogPlans(dir, (e) => events.push(e)) });
  assert.equal(events.length, 1);
  return { g, outcome: events[0].outcome };
}

test('a restart reads the title lists and gives the verdicts of guardrails compiled afresh; another catalog or a damaged file compiles them again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardrail-plans-'));
  try {
    const fresh = verdicts(createGuardrails({ catalog: all }));
    const first = open(dir, all);
    assert.equal(first.outcome, 'built');
    assert.deepEqual(verdicts(first.g), fresh);
    const restart = open(dir, all);
    assert.equal(restart.outcome, 'loaded');
    assert.deepEqual(verdicts(restart.g), fresh);

    // One adult series fewer (Gantz:G removed): its name is no longer searched for.
    const fewer = all.filter((s) => s.title !== 'Gantz:G');
    const changed = open(dir, fewer);
    assert.equal(changed.outcome, 'stale');
    assert.deepEqual(verdicts(changed.g), verdicts(createGuardrails({ catalog: fewer })));
    assert.notDeepEqual(verdicts(changed.g), fresh);

    const file = join(dir, GUARDRAIL_PLAN_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0x01;
    writeFileSync(file, bytes);
    const damaged = open(dir, fewer);
    assert.equal(damaged.outcome, 'corrupt');
    assert.deepEqual(verdicts(damaged.g), verdicts(createGuardrails({ catalog: fewer })));
    assert.equal(open(dir, fewer).outcome, 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Guardrails over `catalog` with the audience and the lists kept in `dir` under catalog version `version` (undefined: a write came between). */
function openVersioned(dir: string, catalog: AudienceSeries[], version: string | undefined): { g: StoreGuardrails; outcomes: Record<string, DerivedEvent['outcome']> } {
  const outcomes: Record<string, DerivedEvent['outcome']> = {};
  const record = (e: DerivedEvent) => void (outcomes[e.name] = e.outcome);
  const g = createGuardrails({ catalog, catalogPlans: persistedCatalogPlans(dir, record), catalogAudience: persistedCatalogAudience(dir, () => version, record) });
  return { g, outcomes };
}

test('the audience rule is kept by catalog version with the lists: a restart gives the verdicts compiled afresh; a new version, a damaged file or no version applies it again', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guardrail-audience-'));
  try {
    const fresh = verdicts(createGuardrails({ catalog: all }));
    const first = openVersioned(dir, all, 'v1');
    assert.deepEqual(first.outcomes, { [GUARDRAIL_AUDIENCE_FILE]: 'built', [GUARDRAIL_PLAN_FILE]: 'built' });
    assert.deepEqual(verdicts(first.g), fresh);
    const restart = openVersioned(dir, all, 'v1');
    assert.deepEqual(restart.outcomes, { [GUARDRAIL_AUDIENCE_FILE]: 'loaded', [GUARDRAIL_PLAN_FILE]: 'loaded' });
    assert.deepEqual(verdicts(restart.g), fresh);

    // Gantz:G removed: a new version, both applied again, the verdicts those of the new catalog.
    const fewer = all.filter((s) => s.title !== 'Gantz:G');
    const changed = openVersioned(dir, fewer, 'v2');
    assert.deepEqual(changed.outcomes, { [GUARDRAIL_AUDIENCE_FILE]: 'stale', [GUARDRAIL_PLAN_FILE]: 'stale' });
    assert.deepEqual(verdicts(changed.g), verdicts(createGuardrails({ catalog: fewer })));
    assert.notDeepEqual(verdicts(changed.g), fresh);

    const file = join(dir, GUARDRAIL_AUDIENCE_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] ^= 0x01;
    writeFileSync(file, bytes);
    const damaged = openVersioned(dir, fewer, 'v2');
    assert.equal(damaged.outcomes[GUARDRAIL_AUDIENCE_FILE], 'corrupt');
    assert.deepEqual(verdicts(damaged.g), verdicts(createGuardrails({ catalog: fewer })));

    // No version (the series may not be that version's): the rule applied, nothing stored, the lists keyed by their contents.
    const unversioned = openVersioned(dir, all, undefined);
    assert.equal(unversioned.outcomes[GUARDRAIL_AUDIENCE_FILE], undefined);
    assert.equal(unversioned.outcomes[GUARDRAIL_PLAN_FILE], 'stale');
    assert.deepEqual(verdicts(unversioned.g), fresh);
    assert.equal(openVersioned(dir, fewer, 'v2').outcomes[GUARDRAIL_AUDIENCE_FILE], 'loaded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
