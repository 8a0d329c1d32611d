import { describe, expect, it } from "vitest";
import { InstrumentCache } from "../../../src/exchange/cryptocom/instrument-cache.js";
import type { Instrument } from "../../../src/exchange/types.js";

const inst = (symbol: string) => ({ symbol }) as Instrument;

describe("InstrumentCache.peek", () => {
  it("answers at once what get() would answer without loading, and undefined whenever get() would load", async () => {
    let t = 0;
    let loads = 0;
    let listed = [inst("BTC_USD")];
    const cache = new InstrumentCache(
      async () => {
        loads += 1;
        return listed;
      },
      { ttlMs: 1_000, minRefreshMs: 100, now: () => t },
    );
    expect(cache.peek("BTC_USD")).toBeUndefined(); // nothing loaded yet
    const btc = await cache.get("BTC_USD");
    expect(cache.peek("BTC_USD")).toBe(btc);
    expect(cache.peek("NEW_USD")).toBeUndefined(); // missing: get() may reload for it
    expect(loads).toBe(1); // peeking loads nothing
    t = 1_001; // past the TTL: get() would reload, so peek does not answer from the old list
    expect(cache.peek("BTC_USD")).toBeUndefined();
    listed = [inst("BTC_USD"), inst("NEW_USD")];
    expect((await cache.get("NEW_USD"))?.symbol).toBe("NEW_USD");
    expect(cache.peek("NEW_USD")?.symbol).toBe("NEW_USD");
    expect(loads).toBe(2);
  });
});
