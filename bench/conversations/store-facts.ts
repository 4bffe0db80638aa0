// The store's own data, as the judge reads it: the catalog database the running service uses
// (series, live prices and stock), the demo customers, their orders, the promotions, and the
// policy facts picked from the knowledge base. Every expectation is resolved against these at
// check time, never typed into the conversation files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Product, Series } from '../../src/catalog/types.ts';
import type { Order } from '../../src/orders/types.ts';
import type { Promotion } from '../../src/promotions/types.ts';
import { fold, titleForms, type Lang } from './text.ts';

/** A demo customer from data/store/customers.json. */
export interface DemoCustomer {
  id: string;
  name: string;
  tier: 'member' | 'prime';
  ageConfirmed: boolean;
}

/** The catalog as the judge needs it: every series, and a series' products read on demand. */
export interface CatalogView {
  allSeries(): Promise<Series[]>;
  getProducts(seriesId: string): Promise<Product[]>;
}

/** How a policy fact must show in a reply, per language (see data/eval/conversations/README.md). */
export interface FactRule {
  /** Each pattern must match somewhere in the reply. */
  all?: string[];
  /** Some single sentence must match every pattern of one of these lists. */
  sentence?: string[][];
  /** Sentences matching this name the thing; at least one must, and none may negate it. */
  affirm?: string;
  /** Some sentence matching this must also carry a negation. */
  deny?: string;
}

/** A policy fact: where the knowledge base states it, and how a reply must carry it. */
export interface PolicyFact {
  /** Knowledge-base topic, the file name in data/kb/{en,ja}/ without .md. */
  kb: string;
  /** Text that must appear in the knowledge base page, per language: the fact's source. */
  evidence: Record<Lang, string[]>;
  expect: Record<Lang, FactRule>;
}

/** Genres that mark a title for adults whatever else it is (MyAnimeList vocabulary). */
const ADULT_GENRES = new Set(['Hentai', 'Erotica']);
/** Demographics for older readers: fan-service titles in them are sold 18+ by this store (see README). */
const ADULT_DEMOGRAPHICS = new Set(['Seinen', 'Josei']);
/** Demographics written for children and teenagers (the shipped catalog says Kids, MAL Kodomomuke). */
const YOUNG_DEMOGRAPHICS = new Set(['Kids', 'Kodomomuke', 'Shounen', 'Shoujo']);
/** Genres and themes a 10-year-old is not recommended. */
const NOT_FOR_CHILDREN = new Set(['Horror', 'Ecchi', 'Erotica', 'Hentai', 'Gore']);

/** Everything the checks read, for one catalog. */
export class StoreFacts {
  readonly series = new Map<string, Series>();
  readonly customers = new Map<string, DemoCustomer>();
  readonly orders: Order[];
  readonly promotions: Promotion[];
  readonly facts: Record<string, PolicyFact>;
  /** "Today" for release dates and stock, as the service sees it (the pinned clock). */
  readonly today: string;
  private readonly restricted = new Set<string>();
  private readonly catalog: CatalogView;
  private readonly activeIds: Set<string>;

  private constructor(catalog: CatalogView, all: Series[], storeDir: string, factsFile: string, now: Date) {
    this.catalog = catalog;
    for (const s of all) this.series.set(s.id, s);
    const customers = JSON.parse(readFileSync(join(storeDir, 'customers.json'), 'utf8')) as DemoCustomer[];
    for (const c of customers) this.customers.set(c.id, c);
    this.orders = JSON.parse(readFileSync(join(storeDir, 'orders.json'), 'utf8')) as Order[];
    const promotions = JSON.parse(readFileSync(join(storeDir, 'promotions.json'), 'utf8')) as Promotion[];
    this.promotions = promotions;
    this.activeIds = new Set(promotions.filter((p) => Date.parse(p.startsAt) <= now.getTime() && now.getTime() <= Date.parse(p.endsAt)).map((p) => p.id));
    this.facts = JSON.parse(readFileSync(factsFile, 'utf8')) as Record<string, PolicyFact>;
    this.today = now.toISOString().slice(0, 10);
    this.computeRestricted(all);
  }

  /** Reads the catalog (all series) once; products are read per check. */
  static async load(opts: { catalog: CatalogView; storeDir: string; factsFile: string; now: Date }): Promise<StoreFacts> {
    return new StoreFacts(opts.catalog, await opts.catalog.allSeries(), opts.storeDir, opts.factsFile, opts.now);
  }

  /** The series, or an error naming the conversation file's mistake. */
  get(id: string): Series {
    const s = this.series.get(id);
    if (!s) throw new Error(`the suite names series "${id}", which this catalog does not have`);
    return s;
  }

  /** Live products of a series (prices and stock as the service reads them). */
  products(seriesId: string): Promise<Product[]> {
    return this.catalog.getProducts(seriesId);
  }

  /**
   * The product a customer means by "volume N": the format asked for, else the print edition
   * (tankobon, then kanzenban, then a box set), else the digital one.
   */
  async volume(seriesId: string, volume: number, format?: string): Promise<Product | undefined> {
    const all = (await this.products(seriesId)).filter((p) => p.volume === volume);
    const order = format ? [format] : ['tankobon', 'kanzenban', 'box_set', 'digital'];
    for (const f of order) {
      const p = all.find((x) => x.format === f);
      if (p) return p;
    }
    return undefined;
  }

  /** Released and with units left: what "in stock" means on a card. */
  inStock(p: Product): boolean {
    return p.stock > 0 && p.releaseDate <= this.today;
  }

  /**
   * The names a reply may use for a series in a language. English: the English title when the
   * series has one, else its title. Japanese: the Japanese title (or a Japanese-script alias,
   * or the official all-capitals stylisation such as ONE PIECE) when the series has one, else
   * any of its names. Each with its head before a subtitle.
   */
  namesIn(s: Series, lang: Lang): string[] {
    if (lang === 'en') return titleForms(s.titleEn ?? s.title);
    if (s.titleJa) {
      const jaAliases = (s.aliases ?? []).filter((a) => /[\u3040-\u30ff\u3400-\u9fff]/.test(a) || a === s.title.toUpperCase());
      return [...titleForms(s.titleJa), ...jaAliases.flatMap(titleForms)];
    }
    return [s.title, s.titleEn, ...(s.aliases ?? [])].filter((n): n is string => !!n).flatMap(titleForms);
  }

  /** Every name of a series (any language), for "is this series mentioned at all". */
  allNames(s: Series): string[] {
    return [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].filter((n): n is string => !!n).flatMap(titleForms);
  }

  /**
   * Not to be shown to a guest or a customer who has not confirmed their age: series the
   * catalog marks age-restricted; spin-offs of those (Gantz:G of Gantz); titles in adult
   * genres; and fan-service (Ecchi) titles for older readers (Seinen, Josei) — the shipped
   * catalog marks its two such titles 18+ and its Shounen one not, and an import must follow
   * the store's own rule.
   */
  isAdult(id: string): boolean {
    return this.restricted.has(id);
  }

  /** Suitable for a child of about 10: young demographic, no adult, horror, gore or fan-service tags. */
  isKidSafe(s: Series): boolean {
    if (this.isAdult(s.id)) return false;
    if (!s.demographic || !YOUNG_DEMOGRAPHICS.has(s.demographic)) return false;
    return ![...s.genres, ...s.themes].some((t) => NOT_FOR_CHILDREN.has(t));
  }

  /** Demographic names as either vocabulary writes them. */
  demographicIs(s: Series, wanted: string[]): boolean {
    const same = (a: string) => (a === 'Kodomomuke' ? 'Kids' : a);
    return !!s.demographic && wanted.map(same).includes(same(s.demographic));
  }

  /** Promotions running at the pinned "now". */
  activePromotions(): Promotion[] {
    return this.promotions.filter((p) => this.activeIds.has(p.id));
  }

  /** Promotions that are not running now (ended or not started). */
  inactivePromotions(): Promotion[] {
    return this.promotions.filter((p) => !this.activeIds.has(p.id));
  }

  /** The names a reply may use for a promotion: its title in the language, with or without the discount tail. */
  promotionNames(p: Promotion, lang: Lang): string[] {
    const title = lang === 'ja' ? p.titleJa : p.title;
    const bare = title.replace(/\s*(?:\d+\s*%\s*(?:オフ|off)|ポイント\s*\d+\s*倍|\d+x points)\s*$/i, '').trim();
    return [...new Set([...titleForms(title), ...(bare && bare !== title && fold(bare).length >= 4 ? [bare] : [])])];
  }

  /**
   * Fact ids used by the suite that facts.json lacks, and facts whose evidence is not in the
   * knowledge base page they cite (the KB changed: the fact must be re-read from it).
   */
  verifyFacts(kbDir: string, used: string[]): string[] {
    const problems: string[] = [];
    for (const id of used) if (!this.facts[id]) problems.push(`policy fact "${id}" is not defined in facts.json`);
    for (const [id, f] of Object.entries(this.facts)) {
      for (const lang of ['en', 'ja'] as const) {
        const page = readFileSync(join(kbDir, lang, `${f.kb}.md`), 'utf8').replace(/\*\*/g, '');
        for (const e of f.evidence[lang]) if (!page.includes(e)) problems.push(`fact ${id}: "${e}" is not in data/kb/${lang}/${f.kb}.md`);
      }
    }
    return problems;
  }

  /** Orders of one customer, newest first. */
  ordersOf(customerId: string): Order[] {
    return this.orders.filter((o) => o.customerId === customerId).sort((a, b) => b.placedAt.localeCompare(a.placedAt));
  }

  /**
   * Two series that are one work listed twice (an import duplicate): the same authors, volume
   * counts that agree (sources differ by a volume or two: KochiKame 200/201), and a shared name —
   * or one's title is the other's without its subtitle (Rurouni Kenshin / Rurouni Kenshin: Meiji
   * Kenkaku Romantan), which counts only when both volume counts are known. A spin-off by the same
   * author (GTO: Shonan 14 Days) has a count of its own.
   */
  sameWork(a: Series, b: Series): boolean {
    if (a.id === b.id) return false;
    const authors = (s: Series) => s.authors.map((x) => fold(x).split('').sort().join('')).sort().join('|');
    if (authors(a) !== authors(b)) return false;
    const known = a.volumeCount !== undefined && b.volumeCount !== undefined;
    if (known && Math.abs(a.volumeCount! - b.volumeCount!) > Math.max(2, 0.1 * Math.max(a.volumeCount!, b.volumeCount!))) return false;
    const full = (s: Series) => [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].filter((n): n is string => !!n).map(fold).filter((n) => n.length >= 2);
    const heads = (s: Series) => [s.title, s.titleEn].filter((n): n is string => !!n).flatMap(titleForms).map(fold);
    const fa = new Set(full(a));
    const fb = new Set(full(b));
    if ([...fa].some((n) => fb.has(n))) return true;
    return known && (heads(a).some((h) => fb.has(h)) || heads(b).some((h) => fa.has(h)));
  }

  private computeRestricted(all: Series[]): void {
    // A spin-off continues a flagged work under its name and by its author (Gantz:G is Hiroya
    // Oku's): a title that merely starts with a flagged one by someone else is not one (Blue Lock
    // is not a spin-off of the Seinen Ecchi "Blue" an import flags).
    const author = (x: string) => fold(x).split('').sort().join('');
    const flagged = all.filter((s) => s.ageRestricted);
    const roots = flagged.map((s) => ({ title: s.title.toLowerCase(), authors: new Set(s.authors.map(author)) }));
    for (const s of all) {
      const title = s.title.toLowerCase();
      const spinOff = roots.some(
        (r) => title.startsWith(r.title) && title.length > r.title.length && /[^a-z0-9]/.test(title[r.title.length]) && s.authors.some((a) => r.authors.has(author(a))),
      );
      const adultGenre = s.genres.some((g) => ADULT_GENRES.has(g));
      const fanService = s.genres.includes('Ecchi') && !!s.demographic && ADULT_DEMOGRAPHICS.has(s.demographic);
      if (s.ageRestricted || spinOff || adultGenre || fanService) this.restricted.add(s.id);
    }
  }
}
