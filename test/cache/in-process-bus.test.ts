import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInProcessBus } from '../../src/cache/in-process-bus.ts';
import { collect, invalidationBusContract } from './invalidation-bus-contract.ts';

invalidationBusContract('in-process', async () => {
  // One node: both "nodes" are the same bus. The contract's throwing listener must not warn.
  const bus = createInProcessBus({ onError: () => {} });
  return { a: bus, b: bus, cleanup: () => bus.close() };
});

describe('in-process bus', () => {
  it('has delivered by the time publish resumes its caller', async () => {
    const bus = createInProcessBus();
    const on = collect(bus);
    await bus.publish(['t']);
    assert.deepEqual(on.messages, [['t']]);
  });

  it('delivers a copy: the publisher may reuse its array, listeners cannot change it', async () => {
    const bus = createInProcessBus();
    const on = collect(bus);
    const tags = ['a', 'b'];
    const publishing = bus.publish(tags);
    tags.push('c');
    await publishing;
    assert.deepEqual(on.messages, [['a', 'b']]);
    assert.ok(Object.isFrozen(on.messages[0]));
  });

  it('tells onError about a throwing listener', async () => {
    const errors: unknown[] = [];
    const bus = createInProcessBus({ onError: (err) => errors.push(err) });
    const failure = new Error('listener bug');
    bus.subscribe(() => { throw failure; });
    await bus.publish(['t']);
    assert.deepEqual(errors, [failure]);
  });

  it('close drops every listener', async () => {
    const bus = createInProcessBus();
    const on = collect(bus);
    await bus.close();
    await bus.publish(['t']);
    assert.deepEqual(on.messages, []);
  });
});
