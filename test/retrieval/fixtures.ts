// Small hand-written KB and catalog used by the retrieval tests (independent of data/).
import type { Series } from '../../src/catalog/types.ts';
import type { IndexedDoc } from '../../src/retrieval/types.ts';
import { chunkMarkdown, seriesToDoc } from '../../src/retrieval/documents.ts';

/** Knowledge-base markdown by `<lang>/<topic>`. */
export const KB_FILES: Record<string, string> = {
  'en/shipping': `# Shipping\n\nWe ship from Tokyo.\n\n## Shipping fees\nShipping is free on orders over 5,000 yen. Otherwise the fee is 500 yen.\n\n## Overseas shipping\nWe ship to most countries by EMS.`,
  'en/returns': `# Returns and refunds\n\n## Damaged books\nIf a book arrives damaged, you can return it within 14 days for a full refund or an exchange.\n\n## Change of mind\nUnopened books can be returned within 7 days.`,
  'en/payment-methods': `# Payment methods\n\n## Accepted payments\nWe accept credit cards, PayPay and convenience store payment (konbini).`,
  'ja/shipping': `# 配送について\n\n## 送料\n5,000円以上のご注文で送料無料です。それ以外は送料500円です。\n\n## 海外発送\nEMSで海外へ発送します。`,
  'ja/returns': `# 返品・返金\n\n## 破損した本\n破損した商品は14日以内に返品・交換できます。`,
  'ja/payment-methods': `# お支払い方法\n\n## 利用できるお支払い\nクレジットカード、PayPay、コンビニ払いがご利用いただけます。`,
};

/** A few real series, enough to test names, authors and synopses in both languages. */
export const SERIES: Series[] = [
  {
    id: 'one-piece', title: 'One Piece', titleJa: 'ワンピース', aliases: ['ONE PIECE'], authors: ['Eiichiro Oda'],
    genres: ['Action', 'Adventure'], themes: ['Pirates'], demographic: 'Shounen', magazine: 'Weekly Shounen Jump', status: 'publishing',
    synopsis: 'Monkey D. Luffy sets out to sea with his pirate crew to find the legendary treasure One Piece.',
    synopsisJa: '麦わらのルフィが仲間と共に海賊王を目指す海洋冒険ロマン。',
  },
  {
    id: 'shingeki-no-kyojin', title: 'Shingeki no Kyojin', titleEn: 'Attack on Titan', titleJa: '進撃の巨人', authors: ['Hajime Isayama'],
    genres: ['Action', 'Drama'], themes: ['Military', 'Survival'], demographic: 'Shounen', magazine: 'Bessatsu Shounen Magazine', status: 'finished',
    synopsis: 'Humanity lives behind walls to survive the man-eating Titans, until Eren Yeager vows to fight back.',
    synopsisJa: '人類を捕食する巨人と戦う少年エレンの物語。',
  },
  {
    id: 'kusuriya-no-hitorigoto', title: 'Kusuriya no Hitorigoto', titleEn: 'The Apothecary Diaries', titleJa: '薬屋のひとりごと', authors: ['Natsu Hyuuga', 'Nekokurage'],
    genres: ['Drama', 'Mystery'], themes: ['Historical'], demographic: 'Seinen', status: 'publishing',
    synopsis: 'Maomao, a girl trained as a pharmacist, is sold to the imperial palace and solves its mysteries.',
    synopsisJa: '薬師の少女・猫猫が後宮で起こる難事件を薬の知識で解決していく。',
  },
  {
    id: 'chainsaw-man', title: 'Chainsaw Man', titleJa: 'チェンソーマン', authors: ['Tatsuki Fujimoto'],
    genres: ['Action', 'Horror'], themes: ['Gore'], demographic: 'Shounen', magazine: 'Weekly Shounen Jump', status: 'publishing', ageRestricted: true,
    synopsis: 'Denji merges with his chainsaw devil dog Pochita and becomes a devil hunter.',
    synopsisJa: 'デンジは悪魔ポチタと融合し、デビルハンターとして戦う。',
  },
];

/** KB chunks of {@link KB_FILES}. */
export function kbDocs(): IndexedDoc[] {
  return Object.entries(KB_FILES).flatMap(([key, md]) => {
    const [lang, topic] = key.split('/') as ['en' | 'ja', string];
    return chunkMarkdown(md, lang, topic);
  });
}

/** KB chunks plus the series docs. */
export function allDocs(): IndexedDoc[] {
  return [...kbDocs(), ...SERIES.map(seriesToDoc)];
}
