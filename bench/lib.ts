/**
 * Tiny benchmark harness. A benchmark file `bench/<name>.bench.ts` exports
 * `run(): Promise<BenchSection>`; `npm run bench` runs them all and rewrites docs/benchmarks.md.
 * Figures are ratios against a baseline measured in the same run (never absolute targets in unit tests).
 */

export interface Measurement {
  name: string;
  ops: number;
  seconds: number;
  opsPerSec: number;
  nsPerOp: number;
}

export interface BenchSection {
  title: string;
  /** Markdown body: tables, ratios, targets and whether they are met. */
  markdown: string;
  /** Whether every stated target was met (reported, not enforced). */
  targetsMet: boolean;
}

/** Runs `fn` in batches until `minMs` elapsed (after a warm-up); `fn` returns the number of ops it did. */
export function measure(name: string, fn: () => number, minMs = 1_000): Measurement {
  const warmEnd = performance.now() + Math.min(300, minMs / 3);
  while (performance.now() < warmEnd) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    ops += fn();
    now = performance.now();
  }
  const seconds = (now - start) / 1000;
  return { name, ops, seconds, opsPerSec: ops / seconds, nsPerOp: (seconds * 1e9) / ops };
}

/**
 * The `p`-th percentile of `xs` by nearest rank: the value at rank ⌈p/100 · n⌉ of the sorted
 * samples (so the p99 of 100 samples is the 99th, not the largest; of 200, the 198th); 0 for none.
 */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length - 1e-9));
  return s[Math.min(s.length, rank) - 1] ?? 0;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function table(rows: Measurement[]): string {
  const lines = ["| case | ops/s | ns/op |", "|---|---:|---:|"];
  for (const r of rows) lines.push(`| ${r.name} | ${fmt(r.opsPerSec)} | ${fmt(r.nsPerOp, 1)} |`);
  return lines.join("\n");
}
