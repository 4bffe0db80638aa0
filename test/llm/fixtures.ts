/** Fixture catalog, orders, passages and promotions for building Groundings in the answer-engine tests. */
import type { Grounding, SeriesWithProducts } from '../../src/llm/types.ts';
import type { Product, Series } from '../../src/catalog/types.ts';
import type { Order } from '../../src/orders/types.ts';
import type { Promotion } from '../../src/promotions/types.ts';
import type { ScoredDoc } from '../../src/retrieval/types.ts';
import type { Intent, Language } from '../../src/understanding/types.ts';

/** The fixed clock of the tests: 2026-11-23 in Japan. */
export const NOW = new Date('2026-11-23T03:00:00Z');

export const LINKS = { search: 'https://shop.example/search', orderTracking: 'https://shop.example/orders', support: 'https://shop.example/support' };

function vol(seriesId: string, volume: number, priceJpy: number, stock: number, releaseDate: string, format: Product['format'] = 'tankobon'): Product {
  return { id: `${seriesId}-v${volume}${format === 'tankobon' ? '' : `-${format}`}`, seriesId, volume, format, priceJpy, stock, releaseDate };
}

export const ONE_PIECE: Series = {
  id: 'one-piece', title: 'One Piece', titleJa: 'ワンピース', authors: ['Oda Eiichiro'], genres: ['Action', 'Adventure'],
  themes: ['Pirates'], demographic: 'Shounen', status: 'publishing', volumeCount: 110,
  synopsis: 'Monkey D. Luffy sets out to find the legendary treasure One Piece. He gathers a crew on the way.',
  synopsisJa: '海賊王を目指すモンキー・D・ルフィの冒険物語。仲間と共に大海原を進む。',
};
export const ONE_PIECE_PRODUCTS: Product[] = [
  vol('one-piece', 108, 528, 12, '2024-03-04'),
  vol('one-piece', 108, 495, 999, '2024-03-04', 'digital'),
  vol('one-piece', 109, 528, 0, '2024-07-04'),
  vol('one-piece', 110, 1320, 40, '2024-11-01'),
  vol('one-piece', 111, 1320, 0, '2027-03-04'),
];
export const FRIEREN: Series = {
  id: 'frieren', title: 'Sousou no Frieren', titleEn: "Frieren: Beyond Journey's End", titleJa: '葬送のフリーレン',
  authors: ['Yamada Kanehito', 'Abe Tsukasa'], genres: ['Adventure', 'Drama', 'Fantasy'], themes: [], demographic: 'Shounen',
  status: 'publishing', volumeCount: 13,
};
export const FRIEREN_PRODUCTS: Product[] = [vol('frieren', 13, 594, 3, '2024-06-18')];
export const HONEY: Series = {
  id: 'honey-and-clover', title: 'Honey and Clover', titleJa: 'ハチミツとクローバー', authors: ['Umino Chica'],
  genres: ['Comedy', 'Drama', 'Romance'], themes: ['Love Polygon'], demographic: 'Josei', status: 'finished', volumeCount: 10,
};
export const MONSTER: Series = {
  id: 'monster', title: 'Monster', authors: ['Urasawa Naoki'], genres: ['Drama', 'Mystery'], themes: ['Adult Cast'],
  demographic: 'Seinen', status: 'finished', volumeCount: 18,
};
export const YOTSUBA: Series = {
  id: 'yotsuba', title: 'Yotsuba to!', titleJa: 'よつばと！', authors: ['Azuma Kiyohiko'], genres: ['Comedy', 'Slice of Life'],
  themes: ['Childcare'], demographic: 'Seinen', status: 'hiatus', volumeCount: 15,
};
/** A title that exists in the catalog but never in a grounding: it must never show up in an answer. */
export const NEVER_GROUNDED = ['Naruto', 'ナルト', 'Bleach', 'ブリーチ'];

export const ORDERS: Order[] = [
  {
    id: 'MA-20261101-0042', customerId: 'c-7', status: 'shipped', placedAt: '2026-11-01T10:00:00+09:00',
    lines: [{ productId: 'one-piece-v110', title: 'One Piece Vol. 110', quantity: 2, unitPriceJpy: 1320 }], totalJpy: 2640,
    carrier: 'Yamato Transport', trackingNumber: '4455-6677-8899', estimatedDelivery: '2026-11-25',
  },
  {
    id: 'MA-20261015-0007', customerId: 'c-7', status: 'delivered', placedAt: '2026-10-15T09:00:00+09:00',
    lines: [{ productId: 'frieren-v13', title: 'Frieren Vol. 13', quantity: 1, unitPriceJpy: 594 }], totalJpy: 594,
    deliveredAt: '2026-10-18',
  },
];

export const PASSAGES: ScoredDoc[] = [
  {
    score: 0.9,
    doc: {
      id: 'kb:returns#0', kind: 'kb', language: 'en', title: 'Returns and refunds', ref: 'returns',
      text: 'You can return unopened items within 14 days of delivery. Opened manga can only be returned if damaged. Refunds are issued to the original payment method within 5 business days. Digital volumes cannot be returned.',
    },
  },
  {
    score: 0.8,
    doc: {
      id: 'kb:returns-ja#0', kind: 'kb', language: 'ja', title: '返品・返金について', ref: 'returns',
      text: '未開封の商品はお届けから14日以内であれば返品いただけます。開封済みの商品は、破損がある場合のみ返品を承ります。返金は5営業日以内に元のお支払い方法へ行います。電子書籍は返品できません。',
    },
  },
];

export const PROMOTIONS: Promotion[] = [
  {
    id: 'p-winter', title: 'Winter Manga Sale', titleJa: '冬のマンガセール', description: '10% off all shounen titles.',
    descriptionJa: '少年マンガ全品10%オフ。', kind: 'percent_off', value: 10, seriesIds: [], startsAt: '2026-11-20T00:00:00+09:00',
    endsAt: '2026-12-25T23:59:59+09:00', code: 'WINTER10',
  },
  {
    id: 'p-points', title: 'Double Points on One Piece', titleJa: 'ワンピース ポイント2倍', description: 'Earn double points on One Piece volumes.',
    descriptionJa: 'ワンピース全巻でポイント2倍。', kind: 'points_multiplier', value: 2, seriesIds: ['one-piece'], startsAt: '2026-11-01T00:00:00+09:00',
    endsAt: '2026-11-30T23:59:59+09:00',
  },
];

/** A series entry for a grounding. */
export function entry(series: Series, products: Product[] = [], reasons?: string[]): SeriesWithProducts {
  return { series, products, reasons };
}

/** A grounding with nothing found, for `intent` in `language`; override what the test needs. */
export function grounding(intent: Intent, language: Language, over: Partial<Grounding> = {}): Grounding {
  return {
    intent, language, text: language === 'ja' ? 'こんにちは' : 'hello', history: [],
    customer: { kind: 'member', customerId: 'c-7' }, series: [], passages: [], orders: [], promotions: [], reviews: [],
    degraded: [], links: LINKS, ...over,
  };
}

/** A rich grounding for every intent (the "happy path" the pipeline would build). */
export function richGrounding(intent: Intent, language: Language): Grounding {
  const ja = language === 'ja';
  switch (intent) {
    case 'product_search':
    case 'product_question':
      return grounding(intent, language, {
        text: ja ? 'ワンピースについて教えて' : 'tell me about one piece',
        series: [entry(ONE_PIECE, ONE_PIECE_PRODUCTS, ['search']), entry(FRIEREN, FRIEREN_PRODUCTS, ['search'])],
        reviews: [{ seriesId: 'one-piece', averageRating: 4.7, count: 128, highlights: [] }],
        promotions: PROMOTIONS,
      });
    case 'price_availability':
      return grounding(intent, language, {
        text: ja ? 'ワンピースの109巻はいくら？' : 'how much is one piece vol 109',
        series: [entry(ONE_PIECE, ONE_PIECE_PRODUCTS, ['search'])], requestedVolume: 109,
      });
    case 'recommendation':
      return grounding(intent, language, {
        text: ja ? 'おすすめを教えて' : 'recommend me something',
        series: [
          entry(FRIEREN, FRIEREN_PRODUCTS, ['genre:Fantasy', 'demographic:Shounen']),
          entry(HONEY, [], ['genre:Romance', 'theme:Love Polygon']),
          entry(MONSTER, [], ['same_author:Urasawa Naoki']),
          entry(YOTSUBA, [], ['popular']),
        ],
      });
    case 'order_status':
      return grounding(intent, language, { text: ja ? '注文はいつ届きますか' : 'where is my order', orders: ORDERS });
    case 'faq':
      return grounding(intent, language, { text: ja ? '開封した本は返品できますか' : 'can I return an opened book?', passages: PASSAGES });
    case 'promotion':
      return grounding(intent, language, { text: ja ? 'セールはありますか' : 'any sales on?', promotions: PROMOTIONS });
    case 'chitchat':
      return grounding(intent, language, { text: ja ? 'ありがとう' : 'thanks!' });
    case 'escalation':
      return grounding(intent, language, { text: ja ? '担当者と話したい' : 'I want to talk to a human' });
    case 'out_of_scope':
      return grounding(intent, language, { text: ja ? '明日の天気は？' : "what's the weather tomorrow?" });
  }
}
