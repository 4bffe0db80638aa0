import { normalizeName } from '../catalog/normalize.ts';

/**
 * The tag vocabulary recommendations filter on: MyAnimeList's genre, theme and demographic
 * names (what the catalog stores), plus the other ways customers say them, in English and
 * Japanese. Matching is case- and punctuation-insensitive ("sci fi" = "Sci-Fi").
 */

/** A canonical tag and which list it belongs to. */
export interface CanonicalTag {
  kind: 'genre' | 'theme' | 'demographic';
  name: string;
}

/** MyAnimeList's genre names, as the catalog stores them. */
export const MAL_GENRES = [
  'Action', 'Adventure', 'Avant Garde', 'Award Winning', 'Boys Love', 'Comedy', 'Drama', 'Ecchi', 'Erotica', 'Fantasy',
  'Girls Love', 'Gourmet', 'Hentai', 'Horror', 'Mystery', 'Romance', 'Sci-Fi', 'Slice of Life', 'Sports', 'Supernatural', 'Suspense',
];

/** MyAnimeList's theme names, as the catalog stores them. */
export const MAL_THEMES = [
  'Adult Cast', 'Anthropomorphic', 'CGDCT', 'Childcare', 'Combat Sports', 'Crossdressing', 'Delinquents', 'Detective', 'Educational',
  'Gag Humor', 'Gore', 'Harem', 'High Stakes Game', 'Historical', 'Idols (Female)', 'Idols (Male)', 'Isekai', 'Iyashikei',
  'Love Polygon', 'Love Status Quo', 'Magical Sex Shift', 'Mahou Shoujo', 'Martial Arts', 'Mecha', 'Medical', 'Memoir', 'Military',
  'Music', 'Mythology', 'Organized Crime', 'Otaku Culture', 'Parody', 'Performing Arts', 'Pets', 'Psychological', 'Racing',
  'Reincarnation', 'Reverse Harem', 'Samurai', 'School', 'Showbiz', 'Space', 'Strategy Game', 'Super Power', 'Survival',
  'Team Sports', 'Time Travel', 'Urban Fantasy', 'Vampire', 'Video Game', 'Villainess', 'Visual Arts', 'Workplace',
];

/** Demographics (MyAnimeList's, with Kids written Kodomomuke as in Series.demographic). */
export const DEMOGRAPHICS = ['Shounen', 'Seinen', 'Shoujo', 'Josei', 'Kodomomuke'];

/** Other words for a canonical tag (compared after normalisation). */
const SYNONYMS: Record<string, string> = {
  'science fiction': 'Sci-Fi', sf: 'Sci-Fi', scifi: 'Sci-Fi', yuri: 'Girls Love', 'shoujo ai': 'Girls Love', yaoi: 'Boys Love',
  bl: 'Boys Love', 'shounen ai': 'Boys Love', food: 'Gourmet', cooking: 'Gourmet', sport: 'Sports', 'slice of life': 'Slice of Life',
  sol: 'Slice of Life', thriller: 'Suspense', romcom: 'Romance', 'romantic comedy': 'Romance', love: 'Romance', funny: 'Comedy',
  scary: 'Horror', magic: 'Fantasy', 'magical girl': 'Mahou Shoujo', robot: 'Mecha', robots: 'Mecha', ninja: 'Martial Arts',
  'martial art': 'Martial Arts', 'high school': 'School', history: 'Historical', 'historical fiction': 'Historical', idol: 'Idols (Female)',
  idols: 'Idols (Female)', 'time loop': 'Time Travel', vampires: 'Vampire', gaming: 'Video Game', 'video games': 'Video Game',
  games: 'Video Game', 'another world': 'Isekai', reincarnated: 'Reincarnation', 'villainess otome': 'Villainess',
  shonen: 'Shounen', shojo: 'Shoujo', kids: 'Kodomomuke', children: 'Kodomomuke', kodomo: 'Kodomomuke', childrens: 'Kodomomuke',
  恋愛: 'Romance', ラブコメ: 'Romance', ロマンス: 'Romance', コメディ: 'Comedy', ギャグ: 'Gag Humor', アクション: 'Action', 冒険: 'Adventure',
  ファンタジー: 'Fantasy', ホラー: 'Horror', ミステリー: 'Mystery', 推理: 'Mystery', サスペンス: 'Suspense', ドラマ: 'Drama',
  日常: 'Slice of Life', スポーツ: 'Sports', グルメ: 'Gourmet', 料理: 'Gourmet', 百合: 'Girls Love', ボーイズラブ: 'Boys Love',
  異世界: 'Isekai', 転生: 'Reincarnation', 学園: 'School', 歴史: 'Historical', 時代劇: 'Historical', ロボット: 'Mecha', メカ: 'Mecha',
  心理: 'Psychological', 音楽: 'Music', 吸血鬼: 'Vampire', 医療: 'Medical', 悪役令嬢: 'Villainess', 超能力: 'Super Power',
  格闘技: 'Martial Arts', 探偵: 'Detective', 軍事: 'Military', 宇宙: 'Space', 魔法少女: 'Mahou Shoujo', 少年: 'Shounen', 青年: 'Seinen',
  少女: 'Shoujo', 女性: 'Josei', 子供: 'Kodomomuke', 児童: 'Kodomomuke', 超自然: 'Supernatural', 癒し: 'Iyashikei', 忍者: 'Martial Arts',
};

const key = (text: string): string => normalizeName(text).replace(/ /g, '');

/** Resolves customer words to canonical tags; `extra` adds names seen in the catalog itself. */
export function createVocabulary(extra: { genres: Iterable<string>; themes: Iterable<string>; demographics: Iterable<string> } = { genres: [], themes: [], demographics: [] }): (term: string) => CanonicalTag | undefined {
  const table = new Map<string, CanonicalTag>();
  const put = (kind: CanonicalTag['kind'], name: string) => {
    if (!table.has(key(name))) table.set(key(name), { kind, name });
  };
  for (const n of MAL_GENRES) put('genre', n);
  for (const n of MAL_THEMES) put('theme', n);
  for (const n of DEMOGRAPHICS) put('demographic', n);
  for (const n of extra.genres) put('genre', n);
  for (const n of extra.themes) put('theme', n);
  // The catalog's own name for a canonical demographic (the shipped catalog writes Kids for
  // MyAnimeList's Kodomomuke) is that demographic, not a second one beside it.
  for (const n of extra.demographics) {
    const canonical = SYNONYMS[n.toLowerCase()];
    const target = canonical && DEMOGRAPHICS.includes(canonical) ? table.get(key(canonical)) : undefined;
    if (target && !table.has(key(n))) table.set(key(n), target);
    else put('demographic', n);
  }
  for (const [word, name] of Object.entries(SYNONYMS)) {
    const target = table.get(key(name));
    if (target && !table.has(key(word))) table.set(key(word), target);
  }
  return (term: string) => {
    const k = key(term);
    // "romances", "vampires": a plural of a known tag.
    return table.get(k) ?? (k.endsWith('s') ? table.get(k.slice(0, -1)) : undefined);
  };
}
