// The guardrails' catalog title lists kept in DATA_DIR (src/guardrails/persisted-plans.ts): a
// restart gives exactly the verdicts of guardrails compiled afresh, and another catalog or a
// damaged file compiles them again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGuardrails, type StoreGuardrails } from '../../src/guardrails/guardrails.ts';
import { persistedCatalogPlans, GUARDRAIL_PLAN_FILE } from '../../src/guardrails/persisted-plans.ts';
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
