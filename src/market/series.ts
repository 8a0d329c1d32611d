/**
 * Candles of one (symbol, timeframe): closed candles in a ring buffer plus the candle in progress.
 *
 * Invariants:
 * - Closed candles come out strictly in ascending `t`, once each, and never change afterwards.
 * - A candle closes when a later candle is seen (stream or REST). There is no clock-based closing:
 *   the exchange's own data decides, so the live feed and a REST history agree.
 * - A stream candle more than one period after the candle in progress means updates were missed
 *   (socket dropped, slow consumer). The series then stops closing candles, buffers the stream, and
 *   asks for a REST repair from the candle in progress onward; the repaired candles close in order,
 *   then the buffer is replayed. Holes the exchange itself has (no trades) are accepted after a repair.
 * - Candles older than the candle in progress are late duplicates and are ignored.
 */
import type { Candle } from "../domain/market.js";
import { Ring } from "./ring.js";
import { periodMs, type Timeframe } from "./timeframe.js";

export type SeriesState = "backfilling" | "live" | "repairing";

export interface ApplyResult {
  /** Candles that just closed, ascending. */
  closed: Candle[];
  /** Set when a repair is needed: fetch candles from this start (ms) to now. */
  repairFrom?: number;
}

export class CandleSeries {
  readonly closed: Ring<Candle>;
  private liveCandle: Candle | undefined;
  private buffer: Candle[] = [];
  state: SeriesState = "backfilling";
  /** Wall-clock time (ms) of the last update applied, from either source. */
  lastUpdateAt = Number.NaN;
  /** Last REST failure while backfilling or repairing (cleared on success). */
  lastError: string | undefined;

  readonly periodMs: number;

  constructor(
    readonly symbol: string,
    readonly timeframe: Timeframe,
    capacity: number,
  ) {
    this.periodMs = periodMs(timeframe);
    this.closed = new Ring(capacity);
  }

  /** The candle in progress, if any. */
  get live(): Candle | undefined {
    return this.liveCandle;
  }

  /** Start of the newest candle known (in progress or closed). */
  get newestStart(): number | undefined {
    return this.liveCandle?.t ?? this.closed.last()?.t;
  }

  /** A stream update. While backfilling or repairing it is buffered. */
  applyStream(c: Candle, now: number): ApplyResult {
    if (this.state !== "live") {
      this.buffer.push(c);
      return { closed: [] };
    }
    return this.step(c, now, false);
  }

  private step(c: Candle, now: number, allowGap: boolean): ApplyResult {
    const live = this.liveCandle;
    if (!live || c.t === live.t) {
      this.liveCandle = c;
      this.lastUpdateAt = now;
      return { closed: [] };
    }
    if (c.t < live.t) return { closed: [] };
    if (c.t > live.t + this.periodMs && !allowGap) {
      this.state = "repairing";
      this.buffer = [c];
      return { closed: [], repairFrom: live.t };
    }
    this.closed.push(live);
    this.liveCandle = c;
    this.lastUpdateAt = now;
    return { closed: [live] };
  }

  /**
   * A REST batch (ascending; the last candle may be in progress): merges it, leaves the backfilling
   * or repairing state, then replays the stream updates buffered meanwhile.
   */
  applyBatch(candles: readonly Candle[], now: number): ApplyResult {
    const wasLive = this.state === "live";
    const closed: Candle[] = [];
    for (const c of candles) closed.push(...this.step(c, now, true).closed);
    if (candles.length > 0) this.lastUpdateAt = now;
    this.lastError = undefined;
    if (wasLive) return { closed };
    const wasRepair = this.state === "repairing";
    this.state = "live";
    const buffered = this.buffer;
    this.buffer = [];
    for (const c of buffered) {
      // after a repair, holes the exchange still reports are accepted; after a backfill, a stream
      // candle far ahead means the backfill was slow, and one more repair is due
      const r = this.step(c, now, wasRepair);
      closed.push(...r.closed);
      if (r.repairFrom !== undefined) {
        this.buffer.push(...buffered.slice(buffered.indexOf(c) + 1));
        return { closed, repairFrom: r.repairFrom };
      }
    }
    return { closed };
  }

  /** All closed candles held, oldest first. */
  closedCandles(): Candle[] {
    return this.closed.toArray();
  }
}
