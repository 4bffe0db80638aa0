import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { ConversationMemory, StoredMessage } from '../../src/memory/types.ts';
import type { ProductCard } from '../../src/chat/protocol.ts';

/** What the contract hands an adapter factory: the window, idle TTL and a clock to obey. */
export interface MemoryFactoryOptions {
  window: number;
  idleTtlMs: number;
  now: () => number;
}

/** Builds a fresh, empty memory for one test. */
export type MemoryFactory = (opts: MemoryFactoryOptions) => ConversationMemory;

/** A controllable clock, in epoch ms. */
export function manualClock(start = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

/** A user message with id `id`. */
export function user(id: string, text = `question ${id}`, at = 0): StoredMessage {
  return { role: 'user', text, messageId: id, language: 'en', at };
}

/** An assistant reply to user message `id`, showing the given series. */
export function assistant(id: string, seriesIds: string[] = [], at = 0): StoredMessage {
  return { role: 'assistant', text: `answer to ${id}`, messageId: id, intent: 'recommendation', seriesIds, productIds: seriesIds.map((s) => `${s}-v1`), at };
}

const TTL = 30 * 60_000;

/** The one behaviour suite every ConversationMemory adapter must pass. */
export function memoryContract(name: string, factory: MemoryFactory): void {
  describe(`ConversationMemory contract: ${name}`, () => {
    let open: ConversationMemory[] = [];
    const make = (over: Partial<MemoryFactoryOptions> = {}) => {
      const clock = manualClock();
      const memory = factory({ window: 10, idleTtlMs: TTL, now: clock.now, ...over });
      open.push(memory);
      return { memory, clock };
    };
    afterEach(() => {
      for (const m of open) m.close();
      open = [];
    });

    it('returns [] for a session it has never seen', async () => {
      const { memory } = make();
      assert.deepEqual(await memory.load('nobody'), []);
      assert.equal(await memory.hasMessage('nobody', 'm1'), false);
    });

    it("keeps an assistant turn's product cards, so a retried message gets the same reply back", async () => {
      const { memory } = make();
      const cards: ProductCard[] = [
        { id: 'one-piece-v003', seriesId: 'one-piece', title: 'One Piece', titleJa: 'ワンピース', authors: ['Eiichiro Oda'], volume: 3, priceJpy: 506, inStock: true, format: 'tankobon', releaseDate: '1998-04-03' },
        { id: 'frieren', seriesId: 'frieren', title: 'Frieren', titleJa: null, authors: [], volume: null, priceJpy: null, inStock: false },
      ];
      await memory.append('s1', [user('m1', 'how much is vol 3?', 1), { ...assistant('m1', ['one-piece'], 2), cards }]);
      const [, reply] = await memory.load('s1');
      assert.deepEqual(reply.cards, cards);
      reply.cards![0].authors.push('mutated');
      assert.deepEqual((await memory.load('s1'))[1].cards, cards, 'what a caller loaded is its own copy');
    });

    it('returns messages oldest first, with every field intact', async () => {
      const { memory } = make();
      const turn = [user('m1', 'おすすめは？', 1), assistant('m1', ['one-piece', 'frieren'], 2)];
      await memory.append('s1', turn);
      await memory.append('s1', [user('m2', 'the second one', 3)]);
      assert.deepEqual(await memory.load('s1'), [...turn, user('m2', 'the second one', 3)]);
    });

    it('keeps only the last `window` messages', async () => {
      const { memory } = make({ window: 4 });
      for (let i = 1; i <= 5; i++) await memory.append('s1', [user(`m${i}`), assistant(`m${i}`)]);
      const loaded = await memory.load('s1');
      assert.deepEqual(loaded.map((m) => `${m.role}:${m.messageId}`), ['user:m4', 'assistant:m4', 'user:m5', 'assistant:m5']);
    });

    it('trims a single append larger than the window', async () => {
      const { memory } = make({ window: 3 });
      await memory.append('s1', [1, 2, 3, 4, 5].map((i) => user(`m${i}`)));
      assert.deepEqual((await memory.load('s1')).map((m) => m.messageId), ['m3', 'm4', 'm5']);
    });

    it('keeps the default window of 10', async () => {
      const { memory } = make();
      for (let i = 1; i <= 12; i++) await memory.append('s1', [user(`m${i}`)]);
      const loaded = await memory.load('s1');
      assert.equal(loaded.length, 10);
      assert.equal(loaded[0].messageId, 'm3');
    });

    it('remembers user message ids beyond the message window', async () => {
      const { memory } = make({ window: 2 });
      for (let i = 1; i <= 30; i++) await memory.append('s1', [user(`m${i}`), assistant(`m${i}`)]);
      assert.equal(await memory.hasMessage('s1', 'm1'), true, 'an early id is still known after it left the window');
      assert.equal(await memory.hasMessage('s1', 'm30'), true);
      assert.equal(await memory.hasMessage('s1', 'm31'), false);
    });

    it('forgets the oldest ids past the last 100', async () => {
      const { memory } = make();
      for (let i = 1; i <= 105; i++) await memory.append('s1', [user(`m${i}`)]);
      assert.equal(await memory.hasMessage('s1', 'm5'), false);
      assert.equal(await memory.hasMessage('s1', 'm6'), true);
      assert.equal(await memory.hasMessage('s1', 'm105'), true);
    });

    it('records only user ids as accepted', async () => {
      const { memory } = make();
      await memory.append('s1', [{ ...assistant('a1'), messageId: 'greeting' }]);
      assert.equal(await memory.hasMessage('s1', 'greeting'), false);
    });

    it('isolates sessions', async () => {
      const { memory } = make();
      await memory.append('alice', [user('m1', 'alice asks')]);
      await memory.append('bob', [user('m2', 'bob asks')]);
      assert.deepEqual((await memory.load('alice')).map((m) => m.text), ['alice asks']);
      assert.deepEqual((await memory.load('bob')).map((m) => m.text), ['bob asks']);
      assert.equal(await memory.hasMessage('alice', 'm2'), false);
      assert.equal(await memory.hasMessage('bob', 'm2'), true);
    });

    it('hides an idle session from load and hasMessage even before expire() runs', async () => {
      const { memory, clock } = make();
      await memory.append('s1', [user('m1')]);
      clock.advance(TTL);
      assert.equal((await memory.load('s1')).length, 1, 'exactly at the TTL the session is still alive');
      clock.advance(1);
      assert.deepEqual(await memory.load('s1'), []);
      assert.equal(await memory.hasMessage('s1', 'm1'), false);
    });

    it('refreshes the idle expiry on append', async () => {
      const { memory, clock } = make();
      await memory.append('s1', [user('m1')]);
      clock.advance(TTL - 1000);
      await memory.append('s1', [user('m2')]);
      clock.advance(TTL - 1000);
      assert.deepEqual((await memory.load('s1')).map((m) => m.messageId), ['m1', 'm2']);
    });

    it('starts an expired session afresh when its id is reused', async () => {
      const { memory, clock } = make();
      await memory.append('s1', [user('old')]);
      clock.advance(TTL + 1);
      await memory.append('s1', [user('new')]);
      assert.deepEqual((await memory.load('s1')).map((m) => m.messageId), ['new']);
      assert.equal(await memory.hasMessage('s1', 'old'), false);
    });

    it('expire() removes only idle sessions and counts them', async () => {
      const { memory, clock } = make();
      await memory.append('idle1', [user('m1')]);
      await memory.append('idle2', [user('m2')]);
      clock.advance(TTL / 2);
      await memory.append('busy', [user('m3')]);
      clock.advance(TTL / 2 + 1);
      assert.equal(await memory.expire(), 2);
      assert.equal(await memory.expire(), 0);
      assert.deepEqual((await memory.load('busy')).map((m) => m.messageId), ['m3']);
      assert.equal(await memory.expire(clock.now() + TTL), 1, 'an explicit now is honoured');
      assert.deepEqual(await memory.load('busy'), []);
    });

    it('rejects calls whose signal is already aborted', async () => {
      const { memory } = make();
      const ac = new AbortController();
      ac.abort(new Error('deadline'));
      await assert.rejects(memory.append('s1', [user('m1')], { signal: ac.signal }), /deadline/);
      await assert.rejects(memory.load('s1', { signal: ac.signal }), /deadline/);
      assert.deepEqual(await memory.load('s1'), []);
    });

    it('returns copies: mutating a loaded message does not change the stored one', async () => {
      const { memory } = make();
      await memory.append('s1', [assistant('m1', ['one-piece'])]);
      const [first] = await memory.load('s1');
      first.seriesIds!.push('naruto');
      first.text = 'changed';
      const [again] = await memory.load('s1');
      assert.deepEqual(again.seriesIds, ['one-piece']);
      assert.equal(again.text, 'answer to m1');
    });

    it('keeps what an answer was about (volume, format, series compared, the request met) for the next message', async () => {
      const { memory } = make();
      const about = { focus: 'one-piece', volume: 105, format: 'digital' as const, compared: ['naruto', 'bleach'], wish: { genres: ['Romance'], themes: [], seedSeriesIds: [], excludeSeriesIds: [], excludeTags: [], status: 'finished' as const, maxVolumes: 9 } };
      await memory.append('s1', [user('m1'), { ...assistant('m1', ['one-piece']), about }]);
      const [, answer] = await memory.load('s1');
      assert.deepEqual(answer.about, about);
      answer.about!.compared!.push('changed');
      const [, again] = await memory.load('s1');
      assert.deepEqual(again.about, about);
    });
  });
}
