/**
 * Clock offset to the exchange, measured from the HTTP `Date` header of its responses.
 *
 * The header has 1 s resolution: the exchange stamped it with a time in [D, D + 1000) at some
 * instant between our send (s) and receive (r). Each response therefore bounds the offset
 * (exchange − local) to [D − r, D + 999 − s]; its midpoint is the estimate. Consecutive samples
 * are intersected, which narrows the interval to a few ms after a handful of requests; a sample
 * that does not intersect (a clock jump on either side) or an interval older than `maxAgeMs`
 * restarts the estimate from that sample.
 */

export interface OffsetSample {
  /** Estimated exchange − local clock, ms (midpoint of [lowMs, highMs]). */
  offsetMs: number;
  lowMs: number;
  highMs: number;
  /** Round trip of the request that produced the sample. */
  rttMs: number;
  /** Local time of the measurement. */
  at: number;
}

/** One sample from a `Date` header and the local send/receive instants; undefined if the header is unusable. */
export function offsetFromDate(
  dateHeader: string | undefined,
  sentAt: number,
  receivedAt: number,
): OffsetSample | undefined {
  if (!dateHeader) return undefined;
  const d = Date.parse(dateHeader);
  if (!Number.isFinite(d) || receivedAt < sentAt) return undefined;
  const lowMs = d - receivedAt;
  const highMs = d + 999 - sentAt;
  return {
    offsetMs: Math.round((lowMs + highMs) / 2),
    lowMs,
    highMs,
    rttMs: receivedAt - sentAt,
    at: receivedAt,
  };
}

export class ClockOffset {
  private current: OffsetSample | undefined;
  private since = 0;

  constructor(private readonly maxAgeMs = 10 * 60_000) {}

  /** Adds a sample; returns the updated estimate. */
  add(sample: OffsetSample): OffsetSample {
    const c = this.current;
    if (!c || sample.at - this.since > this.maxAgeMs) {
      return this.reset(sample);
    }
    const lowMs = Math.max(c.lowMs, sample.lowMs);
    const highMs = Math.min(c.highMs, sample.highMs);
    if (lowMs > highMs) return this.reset(sample);
    this.current = {
      offsetMs: Math.round((lowMs + highMs) / 2),
      lowMs,
      highMs,
      rttMs: sample.rttMs,
      at: sample.at,
    };
    return this.current;
  }

  private reset(sample: OffsetSample): OffsetSample {
    this.current = sample;
    this.since = sample.at;
    return sample;
  }

  /** Latest estimate, undefined before any response with a usable `Date` header. */
  get estimate(): OffsetSample | undefined {
    return this.current;
  }
}
