// The DynamoDB counting/throttling proxy (test/helpers/dynamo-throttle-proxy.ts) on a thread of its
// own: in the bench's thread it would share an event loop with a load generator opening a thousand
// connections at once, and the store reads it forwards would wait behind them.
import { parentPort, workerData } from 'node:worker_threads';
import { startThrottleProxy, type ThrottleName } from '../../test/helpers/dynamo-throttle-proxy.ts';

type Request =
  | { id: number; op: 'seen'; operation: string; table?: string }
  | { id: number; op: 'throttle'; count: number; operation?: string; table?: string; error?: ThrottleName }
  | { id: number; op: 'close' };

const proxy = await startThrottleProxy((workerData as { upstream: string }).upstream);
parentPort!.postMessage({ ready: proxy.endpoint });
parentPort!.on('message', async (req: Request) => {
  if (req.op === 'seen') parentPort!.postMessage({ id: req.id, value: proxy.seen(req.operation, req.table) });
  else if (req.op === 'throttle') {
    proxy.throttle({ count: req.count, operation: req.operation, table: req.table, error: req.error });
    parentPort!.postMessage({ id: req.id, value: null });
  } else {
    await proxy.close();
    parentPort!.postMessage({ id: req.id, value: null });
    parentPort!.close();
  }
});
