import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { BusError, type MessageBus } from '../../src/messaging/types.ts';

/**
 * Builds a bus as one process of the service sees it, with a handler wait of `timeoutMs`.
 * `cleanup` closes it and releases what it holds.
 */
export type MessageBusFactory = (opts: { timeoutMs: number }) => Promise<{ bus: MessageBus; cleanup(): Promise<void> }>;

let topics = 0;
/** A topic no other test uses (several adapters may share one process, e.g. the cluster hub). */
const fresh = (name: string) => `${name}.${process.pid}.${++topics}`;

/** The behaviour every MessageBus adapter must show, from the point of view of one process. */
export function messageBusContract(name: string, make: MessageBusFactory): void {
  describe(`MessageBus contract: ${name}`, () => {
    let cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const c of cleanups) await c();
      cleanups = [];
    });
    const setup = async (timeoutMs = 5000) => {
      const { bus, cleanup } = await make({ timeoutMs });
      cleanups.push(cleanup);
      return bus;
    };

    it('delivers to this process and resolves with the answers (undefined ones left out)', async () => {
      const bus = await setup();
      const topic = fresh('answers');
      const seen: unknown[] = [];
      bus.subscribe(topic, (m) => {
        seen.push(m);
        return { doubled: (m as { n: number }).n * 2 };
      });
      bus.subscribe(topic, () => undefined);
      bus.subscribe(topic, async () => 'later');
      const answers = await bus.publish(topic, { n: 21 });
      assert.deepEqual(seen, [{ n: 21 }]);
      assert.deepEqual(answers.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), ['later', { doubled: 42 }].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    });

    it('hands handlers a JSON copy: not the publisher\'s object, undefined as null, dates as strings', async () => {
      const bus = await setup();
      const topic = fresh('json');
      const seen: unknown[] = [];
      bus.subscribe(topic, (m) => {
        seen.push(m);
      });
      const original = { tags: ['series:one-piece', 'シリーズ:鬼滅の刃', 'with "quotes"\nand a newline'], at: new Date(0), gone: undefined };
      await bus.publish(topic, original);
      await bus.publish(topic, undefined);
      assert.deepEqual(seen[0], { tags: original.tags, at: '1970-01-01T00:00:00.000Z' });
      assert.notEqual(seen[0], original);
      assert.equal(seen[1], null);
    });

    it('resolves only once async handlers have finished', async () => {
      const bus = await setup();
      const topic = fresh('async');
      let done = false;
      bus.subscribe(topic, async () => {
        await sleep(30);
        done = true;
      });
      await bus.publish(topic, 1);
      assert.equal(done, true);
    });

    it('handles one topic\'s messages one at a time, in publication order; other topics do not wait', async () => {
      const bus = await setup();
      const topic = fresh('order');
      const other = fresh('other');
      const log: string[] = [];
      let release: () => void = () => {};
      const gate = new Promise<void>((r) => (release = r));
      bus.subscribe(topic, async (m) => {
        log.push(`start ${m}`);
        if (m === 0) await gate;
        else await sleep(5 - (m as number));
        log.push(`end ${m}`);
      });
      bus.subscribe(other, () => 'other');
      const all = [0, 1, 2, 3].map((i) => bus.publish(topic, i));
      // The first message holds its topic; another topic is handled meanwhile.
      assert.deepEqual(await bus.publish(other, null), ['other']);
      release();
      await Promise.all(all);
      assert.deepEqual(log, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
    });

    it('resolves with no answers when nobody subscribes, and delivers nothing across topics', async () => {
      const bus = await setup();
      const seen: unknown[] = [];
      bus.subscribe(fresh('a'), (m) => seen.push(m));
      assert.deepEqual(await bus.publish(fresh('b'), 'x'), []);
      assert.deepEqual(seen, []);
    });

    it('rejects with a BusError naming a handler\'s error; the other handlers still ran', async () => {
      const bus = await setup();
      const topic = fresh('fail');
      let ran = 0;
      bus.subscribe(topic, () => {
        throw new Error('handler failed on purpose');
      });
      bus.subscribe(topic, () => {
        ran++;
      });
      await assert.rejects(bus.publish(topic, 1), (err: unknown) => err instanceof BusError && /handler failed on purpose/.test(err.message));
      assert.equal(ran, 1);
      // The topic is not stuck behind the failure: the next message is handled too.
      await assert.rejects(bus.publish(topic, 2), BusError);
      assert.equal(ran, 2);
    });

    it('stops delivering after unsubscribe', async () => {
      const bus = await setup();
      const topic = fresh('unsub');
      const seen: unknown[] = [];
      const off = bus.subscribe(topic, (m) => seen.push(m));
      await bus.publish(topic, 1);
      off();
      await bus.publish(topic, 2);
      assert.deepEqual(seen, [1]);
    });

    it('hands a late subscriber the latest retained message of each key, in publication order, before subscribe returns', async () => {
      const bus = await setup();
      const topic = fresh('retained');
      await bus.publish(topic, { key: 'a', v: 1 }, { retain: 'a' });
      await bus.publish(topic, { key: 'b', v: 1 }, { retain: 'b' });
      await bus.publish(topic, { note: 'not retained' });
      await bus.publish(topic, { key: 'a', v: 2 }, { retain: 'a' });
      const seen: unknown[] = [];
      bus.subscribe(topic, (m) => {
        seen.push(m);
      });
      assert.deepEqual(seen, [{ key: 'b', v: 1 }, { key: 'a', v: 2 }]);
      // And live messages after that.
      await bus.publish(topic, { key: 'b', v: 2 }, { retain: 'b' });
      assert.deepEqual(seen.at(-1), { key: 'b', v: 2 });
    });

    it('rejects with a BusError when a handler does not finish within the timeout', async () => {
      const bus = await setup(200);
      const topic = fresh('hang');
      bus.subscribe(topic, () => new Promise(() => {}));
      await assert.rejects(bus.publish(topic, 1), (err: unknown) => err instanceof BusError && /within 200 ms/.test(err.message));
    });

    it('refuses to publish once closed', async () => {
      const bus = await setup();
      await bus.close();
      await assert.rejects(bus.publish(fresh('closed'), 1), BusError);
    });
  });
}
