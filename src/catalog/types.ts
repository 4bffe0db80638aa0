import type { CallOptions } from '../shared/call.ts';

export type SeriesStatus = 'publishing' | 'finished' | 'hiatus' | 'discontinued' | 'unknown';

/** A manga series as the store knows it. */
export interface Series {
  /** Stable id, a slug such as `one-piece`. */
  id: string;
  /** The display title (romaji or the common English name). */
  title: string;
  /** English title, when different from `title`. */
  titleEn?: string;
  /** Title in Japanese script, e.g. ワンピース. */
  titleJa?: string;
  /** Other names the series is known by (romaji spellings, abbreviations). */
  aliases?: string[];
  authors: string[];
  /** The authors' names in Japanese script, in the order of `authors` (井上雄彦 for Takehiko Inoue), when known. */
  authorsJa?: string[];
  genres: string[];
  themes: string[];
  /** Shounen, Seinen, Shoujo, Josei, Kodomomuke, or undefined. */
  demographic?: string;
  /** Serialization magazine, e.g. Weekly Shounen Jump. */
  magazine?: string;
  status: SeriesStatus;
  /** Number of tankobon volumes published, when known. */
  volumeCount?: number;
  /** Short description in English and Japanese, when the store has one. */
  synopsis?: string;
  synopsisJa?: string;
  /** 0..10 community score, for popularity ordering. */
  score?: number;
  /** Rank by popularity (1 = most popular), when known. */
  popularityRank?: number;
  /**
   * True for titles only sold to customers who confirmed they are adults; false when the source
   * was checked and found all-ages. Imports set it by the rule in `mal-csv.ts` (adult genres,
   * fan-service for older readers) and carry it to spin-offs of restricted series.
   */
  ageRestricted?: boolean;
  /**
   * The series this one is a spin-off, sequel, side story or adaptation of (Gantz:G → gantz),
   * when the import found it: a separate work, linked so restrictions and "more of the same"
   * follow it. Another edition of the same work (kanzenban, digital) is not a series of its own.
   */
  parentId?: string;
  /** ISO date the series started, when known. */
  startDate?: string;
}

export type ProductFormat = 'tankobon' | 'digital' | 'kanzenban' | 'box_set';

/** A purchasable volume. Prices are always read live (never cached). */
export interface Product {
  /** Stable id, e.g. `one-piece-v107`. */
  id: string;
  seriesId: string;
  volume: number;
  format: ProductFormat;
  priceJpy: number;
  stock: number;
  /** ISO date (YYYY-MM-DD); in the future for preorders. */
  releaseDate: string;
}

/** The live part of a product: what it costs and how many are left (never cached). */
export interface Offer {
  productId: string;
  priceJpy: number;
  stock: number;
}

/** A series match from catalog search, with why it matched. */
export interface SeriesHit {
  series: Series;
  /** 0..1, higher is a better match. */
  score: number;
  /** Which name matched: title, titleEn, titleJa, alias, author, acronym. */
  matchedOn: string;
}

/** Port: the product catalog (tier 2). */
export interface CatalogService {
  getSeries(id: string, opts?: CallOptions): Promise<Series | undefined>;
  /** Many series at once, in the order asked; unknown ids are left out. */
  getSeriesMany(ids: string[], opts?: CallOptions): Promise<Series[]>;
  /** The volumes of a series, ordered by volume then format. */
  getProducts(seriesId: string, opts?: CallOptions): Promise<Product[]>;
  getProduct(productId: string, opts?: CallOptions): Promise<Product | undefined>;
  /**
   * Prices and stock of a series' volumes, read live. A cached catalog keeps the rest of a
   * product (volume, format, release date) and joins these onto it, so prices are never cached.
   */
  getOffers(seriesId: string, opts?: CallOptions): Promise<Offer[]>;
  /**
   * Title/author search that tolerates small typos and matches any of a series' names.
   * `context`: the customer's whole message `query` was taken from (chat/title-query.ts), so a
   * title is also found inside it, request words and all ("Your Name.").
   */
  searchSeries(query: string, opts?: CallOptions & { limit?: number; context?: string }): Promise<SeriesHit[]>;
  /** Every series, for building the retrieval index and recommendations. */
  allSeries(): Promise<Series[]>;
  /** Number of series and products, for readiness and metrics. */
  counts(): Promise<{ series: number; products: number }>;
}

/** Writes to the catalog (import, seeding); kept apart from the read port the chat uses. */
export interface CatalogWriter {
  /** Inserts or replaces series by id, all in one transaction. */
  upsertSeries(series: Series[]): Promise<void>;
  /** Inserts or replaces products by id, all in one transaction; their series must exist. */
  upsertProducts(products: Product[]): Promise<void>;
  /** Ids of the series that have products: the store's own, as opposed to imported listings. */
  seriesIdsWithProducts(): Promise<Set<string>>;
  /** Deletes series that have no products (superseded imported duplicates); refuses any that have. */
  removeSeries(ids: string[]): Promise<void>;
  /**
   * Calls `listener` after every committed write with the series it touched (written series,
   * or the series of written products) and the ids of removed series, so derived indexes can
   * refresh; returns an unsubscribe.
   */
  onChange(listener: (changed: Series[], removedIds: string[]) => void): () => void;
  /**
   * Picks up what another process wrote to the same store since this one last looked (an
   * import run beside the running service) and announces it to the `onChange` listeners, as if
   * written here; cheap when nothing changed. Resolves with how many series changed and went.
   */
  refresh(): Promise<{ changed: number; removed: number }>;
}

/** A catalog that can be both read and written (what adapters provide). */
export type WritableCatalog = CatalogService & CatalogWriter;
