import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry, AggregatorRegistry } from 'prom-client';
import { counterSeries, histogramSeries } from '../../src/observability/bound-series.ts';

// The same observations through prom-client's own API and through bound series must expose the
// same text and JSON (the scrape aggregates the JSON across workers).
function pair() {
  const make = () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['segment', 'kind'], buckets: [0.0005, 0.001, 0.0025, 0.01, 0.1, 1], registers: [registry] });
    const c = new Counter({ name: 'c_total', help: 'c', labelNames: ['dependency', 'outcome'], registers: [registry] });
    const plain = new Counter({ name: 'p_total', help: 'p', registers: [registry] });
    return { registry, h, c, plain };
  };
  return { api: make(), bound: make() };
}

const VALUES = [0, 0.0001, 0.0005, 0.00051, 0.001, 0.002, 0.0025, 0.05, 0.1, 0.99, 1, 1.5, 30];

test('bound series expose exactly what the public API does', async () => {
  const { api, bound } = pair();
  for (const [i, v] of VALUES.entries()) {
    const labels = { segment: i % 3 === 0 ? 'understand' : 'gather', kind: i % 2 ? 'a' : 'b' };
    api.h.observe(labels, v);
    histogramSeries(bound.h, labels)(v);
    // Label order in the object must not matter, as for prom-client.
    const cl = i % 2 ? { dependency: 'catalog', outcome: 'ok' } : { outcome: 'ok', dependency: 'memory' };
    api.c.inc(cl);
    counterSeries(bound.c, cl)();
    api.c.inc(cl, 2.5);
    counterSeries(bound.c, cl)(2.5);
    api.plain.inc();
    counterSeries(bound.plain, {})();
  }
  assert.equal(await bound.registry.metrics(), await api.registry.metrics());
  assert.deepEqual(await bound.registry.getMetricsAsJSON(), await api.registry.getMetricsAsJSON());
  const agg = async (r: Registry) => AggregatorRegistry.aggregate([await r.getMetricsAsJSON(), await r.getMetricsAsJSON()]).metrics();
  assert.equal(await agg(bound.registry), await agg(api.registry));
});

test('after reset, and for values prom-client refuses, bound series behave as the API', async () => {
  const { api, bound } = pair();
  const labels = { segment: 'memory', kind: 'x' };
  const obs = histogramSeries(bound.h, labels);
  const inc = counterSeries(bound.c, { dependency: 'd', outcome: 'ok' });
  obs(0.002);
  inc();
  bound.h.reset();
  bound.c.reset();
  obs(0.003);
  inc(0);
  inc();
  api.h.observe(labels, 0.003);
  api.c.inc({ dependency: 'd', outcome: 'ok' }, 0);
  api.c.inc({ dependency: 'd', outcome: 'ok' });
  assert.equal(await bound.registry.metrics(), await api.registry.metrics());
  assert.throws(() => obs(Number.NaN), /not a valid number/);
  assert.throws(() => inc(-1), /decrease/);
  assert.throws(() => counterSeries(bound.c, { dependency: 'd', nope: 'x' } as never)(), /not included in initial labelset/);
});
