/**
 * Validates the store's shipped data: catalog (series, products), knowledge base, and demo store data
 * (promotions, reviews, customers, orders). Run: ./node_modules/.bin/node --test test/data/
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Product, Series } from '../../src/catalog/types.ts';
import type { Order } from '../../src/orders/types.ts';
import type { Promotion } from '../../src/promotions/types.ts';
import type { Review } from '../../src/reviews/types.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DATA = join(ROOT, 'data');
const NOW = '2026-11-23';

// ---------- schemas mirroring the port types (`satisfies` keeps them in step with src/*/types.ts)

const GENRES = [
  'Action', 'Adventure', 'Avant Garde', 'Award Winning', 'Boys Love', 'Comedy', 'Drama', 'Ecchi', 'Fantasy',
  'Girls Love', 'Gourmet', 'Horror', 'Mystery', 'Romance', 'Sci-Fi', 'Slice of Life', 'Sports', 'Supernatural', 'Suspense',
] as const;
const THEMES = [
  'Adult Cast', 'Anthropomorphic', 'CGDCT', 'Childcare', 'Combat Sports', 'Crossdressing', 'Delinquents', 'Detective',
  'Educational', 'Gag Humor', 'Gender Bender', 'Gore', 'Harem', 'High Stakes Game', 'Historical', 'Idols (Female)',
  'Idols (Male)', 'Isekai', 'Iyashikei', 'Love Polygon', 'Love Status Quo', 'Magical Sex Shift', 'Mahou Shoujo',
  'Martial Arts', 'Mecha', 'Medical', 'Military', 'Music', 'Mythology', 'Organized Crime', 'Otaku Culture', 'Parody',
  'Performing Arts', 'Pets', 'Psychological', 'Racing', 'Reincarnation', 'Reverse Harem', 'Romantic Subtext', 'Samurai',
  'School', 'Showbiz', 'Space', 'Strategy Game', 'Super Power', 'Survival', 'Team Sports', 'Time Travel', 'Urban Fantasy',
  'Vampire', 'Video Game', 'Villainess', 'Visual Arts', 'Workplace',
] as const;
const DEMOGRAPHICS = ['Shounen', 'Shoujo', 'Seinen', 'Josei', 'Kids'] as const;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(s)), 'invalid date');
const isoDateTime = z.iso.datetime({ offset: true });
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

const SeriesSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(1),
  titleEn: z.string().min(1).optional(),
  titleJa: z.string().min(1).optional(),
  aliases: z.array(z.string().min(1)).optional(),
  authors: z.array(z.string().min(1)).min(1),
  /** The authors' names as written in Japanese, in the order of `authors` (a pen name such as ONE stays in Latin letters). */
  authorsJa: z.array(z.string().min(1)).optional(),
  genres: z.array(z.enum(GENRES)).min(1),
  themes: z.array(z.enum(THEMES)),
  demographic: z.enum(DEMOGRAPHICS).optional(),
  magazine: z.string().min(1).optional(),
  status: z.enum(['publishing', 'finished', 'hiatus', 'discontinued', 'unknown']),
  volumeCount: z.number().int().positive().optional(),
  synopsis: z.string().min(20).optional(),
  synopsisJa: z.string().min(10).regex(JAPANESE).optional(),
  score: z.number().min(0).max(10).optional(),
  popularityRank: z.number().int().positive().optional(),
  ageRestricted: z.boolean().optional(),
  startDate: isoDay.optional(),
}) satisfies z.ZodType<Series>;

const ProductSchema = z.strictObject({
  id: z.string().min(1),
  seriesId: z.string().min(1),
  volume: z.number().int().positive(),
  format: z.enum(['tankobon', 'digital', 'kanzenban', 'box_set']),
  priceJpy: z.number().int().positive(),
  stock: z.number().int().min(0),
  releaseDate: isoDay,
}) satisfies z.ZodType<Product>;

const PromotionSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  titleJa: z.string().regex(JAPANESE),
  description: z.string().min(1),
  descriptionJa: z.string().regex(JAPANESE),
  kind: z.enum(['percent_off', 'points_multiplier', 'free_shipping', 'bundle']),
  value: z.number().positive().optional(),
  seriesIds: z.array(z.string()),
  startsAt: isoDateTime,
  endsAt: isoDateTime,
  code: z.string().regex(/^[A-Z0-9]+$/).optional(),
}) satisfies z.ZodType<Promotion>;

const ReviewSchema = z.strictObject({
  id: z.string().min(1),
  seriesId: z.string().min(1),
  rating: z.number().int().min(1).max(5),
  title: z.string().min(1),
  body: z.string().min(10),
  language: z.enum(['ja', 'en']),
  createdAt: isoDateTime,
}) satisfies z.ZodType<Review>;

const CustomerSchema = z.strictObject({
  id: z.string().regex(/^cust-\d{4}$/),
  name: z.string().min(1),
  tier: z.enum(['member', 'prime']),
  ageConfirmed: z.boolean(),
  email: z.email(),
});

const OrderSchema = z.strictObject({
  id: z.string().regex(/^MA-\d{8}-\d{4}$/),
  customerId: z.string().min(1),
  status: z.enum(['pending_payment', 'processing', 'shipped', 'out_for_delivery', 'delivered', 'cancelled', 'returned']),
  placedAt: isoDateTime,
  lines: z.array(z.strictObject({
    productId: z.string().min(1),
    title: z.string().min(1),
    quantity: z.number().int().positive(),
    unitPriceJpy: z.number().int().positive(),
  })).min(1),
  totalJpy: z.number().int().positive(),
  carrier: z.enum(['Yamato Transport', 'Japan Post', 'Sagawa Express']).optional(),
  trackingNumber: z.string().regex(/^[A-Z0-9]{11,13}$/).optional(),
  estimatedDelivery: isoDay.optional(),
  deliveredAt: isoDateTime.optional(),
}) satisfies z.ZodType<Order>;

// ---------- loading

function readJsonl<T>(path: string, schema: z.ZodType<T>): T[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const parsed = schema.safeParse(JSON.parse(line));
    assert.ok(parsed.success, `${path}:${i + 1}: ${parsed.success ? '' : z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

function readJsonArray<T>(path: string, schema: z.ZodType<T>): T[] {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  assert.ok(Array.isArray(raw), `${path} must hold a JSON array`);
  return raw.map((item, i) => {
    const parsed = schema.safeParse(item);
    assert.ok(parsed.success, `${path}[${i}]: ${parsed.success ? '' : z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

function assertUnique(ids: string[], what: string): void {
  const seen = new Set<string>();
  const dups = ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  assert.deepEqual(dups, [], `duplicate ${what} ids`);
}

const series = readJsonl(join(DATA, 'catalog/series.jsonl'), SeriesSchema);
const seriesById = new Map(series.map((s) => [s.id, s]));
const products = readJsonl(join(DATA, 'catalog/products.jsonl'), ProductSchema);
const productById = new Map(products.map((p) => [p.id, p]));
const promotions = readJsonArray(join(DATA, 'store/promotions.json'), PromotionSchema);
const reviews = readJsonArray(join(DATA, 'store/reviews.json'), ReviewSchema);
const customers = readJsonArray(join(DATA, 'store/customers.json'), CustomerSchema);
const orders = readJsonArray(join(DATA, 'store/orders.json'), OrderSchema);

// ---------- series

test('series: at least 150, unique ids and ranks, complete bilingual records', () => {
  assert.ok(series.length >= 150, `only ${series.length} series`);
  assertUnique(series.map((s) => s.id), 'series');
  assertUnique(series.map((s) => String(s.popularityRank)), 'popularityRank');
  // Titles whose official Japanese title is written in Latin letters.
  const latinJaTitles = new Set(['great-teacher-onizuka', 'spy-x-family']);
  for (const s of series) {
    assert.ok(s.titleJa, `${s.id}: titleJa`);
    if (!latinJaTitles.has(s.id)) assert.match(s.titleJa, JAPANESE, `${s.id}: titleJa must be in Japanese script`);
    assert.ok(s.synopsis && s.synopsisJa, `${s.id}: synopsis in both languages`);
    assert.ok(s.demographic, `${s.id}: demographic`);
    assert.ok(s.magazine, `${s.id}: magazine`);
    assert.ok(s.volumeCount && s.volumeCount >= 1, `${s.id}: volumeCount`);
    assert.ok(s.startDate && s.startDate >= '1950-01-01' && s.startDate <= '2025-12-31', `${s.id}: startDate ${s.startDate}`);
    assert.equal(typeof s.ageRestricted, 'boolean', `${s.id}: ageRestricted`);
    if (s.authorsJa) assert.equal(s.authorsJa.length, s.authors.length, `${s.id}: authorsJa names each author, in order`);
    assert.ok(s.score !== undefined && s.popularityRank !== undefined, `${s.id}: score and popularityRank`);
    for (const a of s.aliases ?? []) assert.notEqual(a, s.title, `${s.id}: alias repeats the title`);
  }
});

test('series: a realistic mix', () => {
  const adult = series.filter((s) => s.ageRestricted);
  assert.ok(adult.length >= 5 && adult.length <= 8, `${adult.length} age-restricted series`);
  for (const d of DEMOGRAPHICS) assert.ok(series.some((s) => s.demographic === d), `no ${d} series`);
  for (const st of ['publishing', 'finished', 'hiatus'] as const) assert.ok(series.some((s) => s.status === st), `no ${st} series`);
  const mustHave = [
    'one-piece', 'shingeki-no-kyojin', 'kimetsu-no-yaiba', 'chainsaw-man', 'spy-x-family', 'sousou-no-frieren',
    'kaiju-no-8', 'dandadan', 'blue-lock', 'oshi-no-ko', 'kusuriya-no-hitorigoto', 'dragon-ball', 'akira', 'black-jack',
  ];
  for (const id of mustHave) assert.ok(seriesById.has(id), `missing ${id}`);
  const op = seriesById.get('one-piece');
  assert.equal(op?.titleJa, 'ワンピース');
  assert.deepEqual(op?.authors, ['Eiichiro Oda']);
  assert.equal(seriesById.get('shingeki-no-kyojin')?.titleEn, 'Attack on Titan');
  assert.ok(seriesById.get('shingeki-no-kyojin')?.aliases?.includes('AoT'));
  assert.ok(seriesById.get('spy-x-family')?.aliases?.includes('スパイファミリー'));
});

// ---------- products

test('products: ids, formats and series references', () => {
  assertUnique(products.map((p) => p.id), 'product');
  for (const p of products) {
    const s = seriesById.get(p.seriesId);
    assert.ok(s, `${p.id}: unknown series ${p.seriesId}`);
    const v = String(p.volume).padStart(3, '0');
    const expected = {
      tankobon: `${p.seriesId}-v${v}`,
      digital: `${p.seriesId}-v${v}-digital`,
      kanzenban: `${p.seriesId}-kanzenban-v${v}`,
      box_set: `${p.seriesId}-box-${String(p.volume).padStart(2, '0')}`,
    }[p.format];
    assert.equal(p.id, expected);
    assert.ok(p.stock <= (p.format === 'digital' ? 9999 : 80), `${p.id}: stock ${p.stock}`);
    if (p.format === 'digital') {
      assert.equal(p.stock, 9999);
      assert.ok(!s.ageRestricted, `${p.id}: no digital editions of age-restricted titles`);
      const print = productById.get(`${p.seriesId}-v${v}`);
      assert.ok(print && p.priceJpy < print.priceJpy, `${p.id}: digital must be cheaper than print`);
    }
    if (p.format === 'tankobon') assert.ok(p.priceJpy >= 400 && p.priceJpy <= 1000, `${p.id}: price ${p.priceJpy}`);
    if (p.format === 'kanzenban') assert.ok(p.priceJpy >= 1000 && p.priceJpy <= 2000, `${p.id}: price ${p.priceJpy}`);
  }
});

test('products: every series has its volumes, capped at 120, plus a preorder when running', () => {
  for (const s of series) {
    const tank = products.filter((p) => p.seriesId === s.id && p.format === 'tankobon');
    const published = tank.filter((p) => p.releaseDate <= NOW);
    const expected = Math.min(s.volumeCount ?? 0, 120);
    assert.deepEqual(published.map((p) => p.volume), Array.from({ length: expected }, (_, i) => i + 1), `${s.id}: volumes`);
    for (let i = 1; i < published.length; i++) {
      assert.ok(published[i].releaseDate >= published[i - 1].releaseDate, `${s.id}: release dates out of order`);
    }
    assert.ok(published[0].releaseDate >= (s.startDate ?? ''), `${s.id}: vol. 1 before the series started`);
    const preorders = tank.filter((p) => p.releaseDate > NOW);
    if (s.status === 'publishing' && (s.volumeCount ?? 0) < 120) {
      assert.equal(preorders.length, 1, `${s.id}: one preorder`);
      assert.equal(preorders[0].volume, (s.volumeCount ?? 0) + 1);
      assert.equal(preorders[0].stock, 0);
      assert.match(preorders[0].releaseDate, /^2027-/);
    } else {
      assert.equal(preorders.length, 0, `${s.id}: no preorder`);
    }
  }
});

test('products: stock mix and extra formats', () => {
  const inPrint = products.filter((p) => p.format === 'tankobon' && p.releaseDate <= NOW);
  const outRatio = inPrint.filter((p) => p.stock === 0).length / inPrint.length;
  assert.ok(outRatio > 0.05 && outRatio < 0.15, `out-of-stock ratio ${outRatio}`);
  const digitalSeries = new Set(products.filter((p) => p.format === 'digital').map((p) => p.seriesId));
  assert.ok(digitalSeries.size >= 20 && digitalSeries.size <= 30, `${digitalSeries.size} series with digital editions`);
  const classics = new Set(products.filter((p) => p.format === 'kanzenban' || p.format === 'box_set').map((p) => p.seriesId));
  assert.ok(classics.size >= 8 && classics.size <= 12, `${classics.size} series with kanzenban/box sets`);
  for (const id of classics) assert.equal(seriesById.get(id)?.status, 'finished', `${id}: kanzenban/box only for finished series`);
});

test('generator is deterministic: regenerating gives an identical file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'products-'));
  try {
    const out = join(dir, 'products.jsonl');
    execFileSync(process.execPath, [join(ROOT, 'scripts/generate-products.ts'), out], { stdio: 'pipe' });
    const regenerated = readFileSync(out, 'utf8');
    const committed = readFileSync(join(DATA, 'catalog/products.jsonl'), 'utf8');
    assert.ok(regenerated === committed, 'data/catalog/products.jsonl is stale or the generator is not deterministic');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------- knowledge base

const KB_TOPICS = [
  'shipping', 'delivery-times', 'returns', 'payment-methods', 'points', 'membership', 'digital-editions',
  'gift-wrapping', 'preorders', 'age-restricted', 'order-tracking', 'cancellations', 'contact-support', 'account',
];

test('knowledge base: every topic in both languages, titled and sectioned', () => {
  for (const lang of ['en', 'ja']) {
    const files = readdirSync(join(DATA, 'kb', lang)).filter((f) => f.endsWith('.md')).sort();
    assert.deepEqual(files, KB_TOPICS.map((t) => `${t}.md`).sort(), `kb/${lang} files`);
  }
  for (const topic of KB_TOPICS) {
    const en = readFileSync(join(DATA, 'kb/en', `${topic}.md`), 'utf8');
    const ja = readFileSync(join(DATA, 'kb/ja', `${topic}.md`), 'utf8');
    for (const [lang, text] of [['en', en], ['ja', ja]] as const) {
      assert.match(text, /^# \S.*\n/, `${lang}/${topic}: must start with "# Title"`);
      assert.equal((text.match(/^# /gm) ?? []).length, 1, `${lang}/${topic}: exactly one H1`);
      assert.ok((text.match(/^## \S/gm) ?? []).length >= 2, `${lang}/${topic}: at least two ## sections`);
    }
    const words = en.split(/\s+/).filter(Boolean).length;
    assert.ok(words >= 150 && words <= 400, `en/${topic}: ${words} words`);
    assert.match(ja, JAPANESE);
    assert.match(ja, /です|ます/, `ja/${topic}: polite style`);
    assert.ok(ja.length >= 400 && ja.length <= 1600, `ja/${topic}: ${ja.length} characters`);
    // The same headline numbers appear in both languages.
    const nums = (t: string) => new Set(
      (t.replace(/(\d+)万/g, (_, n: string) => String(Number(n) * 10000)).match(/\d[\d,]*/g) ?? [])
        .map((n) => n.replace(/,/g, ''))
        .filter((n) => n.length >= 3),
    );
    const missing = [...nums(en)].filter((n) => !nums(ja).has(n));
    assert.deepEqual(missing, [], `ja/${topic} lacks numbers found in en/${topic}`);
  }
});

test('knowledge base: key store facts', () => {
  const en = (t: string) => readFileSync(join(DATA, 'kb/en', `${t}.md`), 'utf8');
  assert.match(en('shipping'), /¥2,000/);
  assert.match(en('shipping'), /¥350/);
  assert.match(en('payment-methods'), /¥330/);
  assert.match(en('gift-wrapping'), /¥220/);
  assert.match(en('returns'), /30 days/);
  assert.match(en('points'), /1%/);
  assert.match(en('points'), /3%/);
  assert.match(en('order-tracking'), /\/orders/);
  assert.match(en('age-restricted'), /never sold to guests/);
  assert.match(en('preorders'), /charged when the item ships/);
});

// ---------- promotions

test('promotions: valid, reference real series, mix of active, expired and future', () => {
  assert.ok(promotions.length >= 8 && promotions.length <= 12, `${promotions.length} promotions`);
  assertUnique(promotions.map((p) => p.id), 'promotion');
  for (const p of promotions) {
    assert.ok(Date.parse(p.startsAt) < Date.parse(p.endsAt), `${p.id}: starts after it ends`);
    for (const id of p.seriesIds) assert.ok(seriesById.has(id), `${p.id}: unknown series ${id}`);
    if (p.kind !== 'free_shipping') assert.ok(p.value !== undefined, `${p.id}: value`);
  }
  const activeAt = (iso: string) => promotions.filter((p) => Date.parse(p.startsAt) <= Date.parse(iso) && Date.parse(iso) <= Date.parse(p.endsAt));
  assert.ok(activeAt(`${NOW}T12:00:00+09:00`).length >= 3, 'several active now');
  for (let m = 0; m < 24; m++) {
    const iso = `${2026 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-15T12:00:00+09:00`;
    assert.ok(activeAt(iso).length >= 1, `nothing active on ${iso}`);
  }
  assert.ok(promotions.some((p) => Date.parse(p.endsAt) < Date.parse(NOW)), 'an expired promotion');
  assert.ok(promotions.some((p) => Date.parse(p.startsAt) > Date.parse(NOW)), 'a future promotion');
  assert.ok(promotions.some((p) => p.seriesIds.length === 0), 'a store-wide promotion');
  assert.ok(promotions.some((p) => p.seriesIds.length > 0), 'a series promotion');
});

// ---------- reviews

test('reviews: ~300 over ~60 series, both languages, realistic skew', () => {
  assert.ok(reviews.length >= 250 && reviews.length <= 400, `${reviews.length} reviews`);
  assertUnique(reviews.map((r) => r.id), 'review');
  for (const r of reviews) {
    assert.ok(seriesById.has(r.seriesId), `${r.id}: unknown series ${r.seriesId}`);
    if (r.language === 'ja') assert.match(r.body, JAPANESE, `${r.id}: Japanese body`);
    assert.ok(r.createdAt.slice(0, 10) <= NOW, `${r.id}: in the future`);
  }
  const seriesReviewed = new Set(reviews.map((r) => r.seriesId));
  assert.ok(seriesReviewed.size >= 50, `${seriesReviewed.size} series reviewed`);
  const ja = reviews.filter((r) => r.language === 'ja').length;
  assert.ok(ja > reviews.length * 0.3 && ja < reviews.length * 0.7, `language mix ${ja}/${reviews.length}`);
  const mean = reviews.reduce((a, r) => a + r.rating, 0) / reviews.length;
  assert.ok(mean > 3.6 && mean < 4.6, `mean rating ${mean}`);
  for (const rating of [1, 2, 3, 4, 5]) assert.ok(reviews.some((r) => r.rating === rating), `no ${rating}-star review`);
  assert.ok(reviews.filter((r) => r.rating >= 4).length > reviews.length / 2, 'mostly positive');
});

// ---------- customers and orders

test('customers: the demo accounts', () => {
  assert.ok(customers.length >= 6);
  assertUnique(customers.map((c) => c.id), 'customer');
  const byId = new Map(customers.map((c) => [c.id, c]));
  assert.deepEqual(
    ['cust-1001', 'cust-1002', 'cust-1003'].map((id) => { const c = byId.get(id); return c && [c.name, c.tier, c.ageConfirmed]; }),
    [['佐藤 花子', 'member', true], ['John Smith', 'prime', true], ['田中 健', 'member', false]],
  );
});

test('orders: reference real products at their prices, totals add up', () => {
  assertUnique(orders.map((o) => o.id), 'order');
  const customerById = new Map(customers.map((c) => [c.id, c]));
  for (const o of orders) {
    const customer = customerById.get(o.customerId);
    assert.ok(customer, `${o.id}: unknown customer`);
    assert.ok(o.placedAt >= '2026-10-01' && o.placedAt < '2026-12-01', `${o.id}: placed ${o.placedAt}`);
    assert.equal(o.id.slice(3, 11), o.placedAt.slice(0, 10).replace(/-/g, ''), `${o.id}: id date must match placedAt`);
    let sum = 0;
    let physical = false;
    for (const line of o.lines) {
      const p = productById.get(line.productId);
      assert.ok(p, `${o.id}: unknown product ${line.productId}`);
      assert.equal(line.unitPriceJpy, p.priceJpy, `${o.id}: ${line.productId} price`);
      const s = seriesById.get(p.seriesId);
      assert.ok(s);
      assert.ok(line.title.startsWith(s.titleEn ?? s.title), `${o.id}: title "${line.title}"`);
      assert.ok(line.title.includes(String(p.volume)), `${o.id}: title "${line.title}" lacks the volume`);
      if (s.ageRestricted) assert.ok(customer.ageConfirmed, `${o.id}: age-restricted title sold to ${customer.id}`);
      if (p.format !== 'digital') physical = true;
      sum += line.quantity * line.unitPriceJpy;
    }
    // Totals are the item subtotal: every physical order qualifies for free shipping (Prime, or ¥2,000 or more).
    assert.equal(o.totalJpy, sum, `${o.id}: total`);
    if (physical && customer.tier === 'member') assert.ok(sum >= 2000, `${o.id}: a member order under ¥2,000 would pay shipping`);
    if (['shipped', 'out_for_delivery'].includes(o.status) || (o.status === 'delivered' && physical)) {
      assert.ok(o.carrier && o.trackingNumber, `${o.id}: carrier and tracking number`);
      assert.ok(o.estimatedDelivery, `${o.id}: estimated delivery`);
    }
    if (o.status === 'delivered' || o.status === 'returned') assert.ok(o.deliveredAt, `${o.id}: deliveredAt`);
    if (['pending_payment', 'processing', 'cancelled'].includes(o.status)) assert.equal(o.trackingNumber, undefined, `${o.id}: not shipped yet`);
  }
  for (const c of customers) {
    const n = orders.filter((o) => o.customerId === c.id).length;
    assert.ok(n >= 2 && n <= 5, `${c.id}: ${n} orders`);
  }
  assert.ok(new Set(orders.map((o) => o.status)).size >= 6, 'a variety of statuses');
});
