/**
 * What every probe task of a doctor run shares: the run's calls (probe-client.ts), its deadline and
 * timeouts, and the per-check durations the report shows. Probe tasks return typed readings; only
 * diagnose.ts assembles them into the run's Observations.
 */
import type { LookupFunction } from "node:net";
import type { Deadline } from "../deadline.js";
import type { ProbeClient } from "../probe-client.js";
import type { CheckId, DoctorTimeouts } from "../types.js";

export class Durations {
  private readonly ms: Partial<Record<CheckId, number>> = {};

  add(id: CheckId, ms: number): void {
    this.ms[id] = (this.ms[id] ?? 0) + ms;
  }

  /** Runs `f`, adding its time to check `id`. */
  async timed<T>(id: CheckId, f: () => T | Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.add(id, performance.now() - t0);
    }
  }

  get all(): Partial<Record<CheckId, number>> {
    return this.ms;
  }
}

export interface ProbeRun {
  calls: ProbeClient;
  deadline: Deadline;
  timeouts: DoctorTimeouts;
  /** The DNS override of the run (tests), also used by the reachability check's own lookup. */
  lookup: LookupFunction | undefined;
  durations: Durations;
}
