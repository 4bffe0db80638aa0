/**
 * Generates data/catalog/products.jsonl (one Product per line) from data/catalog/series.jsonl.
 *
 * Deterministic: every random choice comes from a PRNG seeded by a fixed seed and the series id,
 * so re-running gives a byte-identical file (and adding a series does not change the others).
 *
 * Usage: node scripts/generate-products.ts [outputPath] [seriesPath]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Product, Series } from '../src/catalog/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SEED = 0x4d41_2026; // "MA" 2026
/** Published volumes are dated on or before this day; only preorders are later. */
const LAST_PUBLISHED = Date.UTC(2025, 9, 31);
const MAX_VOLUMES = 120;
const DAY = 86_400_000;
const MONTH = 30.44 * DAY;

/** Series that also sell a digital edition of every volume (popular titles). */
const DIGITAL_TOP_N = 25;

/** Finished classics with a real kanzenban (deluxe A5) edition: volume count and first release. */
const KANZENBAN: Record<string, { volumes: number; start: string }> = {
  'dragon-ball': { volumes: 34, start: '2002-12-04' },
  'slam-dunk': { volumes: 24, start: '2001-03-02' },
  'rurouni-kenshin': { volumes: 22, start: '2006-07-04' },
  'yu-yu-hakusho': { volumes: 15, start: '2004-10-04' },
  'hokuto-no-ken': { volumes: 14, start: '2006-03-01' },
};

/** Finished series sold as complete box sets: how many tankobon volumes go into each box. */
const BOX_SETS: Record<string, { perBox: number; release: string }> = {
  'shingeki-no-kyojin': { perBox: 17, release: '2025-04-09' },
  'kimetsu-no-yaiba': { perBox: 23, release: '2025-07-04' },
  'death-note': { perBox: 12, release: '2024-11-01' },
  'fullmetal-alchemist': { perBox: 27, release: '2025-02-21' },
  'haikyuu': { perBox: 15, release: '2025-10-03' },
  'akira': { perBox: 6, release: '2024-12-20' },
};

function hashString(s: string): number {
  let h = 2166136261 ^ SEED;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for stable demo data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function pick<T>(rnd: () => number, items: T[]): T {
  return items[Math.floor(rnd() * items.length)];
}

function stockFor(rnd: () => number): number {
  return rnd() < 0.1 ? 0 : 1 + Math.floor(rnd() * 80);
}

/** Price of a tankobon in yen (tax included), by format family and release year. */
function priceFor(base: number, large: boolean, year: number): number {
  if (large) return base + (year >= 2023 ? 110 : year >= 2019 ? 44 : 0);
  return base + (year >= 2023 ? 88 : year >= 2019 ? 44 : 0);
}

/** Release dates of volumes 1..count: vol. 1 a few months after the series starts, then every ~2-4 months. */
function releaseDates(series: Series, count: number, rnd: () => number): number[] {
  const start = Date.parse(series.startDate ?? '2000-01-01');
  const first = start + (2 + rnd() * 4) * MONTH;
  const gaps: number[] = [];
  for (let i = 1; i < count; i++) gaps.push(2 + rnd() * 2);
  const total = gaps.reduce((a, b) => a + b, 0);
  let end: number;
  if (series.status === 'publishing') {
    // Still running: the latest volume came out recently.
    end = LAST_PUBLISHED - rnd() * 4 * MONTH;
  } else if (series.status === 'hiatus') {
    end = Date.UTC(2022, 0, 1) + rnd() * 30 * MONTH;
  } else {
    end = Math.min(first + total * MONTH, LAST_PUBLISHED - rnd() * 6 * MONTH);
  }
  // Stretch or squeeze the gaps so the last volume lands on `end` (never before vol. 1).
  const scale = count > 1 && end > first ? (end - first) / (total * MONTH) : 1;
  const dates = [first];
  for (const g of gaps) dates.push(dates[dates.length - 1] + g * scale * MONTH);
  return dates.map((d) => Math.floor(d / DAY) * DAY);
}

export function generateProducts(allSeries: Series[]): Product[] {
  const products: Product[] = [];
  const digital = new Set(
    allSeries
      .filter((s) => !s.ageRestricted && s.popularityRank !== undefined)
      .sort((a, b) => (a.popularityRank ?? 0) - (b.popularityRank ?? 0))
      .slice(0, DIGITAL_TOP_N)
      .map((s) => s.id),
  );

  for (const series of allSeries) {
    const rnd = mulberry32(hashString(series.id));
    const large = series.demographic === 'Seinen' || series.demographic === 'Josei' || series.ageRestricted === true;
    const base = large ? pick(rnd, [748, 770, 792, 814, 858]) : pick(rnd, [484, 495, 506, 528]);
    const volumeCount = series.volumeCount ?? 1;
    const count = Math.min(volumeCount, MAX_VOLUMES);
    // Dates for every real volume (so a capped series keeps its real pace), of which the first `count` are sold.
    const dates = releaseDates(series, volumeCount, rnd).slice(0, count);
    const prices: number[] = [];

    for (let v = 1; v <= count; v++) {
      const released = dates[v - 1];
      const price = priceFor(base, large, new Date(released).getUTCFullYear());
      prices.push(price);
      const id = `${series.id}-v${String(v).padStart(3, '0')}`;
      products.push({ id, seriesId: series.id, volume: v, format: 'tankobon', priceJpy: price, stock: stockFor(rnd), releaseDate: isoDate(released) });
      if (digital.has(series.id)) {
        const discount = pick(rnd, [0.9, 0.92, 0.95]);
        products.push({
          id: `${id}-digital`,
          seriesId: series.id,
          volume: v,
          format: 'digital',
          priceJpy: Math.floor(price * discount),
          stock: 9999,
          releaseDate: isoDate(released),
        });
      }
    }

    // Running series: the next volume is up for preorder (not for capped series, whose next volume is past the cap).
    if (series.status === 'publishing' && volumeCount < MAX_VOLUMES) {
      const v = volumeCount + 1;
      const release = Date.UTC(2027, Math.floor(rnd() * 6), 1 + Math.floor(rnd() * 28));
      products.push({
        id: `${series.id}-v${String(v).padStart(3, '0')}`,
        seriesId: series.id,
        volume: v,
        format: 'tankobon',
        priceJpy: priceFor(base, large, 2027),
        stock: 0,
        releaseDate: isoDate(release),
      });
    }

    const kanzen = KANZENBAN[series.id];
    if (kanzen) {
      const kBase = pick(rnd, [1100, 1155, 1210]);
      let d = Date.parse(kanzen.start);
      for (let v = 1; v <= kanzen.volumes; v++) {
        products.push({
          id: `${series.id}-kanzenban-v${String(v).padStart(3, '0')}`,
          seriesId: series.id,
          volume: v,
          format: 'kanzenban',
          priceJpy: kBase,
          stock: stockFor(rnd),
          releaseDate: isoDate(d),
        });
        d += (v % 2 === 0 ? 1 : 0.5) * MONTH; // two volumes a month, then a pause
        d = Math.floor(d / DAY) * DAY;
      }
    }

    const box = BOX_SETS[series.id];
    if (box) {
      const boxes = Math.ceil(count / box.perBox);
      for (let b = 1; b <= boxes; b++) {
        const inBox = prices.slice((b - 1) * box.perBox, b * box.perBox);
        const sum = inBox.reduce((a, p) => a + p, 0);
        products.push({
          id: `${series.id}-box-${String(b).padStart(2, '0')}`,
          seriesId: series.id,
          volume: b,
          format: 'box_set',
          // The volumes at list price plus the collector's box, rounded to ¥10.
          priceJpy: Math.round((sum + 1100) / 10) * 10,
          stock: 1 + Math.floor(rnd() * 20),
          releaseDate: box.release,
        });
      }
    }
  }
  return products;
}

export function readSeries(path: string): Series[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Series);
}

function main(): void {
  const out = resolve(process.argv[2] ?? resolve(ROOT, 'data/catalog/products.jsonl'));
  const seriesPath = resolve(process.argv[3] ?? resolve(ROOT, 'data/catalog/series.jsonl'));
  const series = readSeries(seriesPath);
  const products = generateProducts(series);
  writeFileSync(out, products.map((p) => JSON.stringify(p)).join('\n') + '\n');
  const byFormat = new Map<string, number>();
  for (const p of products) byFormat.set(p.format, (byFormat.get(p.format) ?? 0) + 1);
  const preorders = products.filter((p) => p.releaseDate > isoDate(LAST_PUBLISHED)).length;
  const outOfStock = products.filter((p) => p.format === 'tankobon' && p.stock === 0).length;
  console.log(`series: ${series.length}`);
  console.log(`products: ${products.length} -> ${out}`);
  for (const [format, n] of byFormat) console.log(`  ${format}: ${n}`);
  console.log(`  preorders: ${preorders}`);
  console.log(`  tankobon out of stock (incl. preorders): ${outOfStock}`);
}

if (import.meta.main) main();
