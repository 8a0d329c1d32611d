/**
 * V8's collections during a bench's measured windows: which samples a garbage collection paused,
 * and for how long (`PerformanceObserver` "gc" entries). Windows are given on the benches' clock
 * (`process.hrtime.bigint()`); both clocks are monotonic, so one offset maps one onto the other.
 */
import { constants, type PerformanceEntry, PerformanceObserver, performance } from "node:perf_hooks";
import { fmt, pct } from "./lib.js";

interface Pause {
  start: number;
  duration: number;
  minor: boolean;
}

export class GcPauses {
  private readonly pauses: Pause[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.pauses.push(pauseOf(e));
  });
  /** hrtime ms − performance.now() ms. */
  private readonly offset = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  private readonly hit: number[] = [];
  private windows = 0;

  constructor() {
    this.observer.observe({ entryTypes: ["gc"] });
  }

  /**
   * Notes one measured window [from, to] (hrtime ns). Entries arrive after their collection, on a
   * later turn of the event loop: call this once the window's work has settled.
   */
  note(from: bigint, to: bigint): void {
    this.windows += 1;
    const a = Number(from) / 1e6 - this.offset;
    const b = Number(to) / 1e6 - this.offset;
    const inside = this.pauses.filter((p) => p.start < b && p.start + p.duration > a);
    if (inside.length) this.hit.push(inside.reduce((s, p) => s + p.duration, 0));
  }

  stop(): void {
    this.observer.disconnect();
  }

  /** One line for a report. */
  line(): string {
    const minor = this.pauses.filter((p) => p.minor).map((p) => p.duration);
    const all = `${fmt(this.pauses.length)} collections in the run (${fmt(minor.length)} scavenges, p50 ${fmt(pct(minor, 50), 2)} ms, max ${fmt(Math.max(0, ...minor), 2)} ms)`;
    if (!this.hit.length) return `V8 paused none of the ${fmt(this.windows)} measured samples; ${all}.`;
    return (
      `V8 paused ${fmt(this.hit.length)} of the ${fmt(this.windows)} measured samples ` +
      `(${fmt(Math.min(...this.hit), 2)}–${fmt(Math.max(...this.hit), 2)} ms inside a sample); ${all}.`
    );
  }
}

function pauseOf(e: PerformanceEntry): Pause {
  const kind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
  return { start: e.startTime, duration: e.duration, minor: kind === constants.NODE_PERFORMANCE_GC_MINOR };
}
