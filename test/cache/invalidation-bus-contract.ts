import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InvalidationBus } from '../../src/cache/types.ts';

/**
 * Builds two buses standing for two nodes joined by the bus (for Redis: two instances, each on
 * its own pair of connections). An adapter that only spans one node (in-process) gives the same
 * instance twice. `cleanup` closes them and releases what they hold.
 */
export type InvalidationBusFactory = () => Promise<{ a: InvalidationBus; b: InvalidationBus; cleanup(): Promise<void> }>;

const DELIVERY_TIMEOUT_MS = 2_000;

/** Collects the messages a bus delivers, and waits for them. */
export function collect(bus: InvalidationBus): { messages: string[][]; until(count: number): Promise<string[][]>; unsubscribe(): void } {
  const messages: string[][] = [];
  let waiter: (() => void) | undefined;
  const unsubscribe = bus.subscribe((tags) => {
    messages.push(tags);
    waiter?.();
  });
  return {
    messages,
    unsubscribe,
    /** Resolves with all messages once `count` have arrived in total. */
    async until(count) {
      const deadline = Date.now() + DELIVERY_TIMEOUT_MS;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${JSON.stringify(messages)}`);
        await Promise.race([new Promise<void>((resolve) => { waiter = resolve; }), sleep(50)]);
      }
      return messages;
    },
  };
}

/** The behaviour every InvalidationBus adapter must show. */
export function invalidationBusContract(name: string, make: InvalidationBusFactory): void {
  describe(`InvalidationBus contract: ${name}`, () => {
    let cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups) await c();
      cleanups = [];
    });
    const setup = async () => {
      const { a, b, cleanup } = await make();
      cleanups.push(cleanup);
      return { a, b };
    };

    it('delivers a publish to the other node and to the publishing node, tags intact', async () => {
      const { a, b } = await setup();
      const onA = collect(a);
      const onB = collect(b);
      const tags = ['series:one-piece', 'product:978-4-08-882200-1', 'シリーズ:鬼滅の刃', 'with "quotes", commas\nand a newline'];
      await a.publish(tags);
      assert.deepEqual(await onB.until(1), [tags]);
      assert.deepEqual(await onA.until(1), [tags]);
    });

    it('delivers asynchronously, never inside publish', async () => {
      const { a } = await setup();
      const on = collect(a);
      const publishing = a.publish(['t']);
      assert.equal(on.messages.length, 0);
      await publishing;
      assert.deepEqual(await on.until(1), [['t']]);
    });

    it('delivers to every subscriber, messages in the order published', async () => {
      const { a, b } = await setup();
      const first = collect(b);
      const second = collect(b);
      for (let i = 0; i < 5; i++) await a.publish([`t${i}`]);
      const expected = [['t0'], ['t1'], ['t2'], ['t3'], ['t4']];
      assert.deepEqual(await first.until(5), expected);
      assert.deepEqual(await second.until(5), expected);
    });

    it('stops delivering to a listener that unsubscribed, and only to it', async () => {
      const { a, b } = await setup();
      const leaving = collect(b);
      const staying = collect(b);
      await a.publish(['before']);
      await leaving.until(1);
      leaving.unsubscribe();
      leaving.unsubscribe(); // twice is harmless
      await a.publish(['after']);
      assert.deepEqual(await staying.until(2), [['before'], ['after']]);
      assert.deepEqual(leaving.messages, [['before']]);
    });

    it('gives one function subscribed twice two subscriptions', async () => {
      const { a, b } = await setup();
      const got: string[][] = [];
      const listener = (tags: string[]) => { got.push(tags); };
      const barrier = collect(b);
      const off1 = b.subscribe(listener);
      b.subscribe(listener);
      off1();
      await a.publish(['t']);
      await barrier.until(1);
      assert.deepEqual(got, [['t']]);
    });

    it('publishing no tags sends nothing', async () => {
      const { a, b } = await setup();
      const on = collect(b);
      await a.publish([]);
      await a.publish(['t']);
      assert.deepEqual(await on.until(1), [['t']]);
      await sleep(20);
      assert.equal(on.messages.length, 1);
    });

    it('a throwing listener does not keep the others from their message', async () => {
      const { a, b } = await setup();
      const off = b.subscribe(() => { throw new Error('listener bug'); });
      const on = collect(b);
      await a.publish(['t']);
      assert.deepEqual(await on.until(1), [['t']]);
      off();
    });

    it('reports no gap while the connection holds', async () => {
      const { a, b } = await setup();
      let gaps = 0;
      b.onGap(() => gaps++);
      const on = collect(b);
      await a.publish(['t']);
      await on.until(1);
      assert.equal(gaps, 0);
    });
  });
}
