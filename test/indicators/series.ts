/** Deterministic random candle series for indicator and strategy tests. */

export interface TestCandle {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random walk with regime changes: volatility switches between calm and wild, the price drifts over
 * several orders of magnitude, and volume is occasionally 0, so accumulated rounding would show.
 */
export function randomCandles(n: number, seed: number, start = 100): TestCandle[] {
  const r = rng(seed);
  const out: TestCandle[] = [];
  let price = start;
  let vol = 0.01;
  for (let i = 0; i < n; i++) {
    if (r() < 0.01) vol = 0.001 + r() * 0.05;
    const o = price;
    const c = Math.max(1e-6, o * (1 + (r() - 0.5) * 2 * vol + (i % 5000 < 2500 ? 0.0004 : -0.0004)));
    const h = Math.max(o, c) * (1 + r() * vol);
    const l = Math.min(o, c) * (1 - r() * vol);
    const v = r() < 0.02 ? 0 : r() * 1000 * (1 + 10 * r());
    out.push({ t: i * 60_000, o, h, l, c, v });
    price = c;
  }
  return out;
}
