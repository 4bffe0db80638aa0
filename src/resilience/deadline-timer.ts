/** A deadline's timer; `clear()` once the work it bounds has settled. */
export interface DeadlineTimer {
  clear(): void;
}

interface Pending {
  dueAt: number;
  fire: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  cleared: boolean;
}

// Deadlines started in this turn of the event loop, armed together at its end.
let starting: Pending[] = [];
let armScheduled = false;

function armStarted(): void {
  armScheduled = false;
  const batch = starting;
  starting = [];
  const t = performance.now();
  for (const p of batch) if (!p.cleared) p.timer = setTimeout(p.fire, Math.max(0, p.dueAt - t));
}

/**
 * Calls `fire` `ms` from now unless cleared first, like setTimeout, but the timer is only armed
 * at the end of the event-loop turn the deadline started in (for the time then left): most
 * dependency calls settle within that turn (an in-process store, a cache), and then no timer is
 * ever made or cancelled. A timer cannot fire before the turn it was set in ends anyway, so when
 * it fires is unchanged.
 */
export function startDeadline(ms: number, fire: () => void): DeadlineTimer {
  const p: Pending = { dueAt: performance.now() + ms, fire, timer: undefined, cleared: false };
  starting.push(p);
  if (!armScheduled) {
    armScheduled = true;
    setImmediate(armStarted);
  }
  return {
    clear() {
      p.cleared = true;
      if (p.timer !== undefined) clearTimeout(p.timer);
    },
  };
}
