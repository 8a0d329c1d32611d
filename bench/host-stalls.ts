/**
 * The machine's own stalls, seen from the bench's thread: a busy loop reads the monotonic clock for
 * `ms` with nothing else running on the thread (no I/O, no timers, almost no allocation); a gap over
 * 0.5 ms between two reads is time the thread did not run — the VM's vCPU descheduled, an interrupt,
 * another process on its core. No code of ours is in it: a path measured on this machine meets these
 * stalls wherever they land, and the longer its window the more of them it meets.
 */
import { fmt } from "./lib.js";

const GAP_NS = 500_000n;

export interface HostStalls {
  ms: number;
  gaps: number[];
}

/** Busy-loops `ms` on this thread; the clock gaps over 0.5 ms, largest first. */
export function hostStalls(ms = 2_000): HostStalls {
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  const gaps: number[] = [];
  let last = process.hrtime.bigint();
  while (last < end) {
    const t = process.hrtime.bigint();
    if (t - last > GAP_NS) gaps.push(Number(t - last) / 1e6);
    last = t;
  }
  return { ms, gaps: gaps.sort((a, b) => b - a) };
}

/** One line for a report. */
export function hostStallsLine(s: HostStalls): string {
  const sum = s.gaps.reduce((a, b) => a + b, 0);
  const over1 = s.gaps.filter((g) => g > 1).length;
  const worst = s.gaps.slice(0, 3).map((g) => fmt(g, 2));
  return s.gaps.length === 0
    ? `The machine's own stalls (a ${fmt(s.ms)}-ms busy loop on this thread, bench/host-stalls.ts): no gap over 0.5 ms.`
    : `The machine's own stalls (a ${fmt(s.ms)}-ms busy loop on this thread, bench/host-stalls.ts): ${fmt(s.gaps.length)} gaps over 0.5 ms (${fmt(over1)} over 1 ms), ${fmt(sum, 1)} ms in all, the worst ${worst.join(" · ")} ms.`;
}
