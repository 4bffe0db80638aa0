// A new volume asked about as still to come is the next one, not the latest out; "and <title>?"
// right after a next-volume question asks the same of that title.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useChatService } from '../helpers/chat-harness.ts';
import { asksComingVolume, asksNewComing, extractVolumeRef } from '../../src/understanding/constraints.ts';
import { cardedVolumes, replyText } from '../helpers/ws-client.ts';

describe('a new volume still to come', () => {
  it('is the next volume, in both languages', () => {
    for (const t of ['is there a new death note volume coming?', 'is a new overlord volume coming out soon?', 'any more volumes planned?', 'when does the latest volume come out?', 'キングダムの最新刊っていつ出る？', '最新刊の発売予定は？']) {
      assert.ok(asksComingVolume(t), t);
      assert.equal(extractVolumeRef(t), 'next', t);
    }
  });

  it('what a series has up for preorder is its next volume; how preordering works, or a preorder of theirs, is not', () => {
    for (const t of ['any preorders for one piece?', 'is anything up for preorder?', 'preorders for frieren?', 'ワンピースの予約受付中の巻ある？']) assert.equal(extractVolumeRef(t), 'next', t);
    for (const t of ['how do preorders work?', 'when am i charged for a preorder?', 'did my preorder ship?', 'can guests preorder?', 'any preorder payment rules?', '予約の支払いはいつ？']) assert.equal(extractVolumeRef(t), undefined, t);
  });

  it("'when's the next <title>?' is the next volume", () => {
    for (const t of ["when's the next sakamoto days?", 'when is the next one?', "when's the new volume out?"]) assert.equal(extractVolumeRef(t), 'next', t);
  });

  it("'next <title> volume' without 'the' is the next volume; a volume number after it is that volume", () => {
    for (const t of ['next chainsaw man volume?', 'price of next blue lock book?', 'when does next frieren volume come out']) assert.equal(extractVolumeRef(t), 'next', t);
    for (const t of ['next week is volume 5 in?', 'what should i read next? a book like monster']) assert.notEqual(extractVolumeRef(t), 'next', t);
  });

  it('something new of a title, still to come with no volume word, asks for what comes next; said of the past it does not', () => {
    for (const t of ['any new yotsuba coming?', 'is a new frieren coming out soon?', 'anything new for kingdom on the way?']) assert.ok(asksNewComing(t), t);
    for (const t of ['any new yotsuba?', 'was a new yotsuba released?', 'did anything new come out for kingdom?', 'new to manga, what should i read?']) assert.ok(!asksNewComing(t), t);
  });

  it('said of the past or of a price, the latest stays the latest', () => {
    for (const t of ['when did the latest one come out?', 'how much is the latest volume?', 'is the newest volume in stock?', '最新刊はいつ出ました？', '最新刊の値段は？']) {
      assert.ok(!asksComingVolume(t), t);
      assert.equal(extractVolumeRef(t), 'last', t);
    }
  });
});

const service = useChatService();

const carded = cardedVolumes;
describe('next volumes over the WebSocket (shipped catalog)', () => {
  it('a coming volume is announced with its date, and "and <title>?" asks the same of another title', async () => {
    await service.withChat('guest', async (c) => {
      const kingdom = await c.ask('キングダムの最新刊っていつ出る？');
      assert.deepEqual(carded(kingdom), ['kingdom v77']);
      assert.match(replyText(kingdom), /2027年1月28日/);
      const op = await c.ask('when is the next blue lock volume out?');
      assert.deepEqual(carded(op), ['blue-lock v35']);
      const csm = await c.ask('and chainsaw man?');
      assert.deepEqual(carded(csm), ['chainsaw-man v22']);
      assert.match(replyText(csm), /Jan 6, 2027/);
      // Its price asked next is the price of that volume, not of the latest out.
      const yotsuba = await c.ask('any new yotsuba coming?');
      assert.deepEqual(carded(yotsuba), ['yotsuba-to v17']);
      assert.match(replyText(yotsuba), /Jan 11, 2027/);
      const next = await c.ask('next chainsaw man volume?');
      assert.deepEqual(carded(next), ['chainsaw-man v22']);
      assert.deepEqual(carded(await c.ask('price?')), ['chainsaw-man v22']);
      const dn = await c.ask('Is there a new Death Note volume coming?');
      assert.match(replyText(dn), /no next volume|complete/i);
    });
  });
});
