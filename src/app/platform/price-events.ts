/**
 * Prices as live events for the API's event stream (`ApiDeps.liveEvents`): the market feed's
 * tickers as `price` events, at most one per symbol per `minGapMs` (default 1 s), prices as exact
 * decimal strings. Not stored: `seq` is 0 (the store's events carry the sequence).
 */
import type { ApiDeps } from "../../api/deps.js";
import type { MarketFeed } from "../../market/feed.js";
import type { EventRecord } from "../../store/types.js";
import type { Clock } from "../../util/clock.js";

export function priceEvents(
  feed: MarketFeed,
  time: Clock,
  minGapMs = 1_000,
): NonNullable<ApiDeps["liveEvents"]> {
  return {
    subscribe(listener: (e: EventRecord) => void): () => void {
      const sent = new Map<string, number>();
      return feed.on((e) => {
        if (e.type !== "ticker") return;
        const t = e.ticker;
        const now = time.now();
        if (now - (sent.get(t.symbol) ?? Number.NEGATIVE_INFINITY) < minGapMs) return;
        sent.set(t.symbol, now);
        listener({
          seq: 0,
          at: now,
          kind: "price",
          symbol: t.symbol,
          payload: {
            last: t.last?.toFixed() ?? null,
            bid: t.bid?.toFixed() ?? null,
            ask: t.ask?.toFixed() ?? null,
            time: t.time,
          },
        });
      });
    },
  };
}
