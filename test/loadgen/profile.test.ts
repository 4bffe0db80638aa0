import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfile, parseProfile, ProfileError, PROFILES_DIR } from '../../src/loadgen/profile.ts';
import { parseDurationMs, parsePhases, UsageError, isPeak } from '../../src/loadgen/phases.ts';
import { createRng } from '../../src/loadgen/random.ts';
import { planSession } from '../../src/loadgen/traffic.ts';

const DISCOVERY = ['product_search', 'product_question', 'recommendation'] as const;

test('the shipped profiles parse, with the design documents\' traffic shape', () => {
  for (const name of ['default', 'viral']) {
    const p = loadProfile(name);
    assert.equal(p.name, name);
    const total = Object.values(p.intentMix).reduce((a, b) => a + (b ?? 0), 0);
    const discovery = DISCOVERY.reduce((a, k) => a + (p.intentMix[k] ?? 0), 0) / total;
    assert.ok(Math.abs(discovery - 0.6) < 0.001, `discovery share ${discovery}`);
    assert.ok(Math.abs((p.intentMix.faq ?? 0) / total - 0.15) < 0.001);
    assert.ok(Math.abs((p.intentMix.price_availability ?? 0) / total - 0.1) < 0.001);
    assert.ok(Math.abs((p.intentMix.order_status ?? 0) / total - 0.05) < 0.001);
    assert.deepEqual(p.sessionMessages, { min: 3, max: 8 });
    assert.deepEqual(p.slo, { p99TtftMs: 1500, peakP99TtftMs: 3000, errorRate: 0.01 });
    assert.deepEqual(p.customers.accounts.map((a) => a.id), ['cust-1001', 'cust-1002', 'cust-1003', 'cust-1004', 'cust-1005', 'cust-1006']);
  }
  const viral = loadProfile('viral');
  assert.ok(viral.bursts.length > 0 && viral.bursts.every((b) => b.seriesId === 'chainsaw-man'));
  assert.ok(viral.phases.some((p) => isPeak(p)));
});

test('profile series are real catalog series with their real titles', () => {
  const catalog = new Map(readFileSync(new URL('../../data/catalog/series.jsonl', import.meta.url), 'utf8').trim().split('\n').map((l) => {
    const s = JSON.parse(l) as { id: string; title: string; titleEn?: string; titleJa: string };
    return [s.id, s];
  }));
  for (const s of loadProfile('default').series) {
    const real = catalog.get(s.id);
    assert.ok(real, `${s.id} is in the catalog`);
    assert.ok(s.title === real.title || s.title === real.titleEn, s.title);
    assert.equal(s.titleJa, real.titleJa);
  }
});

test('a profile file can be given by path, and a missing one is a ProfileError', () => {
  assert.equal(loadProfile(join(PROFILES_DIR, 'viral.json')).name, 'viral');
  assert.throws(() => loadProfile('no-such-profile'), ProfileError);
});

test('invalid profiles are refused with the offending path', () => {
  const base = JSON.parse(readFileSync(join(PROFILES_DIR, 'default.json'), 'utf8'));
  const bad = (patch: (p: any) => void, pattern: RegExp) => {
    const p = structuredClone(base);
    patch(p);
    assert.throws(() => parseProfile(p), (e: Error) => e instanceof ProfileError && pattern.test(e.message), pattern.source);
  };
  bad((p) => (p.sessionMessages = { min: 9, max: 3 }), /sessionMessages/);
  bad((p) => (p.intentMix.out_of_scope = 0.1), /messages\.out_of_scope/);
  bad((p) => (p.intentMix = { faq: 0 }), /intentMix/);
  bad((p) => (p.bursts = [{ atS: 1, sessions: 5, seriesId: 'not-a-series' }]), /bursts\.0\.seriesId/);
  bad((p) => (p.phases = [{ kind: 'ramp', from: 0, durationS: 10 }]), /phases\.0/);
  bad((p) => (p.phases = []), /phases/);
  bad((p) => (p.customers.accounts = p.customers.accounts.filter((a: any) => a.tier !== 'prime')), /prime/);
  bad((p) => (p.japaneseShare = 1.5), /japaneseShare/);
  // Defaults fill in what a small profile leaves out.
  const small = parseProfile({ name: 's', intentMix: { faq: 1 }, messages: { faq: { en: ['hi'], ja: ['こんにちは'] } }, series: [base.series[0]], phases: [{ kind: 'hold', rate: 1, durationS: 1 }] });
  assert.deepEqual(small.thinkTimeMs, { min: 2000, max: 8000 });
  assert.equal(small.slo.p99TtftMs, 1500);
});

test('--phases and durations parse; bad ones are usage errors', () => {
  assert.deepEqual(parsePhases('ramp:0-50:30s,hold:50:1m,spike:200:10s,step:20:500ms:peak'), [
    { kind: 'ramp', from: 0, to: 50, durationS: 30, peak: undefined },
    { kind: 'hold', rate: 50, durationS: 60, peak: undefined },
    { kind: 'spike', rate: 200, durationS: 10, peak: undefined },
    { kind: 'step', rate: 20, durationS: 0.5, peak: true },
  ]);
  assert.equal(parseDurationMs('90'), 90_000);
  for (const bad of ['ramp:50:30s', 'hold:x:10s', 'hold:5:0s', 'burst:5:10s', 'hold:5:10s:hot', 'hold:-1:5s', '']) {
    assert.throws(() => parsePhases(bad), UsageError, bad);
  }
  assert.throws(() => parseDurationMs('10 minutes'), UsageError);
});

test('sessions: seeded, 3-8 messages about one series in one language, intent mix as configured', () => {
  const p = loadProfile('default');
  const a = planSession(p, createRng(42), 1);
  assert.deepEqual(planSession(p, createRng(42), 1), a);
  const rng = createRng(3);
  const intents = new Map<string, number>();
  let ja = 0;
  let signedIn = 0;
  let messages = 0;
  const n = 3000;
  for (let i = 0; i < n; i++) {
    const s = planSession(p, rng, 0.5);
    assert.ok(s.messages.length >= 3 && s.messages.length <= 8);
    const series = p.series.find((x) => x.id === s.seriesId)!;
    if (s.language === 'ja') ja++;
    if (s.account) signedIn++;
    for (const m of s.messages) {
      messages++;
      intents.set(m.intent, (intents.get(m.intent) ?? 0) + 1);
      assert.ok(m.thinkMs >= 1000 && m.thinkMs <= 4000, 'think time scaled by 0.5');
      assert.ok(!/\{(title|volume|order)\}/.test(m.text), m.text);
      if (m.text.includes(series.title)) assert.equal(s.language, 'en');
      if (m.text.includes(series.titleJa) && series.titleJa !== series.title) assert.equal(s.language, 'ja');
    }
  }
  assert.ok(Math.abs(ja / n - 0.5) < 0.05, `ja share ${ja / n}`);
  assert.ok(Math.abs(signedIn / n - 0.5) < 0.05, `signed-in share ${signedIn / n}`);
  const discovery = DISCOVERY.reduce((a, k) => a + (intents.get(k) ?? 0), 0) / messages;
  assert.ok(Math.abs(discovery - 0.6) < 0.03, `discovery ${discovery}`);
  assert.ok(Math.abs((intents.get('order_status') ?? 0) / messages - 0.05) < 0.015);
});

test('burst sessions all ask about the burst series with the burst intents', () => {
  const p = loadProfile('viral');
  const burst = p.bursts[0];
  const rng = createRng(9);
  for (let i = 0; i < 200; i++) {
    const s = planSession(p, rng, 1, burst);
    assert.equal(s.seriesId, 'chainsaw-man');
    assert.equal(s.burst, true);
    for (const m of s.messages) {
      assert.ok(burst.intents.includes(m.intent));
      // Every template of these intents names the series.
      assert.ok(m.text.includes(s.language === 'ja' ? 'チェンソーマン' : 'Chainsaw Man'), m.text);
    }
  }
});
