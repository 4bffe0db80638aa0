import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parser } from '@prometheus-io/lezer-promql';
import { createMetrics } from '../../src/observability/metrics.ts';
import { scrapeMetrics, startTestServer, type TestServer } from '../helpers/server.ts';

// The ops files are only useful if Prometheus and Grafana accept them and if every query finds
// the series the service really exports: a renamed metric or label makes an alert silently
// never fire. These tests parse every expression with the official PromQL grammar and check
// each metric and label name against the running service's /metrics.

const RULES = new URL('../../ops/prometheus/mangaassist-alerts.yml', import.meta.url);
const DASHBOARD = new URL('../../ops/grafana/mangaassist-dashboard.json', import.meta.url);

type SyntaxNode = ReturnType<typeof parser.parse>['topNode'];

/** Series names the service exports, each with the label names its series may carry. */
type Catalog = Map<string, Set<string>>;

/** Labels Prometheus attaches at scrape time, valid on every series. */
const TARGET_LABELS = ['instance', 'job'];

/**
 * Reads the series names from the `# TYPE` lines of an exposition: a histogram `x` exports
 * x_bucket, x_sum and x_count (never `x` itself), a summary x, x_sum and x_count. Label names
 * come from the metric definitions (`labelNames`), because a labelled metric with no samples
 * prints no series to read them from.
 */
function catalogOf(exposition: string, labelNames: Map<string, string[]>): Catalog {
  const catalog: Catalog = new Map();
  for (const line of exposition.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (!m) continue;
    const [, name, type] = m;
    const labels = [...TARGET_LABELS, ...(labelNames.get(name) ?? [])];
    const add = (series: string, extra: string[] = []) => catalog.set(series, new Set([...labels, ...extra]));
    if (type === 'histogram') {
      add(`${name}_bucket`, ['le']);
      add(`${name}_sum`);
      add(`${name}_count`);
    } else if (type === 'summary') {
      add(name, ['quantile']);
      add(`${name}_sum`);
      add(`${name}_count`);
    } else if (type === 'counter' && !name.endsWith('_total')) {
      // OpenMetrics names the counter family without the suffix its samples carry.
      add(`${name}_total`);
    } else add(name);
  }
  return catalog;
}

function unquote(literal: string): string {
  if (literal.startsWith('"')) return JSON.parse(literal) as string;
  return literal.slice(1, -1);
}

function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const walk = (n: SyntaxNode) => {
    if (n.name === name) out.push(n);
    for (const c of childrenOf(n)) walk(c);
  };
  walk(node);
  return out;
}

/** One vector selector: its metric name (or a `__name__` regex) and its label matchers. */
interface Selector {
  name: string | null;
  nameRegex: string | null;
  matchers: { label: string; op: string; value: string }[];
  node: SyntaxNode;
}

function selectorsIn(expr: string, node: SyntaxNode): Selector[] {
  return descendants(node, 'VectorSelector').map((vs) => {
    const sel: Selector = { name: null, nameRegex: null, matchers: [], node: vs };
    const id = vs.getChild('Identifier');
    if (id) sel.name = expr.slice(id.from, id.to);
    for (const m of descendants(vs, 'UnquotedLabelMatcher')) {
      const label = m.getChild('LabelName');
      const op = m.getChild('MatchOp');
      const value = m.getChild('StringLiteral');
      if (!label || !op || !value) continue;
      sel.matchers.push({ label: expr.slice(label.from, label.to), op: expr.slice(op.from, op.to), value: unquote(expr.slice(value.from, value.to)) });
    }
    // Prometheus 3 also allows a quoted metric name alone in the braces: {"metric"}.
    for (const m of descendants(vs, 'QuotedLabelMatcher')) {
      const lit = m.getChild('StringLiteral');
      if (lit && !m.getChild('MatchOp')) sel.name = unquote(expr.slice(lit.from, lit.to));
    }
    const byName = sel.matchers.find((m) => m.label === '__name__');
    if (byName?.op === '=') sel.name = byName.value;
    else if (byName?.op === '=~') sel.nameRegex = byName.value;
    sel.matchers = sel.matchers.filter((m) => m.label !== '__name__');
    return sel;
  });
}

/** The result of checking one PromQL expression. */
interface ExprCheck {
  /** Everything wrong with it; empty when Prometheus would accept it and find its series. */
  problems: string[];
  /** Metric names it reads. */
  metrics: string[];
}

/**
 * Parses `expr` with the official PromQL grammar and checks every metric name (selector
 * identifier or `__name__` matcher), every matcher label and every by/without/on/ignoring label
 * against `catalog`. The same function checks the rules, the dashboard and the wrong examples.
 */
function checkExpr(expr: string, catalog: Catalog): ExprCheck {
  const problems: string[] = [];
  const tree = parser.parse(expr);
  tree.iterate({
    enter(n) {
      if (n.type.isError) problems.push(`syntax error at ${n.from}: ${JSON.stringify(expr.slice(Math.max(0, n.from - 20), n.from + 20))}`);
    },
  });
  if (problems.length > 0) return { problems, metrics: [] };
  const top = tree.topNode;
  const metrics = new Set<string>();
  const labelsOf = (node: SyntaxNode): Set<string> => {
    const labels = new Set<string>(TARGET_LABELS);
    for (const s of selectorsIn(expr, node)) for (const l of s.name ? (catalog.get(s.name) ?? []) : []) labels.add(l);
    return labels;
  };
  for (const s of selectorsIn(expr, top)) {
    if (s.nameRegex !== null) {
      const re = new RegExp(`^(?:${s.nameRegex})$`);
      const hits = [...catalog.keys()].filter((k) => re.test(k));
      if (hits.length === 0) problems.push(`no exported metric matches __name__=~${JSON.stringify(s.nameRegex)}`);
      hits.forEach((h) => metrics.add(h));
      continue;
    }
    if (s.name === null) {
      problems.push(`selector without a metric name: ${expr.slice(s.node.from, s.node.to)}`);
      continue;
    }
    metrics.add(s.name);
    const labels = catalog.get(s.name);
    if (!labels) {
      problems.push(`unknown metric ${s.name}`);
      continue;
    }
    for (const m of s.matchers) if (!labels.has(m.label)) problems.push(`${s.name} has no label ${m.label}`);
  }
  for (const agg of descendants(top, 'AggregateExpr')) {
    const modifier = agg.getChild('AggregateModifier');
    const body = agg.getChild('FunctionCallBody');
    if (!modifier || !body) continue;
    const allowed = labelsOf(body);
    for (const l of descendants(modifier, 'LabelName')) {
      const label = expr.slice(l.from, l.to);
      if (!allowed.has(label)) problems.push(`grouping label ${label} is on none of the aggregated series (${expr.slice(agg.from, agg.to)})`);
    }
  }
  for (const clause of descendants(top, 'MatchingModifierClause')) {
    const binary = clause.parent;
    if (!binary) continue;
    const allowed = labelsOf(binary);
    for (const l of descendants(clause, 'LabelName')) {
      const label = expr.slice(l.from, l.to);
      if (!allowed.has(label)) problems.push(`matching label ${label} is on none of the series`);
    }
  }
  if (metrics.size === 0) problems.push('reads no metric');
  return { problems, metrics: [...metrics] };
}

const COMPARISONS = new Set(['Gtr', 'Gte', 'Lss', 'Lte', 'Eql', 'Neq']);

/** Every `<expr> <comparison> <number>` in the expression, in order: the thresholds. */
function thresholdsOf(expr: string): [string, number][] {
  const out: [string, number][] = [];
  for (const b of descendants(parser.parse(expr).topNode, 'BinaryExpr')) {
    const op = childrenOf(b).find((c) => COMPARISONS.has(c.name));
    const right = b.lastChild;
    if (op && right?.name === 'NumberDurationLiteral') out.push([expr.slice(op.from, op.to), Number(expr.slice(right.from, right.to))]);
  }
  return out;
}

/** Every selector as `name{label op "value",...}` (matchers sorted), in order. */
function selectorStrings(expr: string): string[] {
  return selectorsIn(expr, parser.parse(expr).topNode).map((s) => {
    const m = s.matchers.map((x) => `${x.label}${x.op}${JSON.stringify(x.value)}`).sort();
    return m.length > 0 ? `${s.name}{${m.join(',')}}` : String(s.name);
  });
}

/** Range and offset windows used, e.g. ["1m", "1m"]. */
function windowsOf(expr: string): string[] {
  const top = parser.parse(expr).topNode;
  return [...descendants(top, 'MatrixSelector'), ...descendants(top, 'OffsetExpr')].flatMap((n) => {
    const d = n.getChild('DurationExpr') ?? n.getChild('OffsetDurationExpr');
    return d ? [expr.slice(d.from, d.to)] : [];
  });
}

/** Labels of the outermost `by (...)` aggregation: what a firing alert carries. */
function outerGroupingOf(expr: string): string[][] {
  return descendants(parser.parse(expr).topNode, 'AggregateExpr')
    .map((a) => a.getChild('AggregateModifier'))
    .filter((m): m is SyntaxNode => m !== null)
    .map((m) => descendants(m, 'LabelName').map((l) => expr.slice(l.from, l.to)));
}

/** Grafana expands these before the query reaches Prometheus. */
function expandGrafanaIntervals(expr: string): string {
  return expr.replace(/\$(?:\{__(?:rate_interval|interval|range)\}|__(?:rate_interval|interval|range)\b)/g, '5m');
}

/** Prometheus' duration format (model.ParseDuration). */
const DURATION = /^(0|(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?)$/;

/** The design's alarm table; the service evaluates the same rows under the same names. */
const ALARM_TABLE: Record<string, { severity: string; for: string; action: string; thresholds: [string, number][]; selectors: string[]; windows: string[]; grouping?: string[][] }> = {
  FirstTokenP99High: {
    severity: 'SEV-2',
    for: '5m',
    action: 'Page on-call',
    thresholds: [['>', 3]],
    selectors: ['mangaassist_first_token_seconds_bucket'],
    windows: ['1m'],
    grouping: [['le']],
  },
  ErrorRateHigh: {
    severity: 'SEV-2',
    for: '5m',
    action: 'Page on-call',
    thresholds: [['>', 0.01], ['>=', 20]],
    selectors: ['mangaassist_messages_total{outcome=~"failed|unanswered|interrupted"}', 'mangaassist_messages_total', 'mangaassist_messages_total'],
    windows: ['1m', '1m', '1m'],
  },
  GuardrailBlockRateHigh: {
    severity: 'SEV-3',
    for: '15m',
    action: 'Investigate prompt or content issue',
    thresholds: [['>', 0.1], ['>=', 20]],
    selectors: [
      'mangaassist_guardrail_checks_total{result="blocked",stage="input"}',
      'mangaassist_guardrail_checks_total{result="revised",stage="output"}',
      'mangaassist_guardrail_checks_total{stage="input"}',
      'mangaassist_guardrail_checks_total{stage="input"}',
    ],
    windows: ['1m', '1m', '1m', '1m'],
  },
  LlmTimeoutRateHigh: {
    severity: 'SEV-2',
    for: '5m',
    action: 'Check Bedrock quotas and fallback behavior',
    thresholds: [['>', 0.05], ['>=', 20]],
    selectors: ['mangaassist_llm_calls_total{outcome="timeout"}', 'mangaassist_llm_calls_total', 'mangaassist_llm_calls_total'],
    windows: ['1m', '1m', '1m'],
  },
  StoreThrottling: {
    severity: 'SEV-3',
    for: '0m',
    action: 'Review access patterns',
    // Any increase, or a throttle series born within the minute (its first event).
    thresholds: [['>', 0], ['>', 0]],
    selectors: ['mangaassist_store_throttles_total', 'mangaassist_store_throttles_total', 'mangaassist_store_throttles_total'],
    windows: ['1m', '1m'],
    grouping: [['instance', 'store'], ['instance', 'store']],
  },
  CircuitBreakerOpen: {
    severity: 'SEV-3',
    for: '0m',
    action: 'Investigate dependency health',
    thresholds: [['==', 1], ['==', 2]],
    selectors: ['mangaassist_circuit_state', 'mangaassist_circuit_state'],
    windows: [],
    grouping: [['instance', 'dependency'], ['instance', 'dependency']],
  },
  OpenChatsHigh: {
    severity: 'SEV-3',
    for: '0m',
    action: 'Pre-scale capacity',
    thresholds: [['>', 0.8], ['>', 0]],
    selectors: ['mangaassist_open_chats', 'mangaassist_open_chats_capacity'],
    windows: [],
  },
};

interface Rule {
  alert?: string;
  record?: string;
  expr?: unknown;
  for?: unknown;
  labels?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

interface Panel {
  id?: unknown;
  type?: string;
  title?: string;
  gridPos?: { h?: unknown; w?: unknown; x?: unknown; y?: unknown };
  datasource?: { type?: string; uid?: string };
  fieldConfig?: { defaults?: { unit?: unknown } };
  targets?: { refId?: string; expr?: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
}

describe('ops files: Prometheus alerting rules and Grafana dashboard', () => {
  let server: TestServer;
  let catalog: Catalog;
  let exposition: string;
  const rulesDoc = parseYaml(readFileSync(RULES, 'utf8')) as { groups?: { name?: unknown; interval?: unknown; rules?: Rule[] }[] };
  const rules = (rulesDoc.groups ?? []).flatMap((g) => g.rules ?? []);
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
    uid?: string;
    title?: string;
    schemaVersion?: number;
    templating?: { list?: { name?: string; type?: string; query?: unknown; definition?: string }[] };
    panels?: Panel[];
  };
  const allPanels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
  const dataPanels = allPanels.filter((p) => p.type !== 'row');

  before(async () => {
    server = await startTestServer();
    exposition = await scrapeMetrics(server.url);
    const defs = createMetrics().registry.getMetricsAsArray() as unknown as { name: string; labelNames?: string[] }[];
    catalog = catalogOf(exposition, new Map(defs.map((m) => [m.name, m.labelNames ?? []])));
  });

  after(async () => {
    await server?.close();
  });

  it('reads the catalog from the real /metrics: histogram series, counters ending in _total, every defined metric present', () => {
    assert.ok(catalog.has('mangaassist_messages_total'));
    assert.ok(catalog.has('mangaassist_first_token_seconds_bucket'));
    assert.ok(catalog.get('mangaassist_first_token_seconds_bucket')?.has('le'));
    assert.ok(!catalog.has('mangaassist_first_token_seconds'), 'a classic histogram has no series under its bare name');
    assert.deepEqual([...(catalog.get('mangaassist_guardrail_checks_total') ?? [])].sort(), ['instance', 'job', 'result', 'stage']);
    const counters = [...exposition.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1]);
    assert.ok(counters.length > 10);
    for (const c of counters) assert.match(c, /_total$/, `counter ${c}`);
    // A metric defined but never registered or exported would make its alarm blind.
    const defined = (createMetrics({ defaultMetrics: false }).registry.getMetricsAsArray() as unknown as { name: string }[]).map((m) => m.name);
    const exported = new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    assert.deepEqual(defined.filter((n) => !exported.has(n)), [], 'defined in metrics.ts but missing from /metrics');
  });

  it('the checker catches syntax errors, unknown metrics, unknown labels and unexpanded Grafana variables', () => {
    assert.deepEqual(checkExpr('sum by (outcome) (rate(mangaassist_messages_total{intent="greeting"}[1m]))', catalog).problems, []);
    const cases: [string, RegExp][] = [
      ['sum(rate(mangaassist_mesages_total[1m]))', /unknown metric mangaassist_mesages_total/],
      ['rate(mangaassist_first_token_seconds[1m])', /unknown metric mangaassist_first_token_seconds$/],
      ['{__name__="mangaassist_nope_total"}', /unknown metric mangaassist_nope_total/],
      ['{__name__=~"mangaassist_nope_.*"}', /no exported metric matches/],
      ['sum(rate(mangaassist_messages_total{outcom="failed"}[1m]))', /has no label outcom/],
      ['sum by (reason) (rate(mangaassist_messages_total[1m]))', /grouping label reason/],
      ['histogram_quantile(0.9, sum by (le) (rate(mangaassist_messages_total[1m])))', /grouping label le/],
      ['sum(rate(mangaassist_messages_total[1m])', /syntax error/],
      ['sum(rate(mangaassist_messages_total[$__rate_interval]))', /syntax error/],
      ['sum(rate(mangaassist_messages_total[1m])) >', /syntax error/],
      ['vector(1)', /reads no metric/],
    ];
    for (const [expr, problem] of cases) {
      const { problems } = checkExpr(expr, catalog);
      assert.ok(problems.some((p) => problem.test(p)), `${expr}: expected ${problem}, got ${JSON.stringify(problems)}`);
    }
    assert.deepEqual(checkExpr(expandGrafanaIntervals('sum(rate(mangaassist_messages_total{instance=~"$instance"}[$__rate_interval]))'), catalog).problems, []);
  });

  it('rules file has the structure Prometheus requires', () => {
    assert.ok(Array.isArray(rulesDoc.groups) && rulesDoc.groups.length > 0, 'groups');
    const groupNames = rulesDoc.groups.map((g) => g.name);
    assert.equal(new Set(groupNames).size, groupNames.length, 'group names are unique');
    for (const g of rulesDoc.groups) {
      assert.equal(typeof g.name, 'string');
      if (g.interval !== undefined) assert.match(String(g.interval), DURATION);
      assert.ok(Array.isArray(g.rules) && g.rules.length > 0, `rules of ${String(g.name)}`);
      for (const r of g.rules) {
        assert.equal(typeof r.alert, 'string', 'every rule is an alerting rule');
        assert.match(r.alert ?? '', /^[a-zA-Z_][a-zA-Z0-9_]*$/);
        assert.equal(r.record, undefined);
        assert.equal(typeof r.expr, 'string', `${r.alert}: expr`);
        assert.equal(typeof r.for, 'string', `${r.alert}: for is a duration string`);
        assert.match(String(r.for), DURATION, `${r.alert}: for`);
        assert.ok(['SEV-2', 'SEV-3'].includes(String(r.labels?.severity)), `${r.alert}: severity`);
        assert.equal(r.labels?.team, 'mangaassist', `${r.alert}: team`);
        for (const [k, v] of Object.entries({ ...r.labels, ...r.annotations })) {
          assert.match(k, /^[a-zA-Z_][a-zA-Z0-9_]*$/, `${r.alert}: label/annotation name ${k}`);
          assert.equal(typeof v, 'string', `${r.alert}: ${k} is a string`);
        }
        for (const k of ['summary', 'description', 'action', 'runbook', 'dashboard']) assert.ok(String(r.annotations?.[k] ?? '').length > 0, `${r.alert}: annotation ${k}`);
      }
    }
  });

  it('every rule expression parses and reads only metrics and labels the service exports', () => {
    for (const r of rules) {
      const { problems } = checkExpr(String(r.expr), catalog);
      assert.deepEqual(problems, [], `${r.alert}: ${String(r.expr)}`);
    }
  });

  it('the alerts are exactly the design table: names, severities, thresholds, windows, for, actions', () => {
    assert.deepEqual(rules.map((r) => r.alert).sort(), Object.keys(ALARM_TABLE).sort());
    for (const r of rules) {
      const want = ALARM_TABLE[String(r.alert)];
      const expr = String(r.expr);
      assert.equal(r.labels?.severity, want.severity, `${r.alert}: severity`);
      assert.equal(r.for, want.for, `${r.alert}: for`);
      assert.equal(r.annotations?.action, want.action, `${r.alert}: action`);
      assert.deepEqual(thresholdsOf(expr), want.thresholds, `${r.alert}: thresholds`);
      assert.deepEqual(selectorStrings(expr), want.selectors, `${r.alert}: selectors`);
      assert.deepEqual(windowsOf(expr), want.windows, `${r.alert}: windows`);
      if (want.grouping) assert.deepEqual(outerGroupingOf(expr), want.grouping, `${r.alert}: grouping`);
    }
    assert.match(String(rules.find((r) => r.alert === 'FirstTokenP99High')?.expr), /^histogram_quantile\(0\.99,/);
  });

  it('the table checks catch drift', () => {
    assert.notDeepEqual(thresholdsOf('sum(rate(mangaassist_llm_calls_total{outcome="timeout"}[1m])) / sum(rate(mangaassist_llm_calls_total[1m])) > 0.5'), ALARM_TABLE.LlmTimeoutRateHigh.thresholds);
    assert.notDeepEqual(selectorStrings('sum(rate(mangaassist_messages_total{outcome=~"failed"}[1m])) / sum(rate(mangaassist_messages_total[1m])) > 0.01'), ALARM_TABLE.ErrorRateHigh.selectors);
    assert.notDeepEqual(windowsOf('sum(rate(mangaassist_messages_total[5m]))'), ['1m']);
  });

  it('dashboard: importable JSON with uid, title, schema 39+, the data source as a variable', () => {
    assert.equal(dashboard.uid, 'mangaassist');
    assert.equal(dashboard.title, 'MangaAssist');
    assert.ok(typeof dashboard.schemaVersion === 'number' && dashboard.schemaVersion >= 39, `schemaVersion ${dashboard.schemaVersion}`);
    const vars = dashboard.templating?.list ?? [];
    const ds = vars.find((v) => v.name === 'DS_PROMETHEUS');
    assert.equal(ds?.type, 'datasource');
    assert.equal(ds?.query, 'prometheus');
    const instance = vars.find((v) => v.name === 'instance');
    const m = /^label_values\((\w+), instance\)$/.exec(String(instance?.definition));
    assert.ok(m, 'instance variable reads label_values(<metric>, instance)');
    assert.ok(catalog.has(m[1]), `instance variable reads ${m[1]}`);
  });

  it('dashboard: unique panel ids, gridPos inside 24 columns without overlaps, known panel types, units', () => {
    assert.ok(dataPanels.length >= 20, `${dataPanels.length} panels`);
    const ids = allPanels.map((p) => p.id);
    for (const id of ids) assert.ok(Number.isInteger(id), `panel id ${String(id)}`);
    assert.equal(new Set(ids).size, ids.length, 'panel ids are unique');
    const boxes: { title: string; x: number; y: number; w: number; h: number }[] = [];
    for (const p of allPanels) {
      const g = p.gridPos;
      assert.ok(g && [g.h, g.w, g.x, g.y].every((n) => Number.isInteger(n) && (n as number) >= 0), `${p.title}: gridPos`);
      const box = { title: String(p.title), x: g.x as number, y: g.y as number, w: g.w as number, h: g.h as number };
      assert.ok(box.w >= 1 && box.h >= 1 && box.x + box.w <= 24, `${p.title}: within 24 columns`);
      for (const o of boxes) {
        const overlap = box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h;
        assert.ok(!overlap, `${box.title} overlaps ${o.title}`);
      }
      boxes.push(box);
    }
    for (const p of dataPanels) {
      assert.ok(['timeseries', 'stat', 'table'].includes(String(p.type)), `${p.title}: type ${p.type}`);
      assert.ok(typeof p.title === 'string' && p.title.length > 0);
      assert.ok(typeof p.fieldConfig?.defaults?.unit === 'string' && p.fieldConfig.defaults.unit.length > 0, `${p.title}: unit`);
      assert.equal(p.datasource?.uid, '${DS_PROMETHEUS}', `${p.title}: data source`);
    }
  });

  it('dashboard: every query parses, reads exported metrics and labels, and honours the instance filter', () => {
    let queries = 0;
    for (const p of dataPanels) {
      assert.ok(Array.isArray(p.targets) && p.targets.length > 0, `${p.title}: targets`);
      const refIds = p.targets.map((t) => t.refId);
      assert.equal(new Set(refIds).size, refIds.length, `${p.title}: refIds unique`);
      for (const t of p.targets) {
        assert.equal(t.datasource?.uid, '${DS_PROMETHEUS}', `${p.title} ${t.refId}: data source`);
        const expr = expandGrafanaIntervals(String(t.expr));
        assert.deepEqual(checkExpr(expr, catalog).problems, [], `${p.title} ${t.refId}: ${t.expr}`);
        for (const s of selectorsIn(expr, parser.parse(expr).topNode)) {
          assert.ok(s.matchers.some((m) => m.label === 'instance' && m.op === '=~' && m.value === '$instance'), `${p.title} ${t.refId}: ${s.name} filters by $instance`);
        }
        queries++;
      }
    }
    assert.ok(queries >= dataPanels.length);
  });

  it("dashboard: panels cover the design's dashboard contents and every alarm's metric", () => {
    const titles = dataPanels.map((p) => String(p.title));
    const topics: [string, RegExp][] = [
      ['message volume', /^message volume$/i],
      ['latency percentiles', /first token latency percentiles/i],
      ['whole reply latency', /whole reply latency percentiles/i],
      ['intent distribution', /^intent distribution$/i],
      ['outcomes', /outcome/i],
      ['error rate', /^error rate$/i],
      ['errors by code', /errors by code/i],
      ['rate-limit refusals', /rate-limit refusals/i],
      ['LLM token usage', /token usage/i],
      ['LLM calls', /LLM calls/i],
      ['escalation rate', /^escalation rate$/i],
      ['segment latency', /^segment latency p95$/i],
      ['breaker states', /breaker states/i],
      ['cache hit ratio per cache', /cache hit ratio per cache/i],
      ['LLM pool utilisation', /LLM pool utilisation/i],
      ['LLM queue depth', /LLM queue depth/i],
      ['LLM pool wait', /LLM pool wait/i],
      ['guardrail blocks', /guardrail blocks/i],
      ['open chats vs capacity', /open chats vs capacity/i],
      ['connections', /connections/i],
      ['alarm states', /alarm states/i],
    ];
    for (const [topic, re] of topics) assert.ok(titles.some((t) => re.test(t)), `a panel for ${topic}`);
    const metricsOf = (p: Panel) => (p.targets ?? []).flatMap((t) => checkExpr(expandGrafanaIntervals(String(t.expr)), catalog).metrics);
    const byTitle = (re: RegExp) => dataPanels.filter((p) => re.test(String(p.title))).flatMap(metricsOf);
    assert.ok(byTitle(/^segment latency p95$/i).includes('mangaassist_segment_seconds_bucket'));
    assert.ok(byTitle(/^intent distribution$/i).includes('mangaassist_messages_total'));
    assert.ok(byTitle(/token usage/i).includes('mangaassist_llm_tokens_total'));
    assert.ok(byTitle(/alarm states/i).includes('mangaassist_alarm_state'));
    const onDashboard = new Set(dataPanels.flatMap(metricsOf));
    for (const r of rules) {
      for (const m of checkExpr(String(r.expr), catalog).metrics) assert.ok(onDashboard.has(m), `${r.alert} reads ${m}, which no panel shows`);
    }
  });
});
