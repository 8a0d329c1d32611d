/** The inbox's rules: what an inbox row asks for, and which external signals may enter at all. */
import { describe, expect, it } from "vitest";
import type { SignalRecord, WatchlistItem } from "../../src/store/types.js";
import { externalSignalBlock, inboxRequest, inboxTrace } from "../../src/trading/inbox.js";
import { dec } from "../../src/util/decimal.js";

const item = (tradeEnabled: boolean) => ({ symbol: "BTC_USD", tradeEnabled }) as unknown as WatchlistItem;

describe("external signals (webhooks)", () => {
  it("enter only for a watchlist symbol with trading on, else blocked with the guards' own code", () => {
    expect(externalSignalBlock(undefined)).toBe("NOT_IN_WATCHLIST");
    expect(externalSignalBlock(item(false))).toBe("TRADING_DISABLED");
    expect(externalSignalBlock(item(true))).toBeUndefined();
  });
});

describe("an inbox row as a trade request", () => {
  const row = (trace: SignalRecord["trace"]) =>
    ({
      id: "s1",
      symbol: "BTC_USD",
      side: "BUY",
      source: "webhook:tv",
      strategy: "external",
      trace,
    }) as SignalRecord;

  it("keeps the exact amount and the actor; the idempotency key is the row's", () => {
    const r = inboxRequest(row(inboxTrace({ amountUsd: "12.30000000000000000001", actor: "webhook:tv" })));
    expect(r.idempotencyKey).toBe("signal:s1");
    expect(r.actor).toBe("webhook:tv");
    expect(r.amountUsd?.toFixed()).toBe(dec("12.30000000000000000001").toFixed());
  });

  it("a malformed amount is dropped, never read as another size", () => {
    for (const amountUsd of ["-5", "1e3", "0", "12.5x", ""]) {
      expect(inboxRequest(row({ request: { actor: "a", amountUsd } })).amountUsd).toBeUndefined();
    }
  });
});
