import { createInProcessMessageBus } from '../../src/messaging/in-process-bus.ts';
import { messageBusContract } from './message-bus.contract.ts';

messageBusContract('in-process', async ({ timeoutMs }) => {
  const bus = createInProcessMessageBus({ timeoutMs });
  return { bus, cleanup: () => bus.close() };
});
