import type { CallOptions } from '../shared/call.ts';
import type { Audience } from './filters.ts';

/** A recommended series with the reason it was picked (shown to the customer). */
export interface Recommendation {
  seriesId: string;
  score: number;
  /** Machine-readable reasons, e.g. ['same_author:Oda Eiichiro', 'genre:Adventure']. */
  reasons: string[];
}

export interface RecommendationQuery {
  /** Series the customer liked or is looking at. */
  seedSeriesIds?: string[];
  /** Genres, themes or demographic the customer asked for (any language, normalised by the adapter). */
  genres?: string[];
  themes?: string[];
  demographic?: string;
  /** Series not to recommend (already owned, ruled out, just shown); their spin-offs and duplicates are left out too. */
  excludeSeriesIds?: string[];
  /** Leave out age-restricted and other adult titles (guests, unconfirmed age). */
  excludeAgeRestricted?: boolean;
  /** At most this many volumes ("under 10 volumes"); series with an unknown count do not qualify. */
  maxVolumes?: number;
  /** At least this many volumes ("a long series"); series with an unknown count do not qualify. */
  minVolumes?: number;
  /** Leave out series by these authors ("not by Ai Yazawa"), any name order or romanisation. */
  excludeAuthors?: string[];
  /** Only series by these authors ("Rumiko Takahashi's finished series"), any name order. */
  authors?: string[];
  /** Fewer volumes than the shortest seed ("like Berserk but shorter"). */
  shorterThanSeeds?: boolean;
  status?: 'finished' | 'publishing';
  /** Who the books are for: child (all-ages young demographics, no horror/gore/fan service), teen, adult (Seinen/Josei). */
  audience?: Audience;
  /** Only series by the seeds' authors ("anything else by the same author?"). */
  sameAuthor?: boolean;
  /** Genres or themes ruled out ("nothing scary"). */
  excludeTags?: string[];
  limit?: number;
}

/** Port: the recommendation engine (tier 2). */
export interface RecommendationService {
  /** Similar series by genre, theme, demographic and author; falls back to popular when there is no seed. */
  recommend(query: RecommendationQuery, opts?: CallOptions): Promise<Recommendation[]>;
  /** Most popular series overall. */
  popular(limit: number, opts?: CallOptions & { excludeAgeRestricted?: boolean }): Promise<Recommendation[]>;
  /** Series selling fast right now (recent orders, new volumes). */
  trending(limit: number, opts?: CallOptions & { excludeAgeRestricted?: boolean }): Promise<Recommendation[]>;
}
