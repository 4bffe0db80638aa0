import type { Product, Series } from '../../src/catalog/types.ts';

/** A handful of real series, written the way the shipped catalog writes them. */
export const fixtureSeries: Series[] = [
  {
    id: 'berserk', title: 'Berserk', titleJa: 'ベルセルク', authors: ['Kentarou Miura'],
    genres: ['Action', 'Adventure', 'Drama', 'Fantasy', 'Horror'], themes: ['Gore', 'Military', 'Mythology', 'Psychological'],
    demographic: 'Seinen', magazine: 'Young Animal', status: 'publishing', volumeCount: 42, score: 9.47, popularityRank: 1,
    ageRestricted: true, startDate: '1989-08-25',
  },
  {
    id: 'jojo-steel-ball-run', title: 'JoJo no Kimyou na Bouken Part 7: Steel Ball Run', titleEn: "JoJo's Bizarre Adventure Part 7: Steel Ball Run",
    titleJa: 'スティール・ボール・ラン', authors: ['Hirohiko Araki'], genres: ['Action', 'Adventure', 'Mystery', 'Supernatural'],
    themes: ['Historical'], demographic: 'Seinen', status: 'finished', volumeCount: 24, score: 9.31, popularityRank: 23,
  },
  {
    id: 'jojolion', title: 'JoJo no Kimyou na Bouken Part 8: JoJolion', titleEn: "JoJo's Bizarre Adventure Part 8: JoJolion",
    authors: ['Hirohiko Araki'], genres: ['Action', 'Adventure', 'Mystery', 'Supernatural'], themes: [],
    demographic: 'Seinen', status: 'finished', volumeCount: 27, score: 8.6, popularityRank: 120,
  },
  {
    id: 'one-piece', title: 'One Piece', titleJa: 'ワンピース', aliases: ['OP'], authors: ['Eiichiro Oda'],
    genres: ['Action', 'Adventure', 'Fantasy'], themes: [], demographic: 'Shounen', magazine: 'Weekly Shounen Jump',
    status: 'publishing', volumeCount: 110, score: 9.22, popularityRank: 4, synopsis: 'Luffy sets out to find the One Piece.',
  },
  {
    id: 'sousou-no-frieren', title: 'Sousou no Frieren', titleEn: "Frieren: Beyond Journey's End", titleJa: '葬送のフリーレン',
    authors: ['Kanehito Yamada', 'Tsukasa Abe'], genres: ['Adventure', 'Drama', 'Fantasy'], themes: [], demographic: 'Shounen',
    status: 'publishing', score: 8.9, popularityRank: 60,
  },
  {
    id: 'kimetsu-no-yaiba', title: 'Kimetsu no Yaiba', titleEn: 'Demon Slayer', titleJa: '鬼滅の刃', authors: ['Koyoharu Gotouge'],
    genres: ['Action', 'Fantasy'], themes: ['Historical'], demographic: 'Shounen', status: 'finished', volumeCount: 23,
    score: 8.1, popularityRank: 14,
  },
  {
    id: 'shingeki-no-kyojin', title: 'Shingeki no Kyojin', titleEn: 'Attack on Titan', titleJa: '進撃の巨人', authors: ['Hajime Isayama'],
    genres: ['Action', 'Drama', 'Fantasy', 'Mystery'], themes: ['Gore', 'Military', 'Survival'], demographic: 'Shounen',
    status: 'finished', volumeCount: 34, score: 8.6, popularityRank: 2,
  },
  {
    id: 'kaguya-sama', title: 'Kaguya-sama wa Kokurasetai', titleEn: 'Kaguya-sama: Love Is War', authors: ['Aka Akasaka'],
    genres: ['Comedy', 'Romance'], themes: ['School', 'Love Polygon'], demographic: 'Seinen', status: 'finished', volumeCount: 28,
    score: 8.8, popularityRank: 30,
  },
  {
    id: 'yagate-kimi-ni-naru', title: 'Yagate Kimi ni Naru', titleEn: 'Bloom into You', authors: ['Nakatani Nio'],
    genres: ['Drama', 'Girls Love', 'Romance'], themes: ['School'], demographic: 'Shounen', status: 'finished', volumeCount: 8,
    score: 8.5, popularityRank: 300,
  },
];

/** Volumes of two series, in a deliberately shuffled order. */
export const fixtureProducts: Product[] = [
  { id: 'one-piece-v2', seriesId: 'one-piece', volume: 2, format: 'tankobon', priceJpy: 528, stock: 4, releaseDate: '1998-04-03' },
  { id: 'one-piece-v1-digital', seriesId: 'one-piece', volume: 1, format: 'digital', priceJpy: 480, stock: 999, releaseDate: '1997-12-24' },
  { id: 'one-piece-v1', seriesId: 'one-piece', volume: 1, format: 'tankobon', priceJpy: 528, stock: 12, releaseDate: '1997-12-24' },
  { id: 'berserk-v1', seriesId: 'berserk', volume: 1, format: 'tankobon', priceJpy: 660, stock: 0, releaseDate: '1990-11-26' },
];
