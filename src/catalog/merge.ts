import type { Series } from './types.ts';
import { nameKey } from './normalize.ts';
import { createSlugAllocator } from './mal-csv.ts';

/** What a merge decided: the series to write and which were new or updated. */
export interface MergePlan {
  /** Series to upsert (new and changed ones only). */
  write: Series[];
  inserted: number;
  updated: number;
  unchanged: number;
}

function names(s: Series): string[] {
  return [s.title, s.titleEn, ...(s.aliases ?? [])].filter((n): n is string => !!n);
}

function union(a: string[] = [], b: string[] = []): string[] {
  const out = [...a];
  const keys = new Set(a.map((x) => x.toLowerCase()));
  for (const x of b) if (!keys.has(x.toLowerCase())) {
    keys.add(x.toLowerCase());
    out.push(x);
  }
  return out;
}

/** Name parts of the authors, plus each name run together ("Hotondo Shindeiru" = "Hotondoshindeiru"). */
function surnameKeys(authors: string[]): Set<string> {
  return new Set(authors.flatMap((a) => [...nameKey(a).split(' '), nameKey(a).replace(/ /g, '')]).filter((t) => t.length > 2));
}

/**
 * An imported record folded into a series the store already has. The store's own data wins
 * (id, names, Japanese title, synopsis, status and volume count it curates; its products are
 * untouched because products are keyed by series id), imported data fills what is missing.
 * Score and popularity rank come from the import when it has them: they are community
 * statistics on one scale across all 15,000 series, so popularity ordering stays consistent.
 */
export function mergeSeries(existing: Series, imported: Series): Series {
  const knownNames = new Set(names(existing).map(nameKey));
  const newAliases = names(imported).filter((n) => {
    const k = nameKey(n);
    if (knownNames.has(k)) return false;
    knownNames.add(k);
    return true;
  });
  const merged: Series = {
    ...imported,
    ...Object.fromEntries(Object.entries(existing).filter(([, v]) => v !== undefined)),
    id: existing.id,
    authors: existing.authors.length > 0 ? existing.authors : imported.authors,
    genres: union(existing.genres, imported.genres),
    themes: union(existing.themes, imported.themes),
    status: existing.status !== 'unknown' ? existing.status : imported.status,
  };
  const aliases = union(existing.aliases, newAliases);
  if (aliases.length > 0) merged.aliases = aliases;
  else delete merged.aliases;
  if (imported.score !== undefined) merged.score = imported.score;
  if (imported.popularityRank !== undefined) merged.popularityRank = imported.popularityRank;
  return merged;
}

function sameContent(a: Series, b: Series): boolean {
  const canon = (s: Series) => JSON.stringify(Object.entries(s).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canon(a) === canon(b);
}

/**
 * Pairs incoming series with existing ones by any shared normalised name (title, English
 * title or alias), one-to-one, never across different authors. Among several candidates the
 * one whose id equals the incoming id wins (so re-importing the same file is idempotent even
 * for the four "Clover"s), then one sharing an author.
 */
export function matchByName(existing: Series[], incoming: Series[]): Map<Series, Series> {
  const byName = new Map<string, Series[]>();
  for (const s of existing) {
    for (const k of new Set(names(s).map(nameKey))) {
      if (k === '') continue;
      const list = byName.get(k);
      if (list) list.push(s);
      else byName.set(k, [s]);
    }
  }
  const claimed = new Set<string>();
  // Same title by different (known, comparable) authors is a different work: MAL has two
  // "Emma"s and several "Clover"s.
  const sameWork = (c: Series, s: Series): boolean => {
    const ours = surnameKeys(c.authors);
    const theirs = surnameKeys(s.authors);
    if (ours.size === 0 || theirs.size === 0) return true;
    for (const k of theirs) if (ours.has(k)) return true;
    return false;
  };
  const candidatesOf = (s: Series): Series[] =>
    [...new Set(names(s).flatMap((n) => byName.get(nameKey(n)) ?? []))].filter((c) => !claimed.has(c.id) && sameWork(c, s));

  // First pass claims exact-id matches, so a later row cannot steal an earlier import's record.
  const matchFor = new Map<Series, Series>();
  for (const s of incoming) {
    const same = candidatesOf(s).find((c) => c.id === s.id);
    if (same) {
      claimed.add(same.id);
      matchFor.set(s, same);
    }
  }
  for (const s of incoming) {
    if (matchFor.has(s)) continue;
    const candidates = candidatesOf(s);
    if (candidates.length === 0) continue;
    // Prefer a record that shares an author over one that has none to compare.
    const authors = surnameKeys(s.authors);
    const pick = candidates.find((c) => [...surnameKeys(c.authors)].some((k) => authors.has(k))) ?? candidates[0];
    claimed.add(pick.id);
    matchFor.set(s, pick);
  }
  return matchFor;
}

/**
 * Plans an import of third-party series (MyAnimeList): matched ones are merged into the
 * existing record (`mergeSeries`), the rest inserted under a slug not already taken.
 */
export function planMerge(existing: Series[], imported: Series[]): MergePlan {
  const allocate = createSlugAllocator(existing.map((s) => s.id));
  const plan: MergePlan = { write: [], inserted: 0, updated: 0, unchanged: 0 };
  const matchFor = matchByName(existing, imported);
  for (const s of imported) {
    const match = matchFor.get(s);
    if (match) {
      const merged = mergeSeries(match, s);
      if (sameContent(merged, match)) plan.unchanged++;
      else {
        plan.write.push(merged);
        plan.updated++;
      }
    } else {
      plan.write.push({ ...s, id: allocate(s.id) });
      plan.inserted++;
    }
  }
  return plan;
}
