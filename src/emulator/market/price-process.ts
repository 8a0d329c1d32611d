/**
 * A seeded price process per instrument: a log-price random walk whose drift and volatility follow
 * market regimes (trend up, trend down, range with mean reversion, volatile spikes), so indicator
 * strategies see crossovers, breakouts and reversals. Analytics only: prices leave this module as
 * floats and are rounded to the instrument's tick (as decimals) by the market before anyone sees them.
 */
import type { Candle } from "../../domain/market.js";
import type { Rng } from "../rng.js";

export type Regime = "trend_up" | "trend_down" | "range" | "spike";

const DAY_MS = 86_400_000;

/** Mean regime durations in days and relative drift (in daily volatilities per day). */
const REGIMES: Record<Regime, { meanDays: number; drift: number; volMul: number }> = {
  trend_up: { meanDays: 3, drift: 1.0, volMul: 1 },
  trend_down: { meanDays: 3, drift: -1.0, volMul: 1 },
  range: { meanDays: 4, drift: 0, volMul: 0.7 },
  spike: { meanDays: 0.1, drift: 0, volMul: 3.5 },
};

/** Where a regime goes next (cumulative weights over the other regimes). */
const NEXT: Record<Regime, [Regime, number][]> = {
  trend_up: [
    ["range", 0.5],
    ["trend_down", 0.3],
    ["spike", 0.2],
  ],
  trend_down: [
    ["range", 0.5],
    ["trend_up", 0.3],
    ["spike", 0.2],
  ],
  range: [
    ["trend_up", 0.4],
    ["trend_down", 0.4],
    ["spike", 0.2],
  ],
  spike: [
    ["range", 0.6],
    ["trend_up", 0.2],
    ["trend_down", 0.2],
  ],
};

export class PriceProcess {
  private logPrice: number;
  private anchor: number;
  regime: Regime = "range";

  constructor(
    private readonly rng: Rng,
    initialPrice: number,
    private readonly dailyVol: number,
  ) {
    this.logPrice = Math.log(initialPrice);
    this.anchor = this.logPrice;
  }

  get price(): number {
    return Math.exp(this.logPrice);
  }

  /** Moves the price to `price` (admin set/nudge); the range anchor follows. */
  set(price: number): void {
    this.logPrice = Math.log(price);
    this.anchor = this.logPrice;
  }

  /** Advances by `dtMs` of market time; draws a fixed number of random values per call. */
  step(dtMs: number): number {
    const dtDays = dtMs / DAY_MS;
    const r = REGIMES[this.regime];
    const switchDraw = this.rng.next();
    const pickDraw = this.rng.next();
    const jumpDraw = this.rng.normal();
    const z = this.rng.normal();
    if (switchDraw < 1 - Math.exp(-dtDays / r.meanDays)) {
      this.regime = pick(NEXT[this.regime], pickDraw);
      this.anchor = this.logPrice;
      if (this.regime === "spike") this.logPrice += jumpDraw * this.dailyVol * 1.5;
    }
    const cur = REGIMES[this.regime];
    const sigma = this.dailyVol * cur.volMul * Math.sqrt(dtDays);
    let drift = cur.drift * this.dailyVol * dtDays;
    if (this.regime === "range") drift += (this.anchor - this.logPrice) * Math.min(1, dtDays * 2);
    this.logPrice += drift + sigma * z;
    return this.price;
  }
}

const HOUR_MS = 3_600_000;

/** Base-currency volume per hour of an instrument: about 2,000,000 quote units at its initial price. */
export function hourlyVolumeFor(initialPrice: number): number {
  return 2_000_000 / initialPrice;
}

/**
 * The bar starting at `t` and lasting `periodMs`, built by advancing `process`: `subSteps` equal
 * steps whose extremes are the high and low, and a volume of `hourlyVolume` pro rata to the period,
 * times a random 0.4–1.6 from `volRng` and growing with the size of the bar's move. The emulator's
 * hourly history and the backtester's generated candles are both this function, so a seed means
 * the same kind of path in both. Draws `subSteps` process steps, then one `volRng` value.
 */
export function nextBar(
  process: PriceProcess,
  volRng: Rng,
  t: number,
  periodMs: number,
  hourlyVolume: number,
  subSteps = 4,
): Candle {
  const o = process.price;
  let h = o;
  let l = o;
  for (let k = 0; k < subSteps; k++) {
    const x = process.step(periodMs / subSteps);
    if (x > h) h = x;
    if (x < l) l = x;
  }
  const c = process.price;
  const v =
    ((hourlyVolume * periodMs) / HOUR_MS) * volRng.range(0.4, 1.6) * (1 + 30 * Math.abs(Math.log(c / o)));
  return { t, o, h, l, c, v };
}

function pick(options: [Regime, number][], draw: number): Regime {
  let acc = 0;
  for (const [regime, w] of options) {
    acc += w;
    if (draw < acc) return regime;
  }
  return options[options.length - 1]![0];
}
