import type { MessageBus } from '../messaging/types.ts';
import type { FaultInjector } from './faults.ts';
import type { FaultSpec } from './types.ts';

// Fault injection for the whole service, not one process: with WORKERS > 1 (or several nodes on a
// Redis bus) an admin write lands on whichever process took the connection, so it goes over the
// bus to every process's injector and answers once all of them applied it. Each change is
// retained under its dependency (a clear-all under '*'), so a process started later (a
// replacement after a crash, a new node) replays them in order and starts with the service's
// faults. Every process applies the same changes in the same order, so each one's list is the
// service's.

const CHANGES = 'faults.change';
const REPORT = 'faults.report';
const EVERY = '*';

/** One fault change on the bus; `dependency` null clears every fault. */
interface FaultChange {
  dependency: string | null;
  spec: FaultSpec | null;
}

/** What one process reports: its pid (and node, on a fleet bus), its faults, and the attempts that met them. */
export interface ProcessFaults {
  pid: number;
  /** The process's name on the bus (NODE_ID): pids repeat across machines. */
  node?: string;
  faults: Record<string, FaultSpec>;
  injected: Record<string, number>;
}

/** Fault injection for every process of the service (the admin endpoints). */
export interface ServiceFaults {
  /** Replaces the fault of `dependency` in every process; resolves once all live ones applied it. */
  set(dependency: string, spec: FaultSpec): Promise<void>;
  /** Removes the fault of `dependency`, or every fault, in every process. */
  clear(dependency?: string): Promise<void>;
  /** This process's faults: the service's, once every write has answered. */
  list(): Record<string, FaultSpec>;
  /** Every process's own report, ordered by node and pid: shows that they agree, and that the faults reach calls. */
  processes(): Promise<ProcessFaults[]>;
  close(): void;
}

/** Joins this process's injector to the service's: applies the changes the bus brings, answers reports (as `node`, when given). */
export function shareFaults(faults: FaultInjector, bus: MessageBus, opts: { node?: string } = {}): ServiceFaults {
  const offChanges = bus.subscribe(CHANGES, (message) => {
    const change = message as FaultChange;
    if (change.dependency === null) faults.clear();
    else if (change.spec === null) faults.clear(change.dependency);
    else faults.set(change.dependency, change.spec);
  });
  const offReport = bus.subscribe(REPORT, (): ProcessFaults => ({ pid: process.pid, ...(opts.node ? { node: opts.node } : {}), faults: faults.list(), injected: faults.injected() }));
  const publish = async (change: FaultChange) => {
    await bus.publish(CHANGES, change, { retain: change.dependency ?? EVERY });
  };
  return {
    set: (dependency, spec) => publish({ dependency, spec }),
    clear: (dependency) => publish({ dependency: dependency ?? null, spec: null }),
    list: () => faults.list(),
    async processes() {
      return ((await bus.publish(REPORT, null)) as ProcessFaults[]).sort((a, b) => (a.node ?? '').localeCompare(b.node ?? '') || a.pid - b.pid);
    },
    close() {
      offChanges();
      offReport();
    },
  };
}
