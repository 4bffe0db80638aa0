// Deciding what is one work. An import meets the store's own catalog (and earlier imports) and
// must neither card one work twice (GTO next to Great Teacher Onizuka) nor fold two works into
// one (Gantz and Gantz:G). The rules, strongest first, all requiring compatible authors:
//   1. a shared name (title, English or Japanese title, alias), after normalisation;
//   2. the same name written differently (Katsushikaku / Katsushika-ku), or one is an edition of
//      the other (Shaman King Kanzenban, Berserk (Digital)): the store sells editions as formats
//      of one series, not as series of their own;
//   3. across sources only: one's title is the other's plus a subtitle (Rurouni Kenshin /
//      Rurouni Kenshin: Meiji Kenkaku Romantan) and both volume counts and start years agree.
// Within one import, distinct rows are distinct works unless rule 1 or 2 joins them (MAL lists a
// pilot one-shot under the series' own name: Eyeshield 21 twice). Everything else that starts
// with another series' name is a separate work linked to it (`parentId`): a spin-off, sequel or
// adaptation, which inherits its parent's age restriction.
import type { Series } from './types.ts';
import { nameTokens as normalizedTokens, hasJapanese } from './normalize.ts';
import { createSlugAllocator } from './mal-csv.ts';

/** What a merge decided: the series to write, the superseded records to remove, and counts. */
export interface MergePlan {
  /** Series to upsert (new and changed ones only). */
  write: Series[];
  /** Earlier imported records (no products) now folded into another series: to delete. */
  remove: string[];
  inserted: number;
  updated: number;
  unchanged: number;
  /** Import rows folded into another row of the same import (a pilot, an edition). */
  folded: number;
  /** Imported series linked to the series they derive from. */
  linked: number;
  /** Imported series age-restricted because a series they derive from is. */
  restrictedByParent: number;
}

/**
 * Normalised tokens of a name, memoised: an import compares each of 15,000 rows' names with
 * many others, and normalising (NFKC, accents, romaji folding) is most of the cost. Cleared when
 * it grows past what one import needs, so a long-running service does not keep it.
 */
const tokenMemo = new Map<string, readonly string[]>();
function nameTokens(name: string): readonly string[] {
  let tokens = tokenMemo.get(name);
  if (!tokens) {
    if (tokenMemo.size > 200_000) tokenMemo.clear();
    tokens = normalizedTokens(name);
    tokenMemo.set(name, tokens);
  }
  return tokens;
}

/** The key two names must share to be "the same title" (as normalize.ts's nameKey). */
function nameKey(text: string): string {
  return nameTokens(text).join(' ') || text.trim().toLowerCase();
}

/** Edition words at the end of a name: the same work in another format (rule 2). */
const EDITION_SUFFIXES = [
  ['kanzenban'],
  ['kanzen', 'ban'],
  ['aizoban'],
  ['shinsoban'],
  ['bunkoban'],
  ['wideban'],
  ['full', 'color', 'kanzenban'],
  ['full', 'color'],
  ['full', 'colour'],
  ['colored'],
  ['digital', 'colored', 'comics'],
  ['digital', 'edition'],
  ['digital'],
  ['deluxe', 'edition'],
  ['perfect', 'edition'],
  ['complete', 'edition'],
];
/** Words at the end of a name that make it another medium: never the same work (linked instead). */
const ADAPTATION_SUFFIXES = [['light', 'novel'], ['novel']];

function endsWith(tokens: readonly string[], suffix: string[]): boolean {
  return tokens.length > suffix.length && suffix.every((t, i) => tokens[tokens.length - suffix.length + i] === t);
}

/** The name without an edition suffix ("Shaman King Kanzenban" → "shaman king"), or undefined. */
export function editionBase(name: string): string | undefined {
  const tokens = nameTokens(name);
  const suffix = EDITION_SUFFIXES.find((s) => endsWith(tokens, s));
  return suffix ? tokens.slice(0, tokens.length - suffix.length).join(' ') : undefined;
}

/** True when the name says it is a novel: an adaptation, not the manga itself. */
export function isAdaptation(name: string): boolean {
  const tokens = nameTokens(name);
  return ADAPTATION_SUFFIXES.some((s) => endsWith(tokens, s));
}

function names(s: Series): string[] {
  return [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? [])].filter((n): n is string => !!n);
}

/** The names an import row is known by (MAL rows have no Japanese title). */
function sourceNames(s: Series): string[] {
  return [s.title, s.titleEn, ...(s.aliases ?? [])].filter((n): n is string => !!n);
}

/** Name written without spaces or punctuation and without a leading article (rule 2). */
function compactKey(name: string): string {
  const tokens = nameTokens(name);
  return (tokens.length > 1 && tokens[0] === 'the' ? tokens.slice(1) : tokens).join('');
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

const surnameMemo = new Map<string, Set<string>>();
/** Name parts of the authors, plus each name run together ("Hotondo Shindeiru" = "Hotondoshindeiru"). */
function surnameKeys(authors: string[]): Set<string> {
  const memoKey = authors.join('\u0000');
  let keys = surnameMemo.get(memoKey);
  if (!keys) {
    if (surnameMemo.size > 100_000) surnameMemo.clear();
    // Whole names of any length (the artist "Fe"), parts only when long enough to mean something.
    keys = new Set(authors.flatMap((a) => [...nameKey(a).split(' ').filter((t) => t.length > 2), nameKey(a).replace(/ /g, '')]).filter((t) => t !== ''));
    surnameMemo.set(memoKey, keys);
  }
  return keys;
}

function shareKey(ours: Set<string>, theirs: Set<string>): boolean {
  for (const k of theirs) if (ours.has(k)) return true;
  return false;
}

function shareAuthor(a: Series, b: Series): boolean {
  return shareKey(surnameKeys(a.authors), surnameKeys(b.authors));
}

/** Same title by different (known, comparable) authors is a different work: MAL has two "Emma"s. */
function authorsCompatible(a: Series, b: Series): boolean {
  if (a.authors.length === 0 || b.authors.length === 0) return true;
  return shareAuthor(a, b);
}

/**
 * Every author of each is an author of the other. Rows of one source must agree this far to be
 * one work: Togainu no Chi is two manga of one game by two artists (sharing only the story credit).
 */
function sameAuthors(a: Series, b: Series): boolean {
  if (a.authors.length === 0 || b.authors.length === 0) return false;
  const covered = (x: Series, y: Series) => {
    const theirs = surnameKeys(y.authors);
    return x.authors.every((author) => shareKey(theirs, surnameKeys([author])));
  };
  return covered(a, b) && covered(b, a);
}

/** Volume counts two sources give for one work differ by a volume or two (KochiKame: 200 / 201). */
function volumesAgree(a: Series, b: Series): boolean {
  if (a.volumeCount === undefined || b.volumeCount === undefined) return false;
  return Math.abs(a.volumeCount - b.volumeCount) <= Math.max(2, 0.1 * Math.max(a.volumeCount, b.volumeCount));
}

function startsAgree(a: Series, b: Series): boolean {
  if (!a.startDate || !b.startDate) return true;
  return Math.abs(Number(a.startDate.slice(0, 4)) - Number(b.startDate.slice(0, 4))) <= 1;
}

/** The part of a title before its subtitle ("Rurouni Kenshin: Meiji ..." → "Rurouni Kenshin"). */
function head(name: string): string | undefined {
  const m = /^(.+?)(?::| - | ~)\s*\S/.exec(name);
  return m ? m[1] : undefined;
}

/** How strongly two records are one work (0: they are not), by the rules at the top of this file. */
export function sameWorkStrength(a: Series, b: Series, opts: { acrossSources: boolean }): number {
  if (opts.acrossSources ? !authorsCompatible(a, b) : !sameAuthors(a, b)) return 0;
  const aNames = opts.acrossSources ? names(a) : sourceNames(a);
  const bNames = opts.acrossSources ? names(b) : sourceNames(b);
  // A novel is never the manga, whatever it shares with it.
  if (aNames.some(isAdaptation) !== bNames.some(isAdaptation)) return 0;
  const aKeys = new Set(aNames.map(nameKey));
  if (bNames.some((n) => aKeys.has(nameKey(n)))) return 3;
  const aCompact = new Set(aNames.map(compactKey).filter((k) => k.length > 1));
  if (bNames.some((n) => aCompact.has(compactKey(n)))) return 2;
  const bKeys = new Set(bNames.map(nameKey));
  const editionOf = (ns: string[], keys: Set<string>) => ns.some((n) => {
    const base = editionBase(n);
    return base !== undefined && keys.has(base);
  });
  if (editionOf(aNames, bKeys) || editionOf(bNames, aKeys)) return 2;
  if (!opts.acrossSources || !shareAuthor(a, b) || !volumesAgree(a, b) || !startsAgree(a, b)) return 0;
  const headOf = (ns: string[], keys: Set<string>) => ns.some((n) => {
    const h = head(n);
    return h !== undefined && keys.has(nameKey(h));
  });
  return headOf(aNames, bKeys) || headOf(bNames, aKeys) ? 1 : 0;
}

/**
 * An imported record folded into a series the store already has. The store's own data wins
 * (id, names and English title, Japanese title, synopsis, status, volume count and age flag it curates; its
 * products are untouched because products are keyed by series id), imported data fills what is
 * missing. Score and popularity rank come from the import when it has them: they are community
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
  // The store names its series: without an English title of its own, the title is what English
  // customers call it (Rurouni Kenshin, not "Rurouni Kenshin: Meiji Swordsman Romantic Story");
  // the import's English title is kept as an alias, so it still finds the series.
  if (existing.titleEn === undefined) delete merged.titleEn;
  // The store links its own series (or does not): an import does not.
  if (existing.parentId === undefined) delete merged.parentId;
  return merged;
}

/** Fields only the store writes (never an import): kept when a newer import replaces a record. */
const STORE_FIELDS = ['titleJa', 'authorsJa', 'synopsis', 'synopsisJa'] as const;

/**
 * A newer import of a record an earlier import wrote: the import's own fields are replaced (a
 * better parse, a changed age rule), what the store added by hand is kept, and so is the id.
 */
function replaceImported(existing: Series, imported: Series): Series {
  const out: Series = { ...imported, id: existing.id };
  for (const f of STORE_FIELDS) if (existing[f] !== undefined && out[f] === undefined) (out as unknown as Record<string, unknown>)[f] = existing[f];
  const own = [imported.title, imported.titleEn].filter((n): n is string => !!n).map(nameKey);
  const aliases = union(imported.aliases, existing.aliases).filter((a) => !own.includes(nameKey(a)));
  if (aliases.length > 0) out.aliases = aliases;
  else delete out.aliases;
  return out;
}

function sameContent(a: Series, b: Series): boolean {
  const canon = (s: Series) => JSON.stringify(Object.entries(s).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canon(a) === canon(b);
}

function byPopularity(a: Series, b: Series): number {
  return (a.popularityRank ?? Infinity) - (b.popularityRank ?? Infinity);
}

const lookupMemo = new Map<string, { keys: string[]; head?: string }>();
/**
 * The keys under which a name is filed for comparison: its name key, compact key and edition
 * base, plus its head (rule 3, across sources only: within a source it would put every
 * "Kingdom Hearts: ..." beside every other).
 */
function lookupKeys(name: string, withHead: boolean): string[] {
  let entry = lookupMemo.get(name);
  if (!entry) {
    if (lookupMemo.size > 200_000) lookupMemo.clear();
    const keys = [`n:${nameKey(name)}`];
    const compact = compactKey(name);
    if (compact.length > 1) keys.push(`c:${compact}`);
    const base = editionBase(name);
    if (base) keys.push(`n:${base}`);
    const h = head(name);
    entry = h ? { keys, head: `n:${nameKey(h)}` } : { keys };
    lookupMemo.set(name, entry);
  }
  return withHead && entry.head ? [...entry.keys, entry.head] : entry.keys;
}

/** Buckets of records by the keys the rules compare, so only records sharing one are compared. */
function keyIndex(all: Series[], namesOf: (s: Series) => string[], withHead: boolean): Map<string, Series[]> {
  const index = new Map<string, Series[]>();
  for (const s of all) {
    for (const n of namesOf(s)) {
      for (const k of lookupKeys(n, withHead)) {
        const list = index.get(k);
        if (!list) index.set(k, [s]);
        else if (list[list.length - 1] !== s) list.push(s);
      }
    }
  }
  return index;
}

/** Records of `index` sharing any key with `s` (candidates; the rules then decide). */
function candidates(index: Map<string, Series[]>, s: Series, namesOf: (s: Series) => string[], withHead: boolean): Set<Series> {
  const out = new Set<Series>();
  for (const n of namesOf(s)) for (const k of lookupKeys(n, withHead)) for (const c of index.get(k) ?? []) if (c !== s) out.add(c);
  return out;
}

/**
 * Folds rows of one import that are one work (same name and author: a pilot listed beside its
 * series; an edition beside the work) into the most popular non-edition row, which keeps the
 * other rows' names as aliases and is restricted when any of them is.
 */
export function groupWorks(rows: Series[]): { works: Series[]; folded: number } {
  const parent = new Map<Series, Series>();
  const find = (s: Series): Series => {
    let r = s;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(s, r);
    return r;
  };
  for (const s of rows) parent.set(s, s);
  const index = keyIndex(rows, sourceNames, false);
  for (const s of rows) {
    for (const c of candidates(index, s, sourceNames, false)) {
      if (find(c) !== find(s) && sameWorkStrength(s, c, { acrossSources: false }) > 0) parent.set(find(c), find(s));
    }
  }
  const groups = new Map<Series, Series[]>();
  for (const s of rows) {
    const root = find(s);
    const g = groups.get(root);
    if (g) g.push(s);
    else groups.set(root, [s]);
  }
  const works: Series[] = [];
  let folded = 0;
  for (const g of groups.values()) {
    if (g.length === 1) {
      works.push(g[0]);
      continue;
    }
    const isEdition = (s: Series) => sourceNames(s).some((n) => editionBase(n) !== undefined);
    const [primary, ...others] = [...g].sort((a, b) => Number(isEdition(a)) - Number(isEdition(b)) || byPopularity(a, b));
    const known = new Set(sourceNames(primary).map(nameKey));
    const aliases = [...(primary.aliases ?? [])];
    for (const n of others.flatMap(sourceNames)) {
      if (known.has(nameKey(n))) continue;
      known.add(nameKey(n));
      aliases.push(n);
    }
    const work: Series = { ...primary, ageRestricted: g.some((s) => s.ageRestricted === true) };
    if (aliases.length > 0) work.aliases = aliases;
    works.push(work);
    folded += others.length;
  }
  return { works, folded };
}

/**
 * Pairs incoming works with the existing series each is, one-to-one: strongest rule first, then
 * the store's own series (it has products) over an earlier import, then the record with the
 * incoming id (re-importing a file is idempotent), then the most popular. Also returns, per
 * incoming work, the other existing records that are the same work (earlier duplicates).
 */
export function matchWorks(
  existing: Series[],
  incoming: Series[],
  storeOwned: (s: Series) => boolean,
): { target: Map<Series, Series>; duplicates: Map<Series, Series[]> } {
  const index = keyIndex(existing, names, true);
  const pairs: { work: Series; match: Series; strength: number }[] = [];
  for (const work of incoming) {
    for (const c of candidates(index, work, names, true)) {
      const strength = sameWorkStrength(work, c, { acrossSources: true });
      if (strength > 0) pairs.push({ work, match: c, strength });
    }
  }
  pairs.sort(
    (x, y) =>
      y.strength - x.strength ||
      Number(storeOwned(y.match)) - Number(storeOwned(x.match)) ||
      Number(y.match.id === y.work.id) - Number(x.match.id === x.work.id) ||
      byPopularity(x.match, y.match),
  );
  const target = new Map<Series, Series>();
  const claimed = new Set<string>();
  for (const p of pairs) {
    if (target.has(p.work) || claimed.has(p.match.id)) continue;
    target.set(p.work, p.match);
    claimed.add(p.match.id);
  }
  const duplicates = new Map<Series, Series[]>();
  for (const p of pairs) {
    const chosen = target.get(p.work);
    if (claimed.has(p.match.id) || !chosen) continue;
    // Two earlier records the work matches are one only if they are one by themselves: the
    // import kept "Ginga Tetsudou 999 (1996)", drawn by another artist, apart from the original.
    if (sameWorkStrength(p.match, chosen, { acrossSources: storeOwned(chosen) }) === 0) continue;
    const list = duplicates.get(p.work);
    if (!list) duplicates.set(p.work, [p.match]);
    else if (!list.includes(p.match)) list.push(p.match);
  }
  return { target, duplicates };
}

/** True when `name` is one of the parent's names followed by a colon, dash, tilde or bracket (Gantz:G). */
function setOff(name: string, parent: Series): boolean {
  const lower = name.toLowerCase();
  return [parent.title, parent.titleEn].some((p) => {
    if (!p || !lower.startsWith(p.toLowerCase())) return false;
    return /^(?::\s*\S|\s+[-~(])/.test(name.slice(p.length));
  });
}

/**
 * Links imported series to the series they derive from and carries age restrictions down: a
 * series whose title or English title starts with another series' name (then more words) is a
 * spin-off, sequel or adaptation of it. The link (`parentId`, the longest such name) needs a
 * shared author; the restriction does not (a spin-off drawn by another artist is still Gantz).
 * The store's own series are never changed: the store decides their flags. Returns the series
 * that changed.
 */
export function linkDerivedWorks(all: Series[], storeOwned: (s: Series) => boolean): { changed: Series[]; linked: number; restrictedByParent: number } {
  const byName = new Map<string, Series[]>();
  // Abbreviations (OP, AoT) would make every title that starts with them a spin-off.
  // A Latin-script "Japanese title" is the official one (GTO).
  const parentNames = (s: Series) => [s.title, s.titleEn, s.titleJa, ...(s.aliases ?? []).filter((a) => a.length >= 5 || a.includes(' '))];
  const titled = new Map<string, Set<Series>>(); // name -> series whose title or English title it is
  for (const s of all) {
    for (const n of parentNames(s)) {
      if (!n || hasJapanese(n)) continue;
      const k = nameTokens(n).join(' ');
      if (k === '') continue;
      const list = byName.get(k);
      if (!list) byName.set(k, [s]);
      else if (!list.includes(s)) list.push(s);
      if (n === s.title || n === s.titleEn) (titled.get(k) ?? titled.set(k, new Set()).get(k)!).add(s);
    }
  }
  // A series with that title before one with that alias, then the more popular: the same parent
  // whichever order the catalog was loaded in.
  for (const [k, list] of byName) {
    if (list.length < 2) continue;
    const named = titled.get(k);
    list.sort((a, b) => Number(named?.has(b) ?? false) - Number(named?.has(a) ?? false) || byPopularity(a, b));
  }
  // Every series this one derives from, longest name first, and whether the link is plain:
  // a shared author, a parent name of three words or more, or the subtitle set off by a colon
  // or dash (Gantz:G). A short title followed by more words is too weak on its own: the
  // restricted "Blue" (a one-shot) is no parent of Blue Giant, nor "Angel" of Angel Densetsu.
  const ancestorsOf = (s: Series): { parent: Series; plain: boolean }[] => {
    const out: { parent: Series; plain: boolean }[] = [];
    for (const n of [s.title, s.titleEn]) {
      if (!n) continue;
      const tokens = nameTokens(n);
      const prefixes: string[] = [];
      for (let k = 0, prefix = ''; k < tokens.length - 1; k++) prefixes.push((prefix = k === 0 ? tokens[0] : `${prefix} ${tokens[k]}`));
      prefixes.reverse().forEach((prefix, i) => {
        const words = tokens.length - 1 - i;
        for (const p of byName.get(prefix) ?? []) {
          if (p === s || out.some((a) => a.parent === p)) continue;
          out.push({ parent: p, plain: words >= 3 || shareAuthor(p, s) || setOff(n, p) });
        }
      });
    }
    return out;
  };
  const next = new Map<string, Series>();
  const ids = new Set(all.map((s) => s.id));
  const imported = all.filter((s) => !storeOwned(s)).map((s) => ({ s, ancestors: ancestorsOf(s) }));
  let linked = 0;
  for (const { s, ancestors } of imported) {
    const parent = ancestors.find((a) => shareAuthor(a.parent, s))?.parent;
    if (parent && s.parentId !== parent.id) {
      next.set(s.id, { ...s, parentId: parent.id });
      linked++;
    } else if (!parent && s.parentId !== undefined && !ids.has(s.parentId)) {
      // Linked by an earlier import to a record since folded away.
      const { parentId: _gone, ...rest } = s;
      next.set(s.id, rest);
    }
  }
  const derived = imported.filter((d) => d.ancestors.length > 0);
  // Restrictions travel down chains (Gantz → Gantz:G → ...): repeat until nothing changes.
  const current = (s: Series) => next.get(s.id) ?? s;
  let restrictedByParent = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const { s, ancestors } of derived) {
      const me = current(s);
      if (me.ageRestricted === true || !ancestors.some((a) => a.plain && current(a.parent).ageRestricted === true)) continue;
      next.set(s.id, { ...me, ageRestricted: true });
      restrictedByParent++;
      changed = true;
    }
  }
  return { changed: [...next.values()], linked, restrictedByParent };
}

/**
 * Plans an import of third-party series (MyAnimeList): rows of one work are folded together,
 * each work merged into the existing series it is (the store's own data wins; an earlier import
 * of it is replaced), earlier duplicates of it removed, the rest inserted under a slug not
 * already taken; then derived works are linked and restrictions carried down.
 */
export function planMerge(existing: Series[], imported: Series[], storeOwnedIds: ReadonlySet<string> = new Set()): MergePlan {
  const storeOwned = (s: Series) => storeOwnedIds.has(s.id);
  const allocate = createSlugAllocator(existing.map((s) => s.id));
  const { works, folded } = groupWorks(imported);
  const { target, duplicates } = matchWorks(existing, works, storeOwned);
  const after = new Map(existing.map((s) => [s.id, s]));
  const matched = new Set<string>();
  const removed = new Set<string>();
  for (const work of works) {
    const match = target.get(work);
    if (match) {
      after.set(match.id, storeOwned(match) ? mergeSeries(match, work) : replaceImported(match, work));
      matched.add(match.id);
      for (const dup of duplicates.get(work) ?? []) if (!storeOwned(dup)) removed.add(dup.id);
    } else {
      const id = allocate(work.id);
      after.set(id, { ...work, id });
    }
  }
  for (const id of removed) after.delete(id);
  const links = linkDerivedWorks([...after.values()], storeOwned);
  for (const s of links.changed) after.set(s.id, s);

  const before = new Map(existing.map((s) => [s.id, s]));
  const plan: MergePlan = { write: [], remove: [...removed], inserted: 0, updated: 0, unchanged: 0, folded, linked: links.linked, restrictedByParent: links.restrictedByParent };
  for (const s of after.values()) {
    const old = before.get(s.id);
    if (old && sameContent(old, s)) {
      if (matched.has(s.id)) plan.unchanged++;
      continue;
    }
    plan.write.push(s);
    if (old) plan.updated++;
    else plan.inserted++;
  }
  return plan;
}
