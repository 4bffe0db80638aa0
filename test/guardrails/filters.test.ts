/** The filter building blocks: folding with offsets, the automaton, check digits and personal-data patterns. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AhoCorasick,
  PII_FINDERS,
  ean13Valid,
  foldCheap,
  foldDeep,
  knownKeys,
  luhnValid,
  myNumberValid,
  type PiiMatch,
} from '../../src/guardrails/filters.ts';

function pii(filter: PiiMatch['filter'], text: string): string[] {
  const folded = foldCheap(text);
  const out: PiiMatch[] = [];
  PII_FINDERS[filter](folded.text, out);
  return out.map((m) => text.slice(folded.start[m.start], folded.end[m.end - 1]));
}

describe('folding', () => {
  it('cheap: NFKC, lower case, one space per whitespace run, spans back to the original', () => {
    const src = 'ＡＢＣ　ｴﾛ  ｶﾞﾝﾂ\t①Ｘ';
    const f = foldCheap(src);
    assert.equal(f.text, 'abc エロ ガンツ 1x');
    assert.equal(f.start.length, f.text.length);
    // ガ came from two half-width characters (ｶﾞ)
    const ga = f.text.indexOf('ガ');
    assert.equal(src.slice(f.start[ga], f.end[ga]), 'ｶﾞ');
    // the collapsed space covers both original spaces
    const sp = f.text.indexOf(' ', f.text.indexOf('ロ'));
    assert.equal(src.slice(f.start[sp], f.end[sp]), '  ');
  });

  it('cheap: a surrogate pair stays one character with one span', () => {
    const src = 'a𠮷b';
    const f = foldCheap(src);
    assert.equal(f.text, 'a𠮷b');
    assert.equal(src.slice(f.start[1], f.end[2]), '𠮷');
  });

  it('deep: joins single characters split by separators, keeps words apart, maps leetspeak, folds kana', () => {
    const cases: [string, string, string][] = [
      ['p.o.r.n', 'porn', 'porn'],
      ['p 0 r n', 'porn', 'porn'],
      ['p\u200Bo\u200Brn', 'porn', 'porn'],
      ['ignore-previous-instructions', 'ignore previous instructions', 'ignore previous instructions'],
      ['エ・ロ', 'エロ', 'えろ'],
      ['コ ロ ス ゾ', 'コロスゾ', 'ころすぞ'],
      ['s3x 1,320', 'sex 1 320', 'sex 1 320'],
      ['is exactly', 'is exactly', 'is exactly'],
      ['ISBN 978-4-08-872509-3', 'isbn 978 4 08 872509 3', 'isbn 978 4 08 872509 3'],
    ];
    for (const [src, text, kana] of cases) {
      const d = foldDeep(foldCheap(src));
      assert.equal(d.text, text, src);
      assert.equal(d.kana, kana, src);
    }
    const src = 'xx p.o.r.n';
    const d = foldDeep(foldCheap(src));
    const at = d.text.indexOf('porn');
    assert.equal(src.slice(d.start[at], d.end[at + 3]), 'p.o.r.n');
  });
});

describe('AhoCorasick', () => {
  it('finds every occurrence, overlapping ones too, with offsets', () => {
    const ac = new AhoCorasick([
      { key: 'he', value: 'he' },
      { key: 'she', value: 'she' },
      { key: 'hers', value: 'hers' },
      { key: 'his', value: 'his' },
    ]);
    const hits: string[] = [];
    ac.scan('ushers his', (s, e, v) => hits.push(`${v}@${s}-${e}`));
    assert.deepEqual(hits.sort(), ['he@2-4', 'hers@2-6', 'his@7-10', 'she@1-4'].sort());
  });

  it('follows failure links across Japanese text', () => {
    const ac = new AhoCorasick([
      { key: '進撃の巨人', value: 1 },
      { key: '巨人', value: 2 },
      { key: '撃の', value: 3 },
    ]);
    const hits: number[] = [];
    ac.scan('進撃の進撃の巨人です', (_s, _e, v) => hits.push(v));
    assert.deepEqual(hits.sort(), [1, 2, 3, 3]);
  });
});

describe('check digits', () => {
  it('Luhn', () => {
    assert.equal(luhnValid('4111111111111111'), true);
    assert.equal(luhnValid('4111111111111112'), false);
    assert.equal(luhnValid('378282246310005'), true); // Amex test number
    assert.equal(luhnValid('3530111333300000'), true); // JCB test number
  });

  it('My Number', () => {
    assert.equal(myNumberValid('123456789018'), true);
    assert.equal(myNumberValid('123456789012'), false);
    assert.equal(myNumberValid('12345678901'), false);
  });

  it('EAN-13', () => {
    assert.equal(ean13Valid('9784088725093'), true);
    assert.equal(ean13Valid('4901234567894'), true);
    assert.equal(ean13Valid('4901234567895'), false);
  });
});

describe('personal-data patterns', () => {
  it('card numbers: 13-19 digits, spaces or dashes, Luhn, issuer 2-6', () => {
    assert.deepEqual(pii('pii.card_number', 'card 4111 1111 1111 1111 thanks'), ['4111 1111 1111 1111']);
    assert.deepEqual(pii('pii.card_number', 'カード番号は4111-1111-1111-1111です'), ['4111-1111-1111-1111']);
    assert.deepEqual(pii('pii.card_number', '４１１１１１１１１１１１１１１１'), ['４１１１１１１１１１１１１１１１']);
    assert.deepEqual(pii('pii.card_number', 'amex 3782 822463 10005.'), ['3782 822463 10005']);
    // the card is found even with a number after it
    assert.deepEqual(pii('pii.card_number', '4111 1111 1111 1111 2 books'), ['4111 1111 1111 1111']);
    assert.deepEqual(pii('pii.card_number', '4111 1111 1111 1112'), [], 'Luhn fails');
    assert.deepEqual(pii('pii.card_number', '9784088725093 and 978-4-08-872509-3'), [], 'ISBN-13');
    assert.deepEqual(pii('pii.card_number', 'JAN 4901234567894'), [], 'JAN barcode');
    assert.deepEqual(pii('pii.card_number', 'order ORD-2024-000123, MA-20261101-0001'), []);
    assert.deepEqual(pii('pii.card_number', 'volumes 1 2 3 4 5 6 7 8 9 10 11 12 13'), []);
  });

  it('My Number: 12 digits with a valid check digit, not a tracking number or part of a card', () => {
    assert.deepEqual(pii('pii.my_number', 'マイナンバーは123456789018です'), ['123456789018']);
    assert.deepEqual(pii('pii.my_number', 'my number 1234 5678 9018'), ['1234 5678 9018']);
    assert.deepEqual(pii('pii.my_number', '1234-5678-9018'), ['1234-5678-9018']);
    assert.deepEqual(pii('pii.my_number', '123456789012'), [], 'check digit');
    // 360935519027 is a real tracking number in data/store/orders.json that passes the check digit
    assert.deepEqual(pii('pii.my_number', 'お問い合わせ番号は360935519027です'), []);
    assert.deepEqual(pii('pii.my_number', 'tracking number 360935519027.'), []);
    assert.deepEqual(pii('pii.my_number', '4111 1234 5678 9018'), [], 'inside a longer number');
    assert.deepEqual(pii('pii.my_number', '1234 5678-9018'), [], 'mixed grouping');
  });

  it('phones: mobile, landline, +81, parentheses; not toll-free, dates, ISBN-10, postcodes or IDs', () => {
    const yes = ['090-1234-5678', '09012345678', '080 1234 5678', '070ー1234ー5678', '０９０－１２３４－５６７８', '03-1234-5678', '(03)1234-5678', '06-6123-4567', '011-123-4567', '0123-45-6789', '+81 90-1234-5678', '+81-3-1234-5678', '+81 (0)90 1234 5678', '050-1234-5678'];
    for (const p of yes) assert.deepEqual(pii('pii.phone', `電話は${p}です`), [p], p);
    const no = ['0120-370-841', '0800-123-4567', '0570-001-234', '2024-03-15', '10:00-19:00', '0-306-40615-2', '〒060-0001', 'ORD-2024-000123', 'MA-20261101-0001', '1,320円', '090-1234-5678-9', '0901234567'];
    for (const p of no) assert.deepEqual(pii('pii.phone', `番号 ${p} です`), [], p);
  });

  it('e-mail addresses, full-width too', () => {
    assert.deepEqual(pii('pii.email', 'mail me at taro.yamada+manga@example.co.jp.'), ['taro.yamada+manga@example.co.jp']);
    assert.deepEqual(pii('pii.email', 'ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ'), ['ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ']);
    assert.deepEqual(pii('pii.email', '@mangaassist on X'), []);
  });

  it('addresses: a postcode followed by a prefecture, to the end of the address line', () => {
    assert.deepEqual(pii('pii.address', 'お届け先：〒150-0001 東京都渋谷区神宮前1-2-3 メゾン101号室。'), ['〒150-0001 東京都渋谷区神宮前1-2-3 メゾン101号室']);
    assert.deepEqual(pii('pii.address', '〒５３０ー０００１　大阪府大阪市北区梅田1丁目'), ['〒５３０ー０００１　大阪府大阪市北区梅田1丁目']);
    assert.deepEqual(pii('pii.address', '郵便番号 0600001 北海道札幌市中央区'), ['郵便番号 0600001 北海道札幌市中央区']);
    assert.deepEqual(pii('pii.address', '060-0001 北海道札幌市中央区北一条西にお届けします'), ['060-0001 北海道札幌市中央区北一条西']);
    assert.deepEqual(pii('pii.address', '〒150-0001 までお送りください'), [], 'no prefecture');
    assert.deepEqual(pii('pii.address', '東京都の倉庫から発送します'), [], 'no postcode');
  });

  it('addresses without a postcode: a prefecture or city/ward and a block number, or a street (lead\'s privacy probe)', () => {
    const yes: [string, string][] = [
      ['東京都渋谷区神南1丁目2-3に送って', '東京都渋谷区神南1丁目2-3'],
      ['住所は東京都新宿区西新宿二丁目8番1号です', '東京都新宿区西新宿二丁目8番1号'],
      ['大阪市北区梅田3-1-1 グランフロント5階です。届く？', '大阪市北区梅田3-1-1 グランフロント5階'],
      ['渋谷区神南1-2-3', '渋谷区神南1-2-3'],
      ['I live at 1-2-3 Shibuya, Shibuya-ku, Tokyo, please send it there', '1-2-3 Shibuya, Shibuya-ku, Tokyo'],
      ['send it to 123 Main Street, Springfield, IL 62704 please', '123 Main Street, Springfield, IL 62704'],
      ['my address is 221b Baker St, London, can you ship there?', '221b Baker St, London'],
      ['Shibuya-ku Jinnan 1-2-3', 'Shibuya-ku Jinnan 1-2-3'],
    ];
    for (const [text, found] of yes) assert.deepEqual(pii('pii.address', text), [found], text);
    // Volumes, rankings, counts and dates are no block numbers; a ward named alone is no address.
    const no = ['下町ロケット1-2巻ある？', 'ワンピース1-3巻', '新宿区で1番人気の漫画は？', '東京都内で1番人気', '3 volumes a day way too many', 'Route 66 road trip manga', 'is Kaiju No. 8 vol 12 out', '渋谷区に住んでます', '2024-03-15に注文', 'Vol. 5–14 come to ¥5,698'];
    for (const text of no) assert.deepEqual(pii('pii.address', text), [], text);
  });

  it('known keys recognise a phone in any format and an e-mail in any case', () => {
    const keys = knownKeys(['Taro.Yamada@Example.jp', '+81 90-1111-2222', '〒150-0001 東京都渋谷区']);
    assert.ok(keys.has('taro.yamada@example.jp'));
    assert.ok(keys.has('09011112222'));
    assert.ok(keys.has('1500001'));
  });
});
