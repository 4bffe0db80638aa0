import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ChatError } from '../errors.ts';
import { bearerGuard } from './bearer.ts';
import { faultSpecSchema } from '../resilience/faults.ts';
import type { ServiceFaults } from '../resilience/service-faults.ts';
import type { GuardStatus } from '../resilience/types.ts';

/** What the admin endpoints reach into. */
export interface AdminDeps {
  /** The admin credential (ADMIN_TOKEN). */
  token: string;
  /** Faults of every process of the service: a write answers once all live processes applied it. */
  faults: ServiceFaults;
  /** Dependencies that faults may be injected into. */
  dependencies: readonly string[];
  /** Breakers, pools, limiter backend, brownout: everything an operator asks during a drill. */
  resilience: () => { dependencies: GuardStatus[]; [key: string]: unknown };
  /** A data-change event (catalog, promotions, reviews, knowledge base): invalidates what depends on it in every process; resolves once all did. */
  dataChanged?: (event: DataChangeEvent) => Promise<{ tags: string[] }>;
}

/**
 * What a data owner tells the service when its data changed (the admin endpoint; an
 * SQS/EventBridge consumer would deliver the same events). `seriesIds` narrows a catalog or
 * reviews change to those series; without it, all of them changed.
 */
export const dataChangeEventSchema = z.object({
  type: z.enum(['catalog.changed', 'promotions.changed', 'reviews.changed', 'kb.changed']),
  seriesIds: z.array(z.string().min(1).max(200)).max(10_000).optional(),
});
export type DataChangeEvent = z.infer<typeof dataChangeEventSchema>;

const dependencyParam = z.object({ dependency: z.string() });

/**
 * Runs something every process of the service must do; one that failed or did not answer makes
 * it `unavailable`. A write is not undone: the processes that answered applied it, a slow one
 * applies it when it catches up, one started later replays a fault change. So the operator
 * checks GET /v1/admin/faults and retries (writes are idempotent).
 */
async function everywhere<T>(run: () => Promise<T>, what: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new ChatError('unavailable', `Not every service process answered (${what}): ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Admin endpoints behind their own bearer credential (never a customer token): fault injection
 * for drills and tests, and the live resilience state. Refusals use the stable codes. Writes
 * apply to every process of the service (WORKERS > 1) and answer once all live ones applied them.
 */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const guard = bearerGuard(deps.token, 'Admin');
  const known = (name: string) => {
    if (!deps.dependencies.includes(name)) throw new ChatError('not_found', `Unknown dependency "${name.slice(0, 40)}"; known: ${deps.dependencies.join(', ')}.`);
    return name;
  };

  app.get('/v1/admin/resilience', { onRequest: guard }, async () => deps.resilience());
  // `processes`: each process's own faults and the attempts that met them (they agree, and they bite).
  app.get('/v1/admin/faults', { onRequest: guard }, async () => ({ faults: deps.faults.list(), processes: await everywhere(() => deps.faults.processes(), 'fault report') }));
  app.put('/v1/admin/faults/:dependency', { onRequest: guard }, async (req) => {
    const name = known(dependencyParam.parse(req.params).dependency);
    const spec = faultSpecSchema.safeParse(req.body);
    if (!spec.success) throw new ChatError('bad_request', `Malformed fault: ${spec.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
    await everywhere(() => deps.faults.set(name, spec.data), `fault of ${name}`);
    return { faults: deps.faults.list() };
  });
  app.delete('/v1/admin/faults/:dependency', { onRequest: guard }, async (req) => {
    const name = known(dependencyParam.parse(req.params).dependency);
    await everywhere(() => deps.faults.clear(name), `fault of ${name} cleared`);
    return { faults: deps.faults.list() };
  });
  app.delete('/v1/admin/faults', { onRequest: guard }, async () => {
    await everywhere(() => deps.faults.clear(), 'every fault cleared');
    return { faults: deps.faults.list() };
  });
  if (deps.dataChanged) {
    const dataChanged = deps.dataChanged;
    app.post('/v1/admin/events', { onRequest: guard }, async (req) => {
      const event = dataChangeEventSchema.safeParse(req.body);
      if (!event.success) throw new ChatError('bad_request', `Malformed event: ${event.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
      return { invalidated: (await everywhere(() => dataChanged(event.data), event.data.type)).tags };
    });
  }
}
