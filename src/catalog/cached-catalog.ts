import type { CatalogService, CatalogWriter, Product, Series, SeriesHit } from './types.ts';
import type { TieredCache } from '../cache/tiered-cache.ts';
import { policyFor, TAGS, type CacheTuning } from '../cache/policy.ts';

/** A product without its live part (price, stock): what may be cached. */
type ProductDetails = Omit<Product, 'priceJpy' | 'stock'>;

/**
 * The catalog behind the data cache ("product details", 5 minutes in the design's table):
 * series, search results and the volumes of a series come from the cache; prices and stock are
 * read live on every call and joined onto the cached volumes. Writes go to the origin, and every
 * write the origin reports invalidates the series it touched (and the search results) on every
 * node.
 */
export function createCachedCatalog<C extends CatalogService & Partial<CatalogWriter>>(origin: C, tiered: TieredCache, opts: { ttlMs: number; tuning: CacheTuning }): C {
  const series = tiered.cache<Series>(policyFor('product', opts.ttlMs, opts.tuning, (_v, id) => [TAGS.series(id), TAGS.everySeries]));
  const details = tiered.cache<ProductDetails[]>(policyFor('product-volumes', opts.ttlMs, opts.tuning, (_v, id) => [TAGS.series(id), TAGS.everySeries]));
  // Search results depend on every series' names: any catalog change invalidates them.
  const search = tiered.cache<SeriesHit[]>(policyFor('product-search', opts.ttlMs, opts.tuning, () => [TAGS.catalog]));

  origin.onChange?.((changed, removed) => {
    void tiered.invalidate([TAGS.catalog, ...changed.map((s) => TAGS.series(s.id)), ...removed.map(TAGS.series)]);
  });

  const cached: CatalogService = {
    getSeries: (id, callOpts) => series.get(id, (signal) => origin.getSeries(id, { signal }), callOpts),
    async getSeriesMany(ids, callOpts) {
      const found = await series.getMany(ids, async (keys, signal) => new Map((await origin.getSeriesMany(keys, { signal })).map((s) => [s.id, s])), callOpts);
      return ids.flatMap((id) => found.get(id) ?? []);
    },
    async getProducts(seriesId, callOpts) {
      const [volumes, offers] = await Promise.all([
        details.get(seriesId, async (signal) => (await origin.getProducts(seriesId, { signal })).map(withoutOffer), callOpts),
        origin.getOffers(seriesId, callOpts),
      ]);
      const live = new Map(offers.map((o) => [o.productId, o]));
      const known = volumes ?? [];
      // A volume added or removed without an event reaching us: the cached list is out of date.
      // Answer from the origin and drop the entry, rather than hide a volume or show one without a price.
      if (known.length !== offers.length || known.some((p) => !live.has(p.id))) {
        void tiered.invalidate([TAGS.series(seriesId)]);
        return origin.getProducts(seriesId, callOpts);
      }
      return known.map((p) => {
        const offer = live.get(p.id)!;
        return { ...p, priceJpy: offer.priceJpy, stock: offer.stock };
      });
    },
    // A single product carries its price: always live.
    getProduct: (id, callOpts) => origin.getProduct(id, callOpts),
    getOffers: (id, callOpts) => origin.getOffers(id, callOpts),
    searchSeries(query, callOpts) {
      const limit = callOpts?.limit ?? 10;
      const context = callOpts?.context;
      // The message around the query changes the answer (and capitals in it do: "TBHK").
      return search.get(`${limit}\u0000${query.trim().toLowerCase()}\u0000${context ?? ''}`, (signal) => origin.searchSeries(query, { signal, limit, ...(context !== undefined ? { context } : {}) }), callOpts).then((hits) => hits ?? []);
    },
    allSeries: () => origin.allSeries(),
    counts: () => origin.counts(),
  };
  // Writers (import, seeding) pass straight through; their changes come back through onChange.
  return { ...origin, ...cached };
}

function withoutOffer(p: Product): ProductDetails {
  return { id: p.id, seriesId: p.seriesId, volume: p.volume, format: p.format, releaseDate: p.releaseDate };
}
