// Personal data typed into the chat, through the real service (shipped catalog): a card number
// sent beside a question that is not a payment, an address without a postal code, an e-mail.
// Each is masked before anything reads it, the customer is told so first, and the question is
// still answered (or handed to staff); nothing of it is repeated, stored or logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useChatService } from '../helpers/chat-harness.ts';
import { replyText, type Frame } from '../helpers/ws-client.ts';

const service = useChatService({ logs: true });
const { logs } = service;

const endOf = (frames: Frame[]) => frames.find((f) => f.type === 'end') as { handoff?: { ticketId: string }; guardrail?: { blocked?: string } } | undefined;

function stored(): string {
  const db = new DatabaseSync(join(service.server.dataDir, 'memory.sqlite'), { readOnly: true });
  try {
    return (db.prepare('SELECT text FROM memory_messages').all() as { text: string }[]).map((r) => r.text).join('\n');
  } finally {
    db.close();
  }
}

test('a card number beside a question about a charge: warned first, masked, and the question handed to staff with the order — nothing of the card kept', async () => {
  await service.withChat('cust-1001', async (en) => {
    const r = await en.ask('my card 4111 1111 1111 1111 exp 12/28 was charged twice for order MA-20261121-0004, why?');
    const text = replyText(r);
    assert.match(text, /^For your security, please never share card numbers/);
    assert.match(text, /passed your request to our support team/);
    assert.match(text, /MA-20261121-0004/);
    assert.ok(endOf(r)?.handoff, 'a ticket for staff');
    assert.equal(endOf(r)?.guardrail?.blocked, undefined);
    for (const digits of ['4111', '1111 1111', '12/28']) assert.ok(!text.includes(digits), digits);
  });
  await service.withChat('cust-1001', async (ja) => {
    const r = await ja.ask('カード 5555-4444-3333-1111 有効期限12/27 で二重に引き落とされてるんですが、なぜですか？');
    const text = replyText(r);
    assert.match(text, /^お客さまの安全のため、カード番号.*入力・送信しないでください/);
    assert.match(text, /担当スタッフにお問い合わせを引き継ぎました/);
    assert.ok(!/5555|4444|12\/27/.test(text), text);
  });
  // Paying with the card sent is still refused whole: this chat takes no payments.
  await service.withChat('guest', async (pay) => {
    const r = await pay.ask('my card is 4111 1111 1111 1111 exp 08/29, can you just charge it for One Piece vol 1?');
    assert.equal(endOf(r)?.guardrail?.blocked, 'personal_data');
    assert.match(replyText(r), /Card details are only entered at checkout/);
    assert.equal(r.filter((f) => f.type === 'products').length, 0);
  });
  const kept = stored();
  assert.match(kept, /my card was charged twice for order MA-20261121-0004, why\?/);
  assert.ok(!/4111|5555-4444|12\/28|12\/27|08\/29/.test(kept), 'no card data stored');
  assert.ok(!/4111 1111 1111 1111|5555-4444-3333-1111|12\/28|12\/27/.test(logs.join('')), 'no card data logged');
  // Nor anywhere else the service keeps data (the handoff ticket with its note, caches, their journals).
  for (const file of readdirSync(service.server.dataDir, { recursive: true, withFileTypes: true })) {
    if (!file.isFile()) continue;
    const bytes = readFileSync(join(file.parentPath, file.name)).toString('latin1');
    assert.ok(!bytes.includes('4111 1111 1111 1111') && !bytes.includes('5555-4444-3333-1111'), `no card number in ${file.name}`);
  }
});

test('an address without a postal code, an e-mail: masked, the customer told so first, the question answered', async () => {
  await service.withChat('guest', async (c) => {
    const ja = replyText(await c.ask('東京都渋谷区神南1丁目2-3に送ってほしいんですが、送料はいくらですか？'));
    assert.match(ja, /^お客さまの安全のため、お送りいただいた住所は伏せ字にしており/);
    assert.match(ja, /送料/);
    assert.ok(!ja.includes('神南'), ja);
    const en = replyText(await c.ask('I live at 1-2-3 Shibuya, Shibuya-ku, Tokyo. how much is shipping there?'));
    assert.match(en, /^For your security, I've masked the address you sent/);
    assert.match(en, /shipping/i);
    const mail = replyText(await c.ask('my email is bob.tanaka@example.com, how long does a refund take?'));
    assert.match(mail, /^For your security, I've masked the email address you sent/);
    assert.match(mail, /5 to 7 business days/);
    // An ordinary message with numbers is no address.
    const volumes = replyText(await c.ask('is One Piece vol 1-3 in stock?'));
    assert.doesNotMatch(volumes, /masked/);
  });
  const kept = stored();
  assert.ok(!/神南|shibuya|bob\.tanaka/i.test(kept), 'no address or e-mail stored');
  assert.match(kept, /\[address\]/);
  assert.match(kept, /\[email\]/);
  assert.ok(!/神南1丁目|1-2-3 Shibuya|bob\.tanaka@example\.com/.test(logs.join('')), 'no address or e-mail logged');
});
