/**
 * All indicators of one (symbol, timeframe), updated together from one candle stream.
 *
 * Invariants:
 * - `commit(bar)` feeds a closed candle: O(1) per indicator.
 * - `preview(bar)` computes the values as if the unclosed candle `bar` closed now, without touching
 *   the committed state; a later `commit` or `clearPreview` discards the preview.
 * - A value is NaN exactly when the indicator is undefined (not enough closed candles, or undefined
 *   math such as an RSI over a flat history); `reading()` says which and how many candles are missing.
 */

import type { CandleValues } from "../domain/market.js";
import { Atr } from "./atr.js";
import { Ema } from "./ema.js";
import { Rsi } from "./rsi.js";
import { Sma } from "./sma.js";
import { type IndicatorSpec, specKey, specLabel, specNeeded } from "./spec.js";
import { VolumeRatio } from "./volume-ratio.js";

/** What a strategy sees for one indicator. */
export interface Reading {
  /** undefined when not available; see `missing`. */
  value: number | undefined;
  /** Value at the previous closed candle (for crossings); undefined when not available. */
  previous: number | undefined;
  /** Candles fed so far (including the previewed one) and needed for a first value. */
  have: number;
  need: number;
  /** Why `value` is undefined, e.g. "RSI(14) needs 15 closed candles, have 9". */
  missing?: string;
}

interface Slot {
  spec: IndicatorSpec;
  kind: number;
  index: number;
}

const KIND_SMA = 0;
const KIND_EMA = 1;
const KIND_RSI = 2;
const KIND_ATR = 3;
const KIND_VR = 4;

export class IndicatorSet {
  private readonly slots: Slot[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly smas: Sma[] = [];
  private readonly smaSlots: number[] = [];
  private readonly emas: Ema[] = [];
  private readonly emaSlots: number[] = [];
  private readonly rsis: Rsi[] = [];
  private readonly rsiSlots: number[] = [];
  private readonly atrs: Atr[] = [];
  private readonly atrSlots: number[] = [];
  private readonly vrs: VolumeRatio[] = [];
  private readonly vrSlots: number[] = [];
  private cur = new Float64Array(0);
  private prev = new Float64Array(0);
  private pv = new Float64Array(0);
  private previewing = false;
  /** Closed candles committed. */
  committed = 0;

  constructor(specs: readonly IndicatorSpec[] = []) {
    for (const s of specs) this.slot(s);
  }

  /** Slot number of `spec`, adding the indicator if it is new (a late addition starts with no history). */
  slot(spec: IndicatorSpec): number {
    const key = specKey(spec);
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const n = this.slots.length;
    let kind: number;
    let index: number;
    switch (spec.kind) {
      case "sma":
        kind = KIND_SMA;
        index = this.smas.push(new Sma(spec.period)) - 1;
        this.smaSlots.push(n);
        break;
      case "ema":
        kind = KIND_EMA;
        index = this.emas.push(new Ema(spec.period)) - 1;
        this.emaSlots.push(n);
        break;
      case "rsi":
        kind = KIND_RSI;
        index = this.rsis.push(new Rsi(spec.period)) - 1;
        this.rsiSlots.push(n);
        break;
      case "atr":
        kind = KIND_ATR;
        index = this.atrs.push(new Atr(spec.period)) - 1;
        this.atrSlots.push(n);
        break;
      case "volume_ratio":
        kind = KIND_VR;
        index = this.vrs.push(new VolumeRatio(spec.period)) - 1;
        this.vrSlots.push(n);
        break;
    }
    this.slots.push({ spec: { kind: spec.kind, period: spec.period }, kind, index });
    this.byKey.set(key, n);
    const grow = (a: Float64Array) => {
      const b = new Float64Array(n + 1).fill(Number.NaN);
      b.set(a);
      return b;
    };
    this.cur = grow(this.cur);
    this.prev = grow(this.prev);
    this.pv = grow(this.pv);
    return n;
  }

  get size(): number {
    return this.slots.length;
  }

  get specs(): IndicatorSpec[] {
    return this.slots.map((s) => s.spec);
  }

  get isPreviewing(): boolean {
    return this.previewing;
  }

  /** Feeds one closed candle to every indicator. */
  commit(bar: CandleValues): void {
    this.previewing = false;
    this.prev.set(this.cur);
    const cur = this.cur;
    const c = bar.c;
    for (let i = 0; i < this.smas.length; i++) cur[this.smaSlots[i]!] = this.smas[i]!.update(c);
    for (let i = 0; i < this.emas.length; i++) cur[this.emaSlots[i]!] = this.emas[i]!.update(c);
    for (let i = 0; i < this.rsis.length; i++) cur[this.rsiSlots[i]!] = this.rsis[i]!.update(c);
    for (let i = 0; i < this.atrs.length; i++) cur[this.atrSlots[i]!] = this.atrs[i]!.update(bar);
    for (let i = 0; i < this.vrs.length; i++) cur[this.vrSlots[i]!] = this.vrs[i]!.update(bar.v);
    this.committed++;
  }

  /** Computes every value as if the unclosed candle `bar` closed now; committed state is untouched. */
  preview(bar: CandleValues): void {
    const pv = this.pv;
    const c = bar.c;
    for (let i = 0; i < this.smas.length; i++) pv[this.smaSlots[i]!] = this.smas[i]!.preview(c);
    for (let i = 0; i < this.emas.length; i++) pv[this.emaSlots[i]!] = this.emas[i]!.preview(c);
    for (let i = 0; i < this.rsis.length; i++) pv[this.rsiSlots[i]!] = this.rsis[i]!.preview(c);
    for (let i = 0; i < this.atrs.length; i++) pv[this.atrSlots[i]!] = this.atrs[i]!.preview(bar);
    for (let i = 0; i < this.vrs.length; i++) pv[this.vrSlots[i]!] = this.vrs[i]!.preview(bar.v);
    this.previewing = true;
  }

  /** Drops the preview: readings return committed values again. */
  clearPreview(): void {
    this.previewing = false;
  }

  /** Current value of a slot (the preview if one is active); NaN when undefined. */
  value(slot: number): number {
    return this.previewing ? this.pv[slot]! : this.cur[slot]!;
  }

  /** Value at the previous closed candle: the committed value while previewing, else the one before it. */
  previous(slot: number): number {
    return this.previewing ? this.cur[slot]! : this.prev[slot]!;
  }

  /** Closed candles the indicator has seen (plus the previewed one). */
  have(slot: number): number {
    const s = this.slots[slot]!;
    let count: number;
    switch (s.kind) {
      case KIND_SMA:
        count = this.smas[s.index]!.count;
        break;
      case KIND_EMA:
        count = this.emas[s.index]!.count;
        break;
      case KIND_RSI:
        count = this.rsis[s.index]!.count;
        break;
      case KIND_ATR:
        count = this.atrs[s.index]!.count;
        break;
      default:
        count = this.vrs[s.index]!.count;
    }
    return count + (this.previewing ? 1 : 0);
  }

  reading(slot: number): Reading {
    const spec = this.slots[slot]!.spec;
    const v = this.value(slot);
    const p = this.previous(slot);
    const have = this.have(slot);
    const need = specNeeded(spec);
    const r: Reading = {
      value: Number.isNaN(v) ? undefined : v,
      previous: Number.isNaN(p) ? undefined : p,
      have,
      need,
    };
    if (r.value === undefined) r.missing = missingReason(spec, have, need);
    return r;
  }
}

function missingReason(spec: IndicatorSpec, have: number, need: number): string {
  const label = specLabel(spec);
  if (have < need) return `${label} needs ${need} candles, have ${have}`;
  if (spec.kind === "rsi") return `${label} is undefined: no price change in its history`;
  if (spec.kind === "volume_ratio")
    return `${label} is undefined: average volume of the previous candles is 0`;
  return `${label} is undefined`;
}
