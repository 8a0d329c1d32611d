import { describe, expect, it } from "vitest";
import {
  MemoryThrottleStore,
  Throttle,
  type ThrottleRecord,
  type ThrottleRequest,
  type ThrottleStore,
} from "../../src/strategy/throttle.js";

const MIN = 60_000;
const req = (over: Partial<ThrottleRequest> = {}): ThrottleRequest => ({
  symbol: "BTC_USD",
  strategy: "swing-conservative",
  side: "BUY",
  price: 100,
  now: 1_000_000,
  configHash: "h1",
  minPriceChangePct: 3,
  ...over,
});

describe("Throttle", () => {
  it("emits the first signal, then applies the time gate before the price gate", async () => {
    const t = await Throttle.open(new MemoryThrottleStore(), MIN);
    expect(t.admit(req()).verdict.code).toBe("FIRST_SIGNAL");
    // 30 s later, price +10 %: the time gate blocks first
    expect(t.admit(req({ now: 1_030_000, price: 110 })).verdict).toMatchObject({
      emit: false,
      code: "THROTTLED_TIME_GATE",
      detail: "30 s since the last BUY signal, minimum 60 s",
    });
    // 2 min later, price +2 %: the price gate blocks
    expect(t.admit(req({ now: 1_120_000, price: 102 })).verdict).toMatchObject({
      emit: false,
      code: "THROTTLED_PRICE_GATE",
    });
    // 2 min later, price −3 %: passes (the move counts in both directions), and becomes the new baseline
    expect(t.admit(req({ now: 1_120_000, price: 97 })).verdict).toMatchObject({
      emit: true,
      code: "PASSED_GATES",
    });
    expect(t.last(req())).toMatchObject({ price: 97, at: 1_120_000 });
    expect(t.admit(req({ now: 1_300_000, price: 99 })).verdict.code).toBe("THROTTLED_PRICE_GATE");
  });

  it("keeps BUY and SELL, strategies and symbols independent", async () => {
    const t = await Throttle.open(new MemoryThrottleStore(), MIN);
    t.admit(req());
    expect(t.admit(req({ side: "SELL" })).verdict.code).toBe("FIRST_SIGNAL");
    expect(t.admit(req({ strategy: "scalp-aggressive" })).verdict.code).toBe("FIRST_SIGNAL");
    expect(t.admit(req({ symbol: "ETH_USD" })).verdict.code).toBe("FIRST_SIGNAL");
    expect(t.admit(req()).verdict.code).toBe("THROTTLED_TIME_GATE");
  });

  it("allows exactly one immediate signal after the coin's configuration changes", async () => {
    const t = await Throttle.open(new MemoryThrottleStore(), MIN);
    t.admit(req());
    const changed = t.admit(req({ now: 1_001_000, configHash: "h2" })).verdict;
    expect(changed).toMatchObject({ emit: true, code: "CONFIG_CHANGED" });
    expect(t.admit(req({ now: 1_002_000, configHash: "h2" })).verdict.code).toBe("THROTTLED_TIME_GATE");
  });

  it("survives a restart: state comes back from the store, so nothing re-alerts", async () => {
    const store = new MemoryThrottleStore();
    const before = await Throttle.open(store, MIN);
    await before.admit(req()).saved;
    const after = await Throttle.open(store, MIN);
    expect(after.admit(req({ now: 1_010_000 })).verdict.code).toBe("THROTTLED_TIME_GATE");
    expect(after.admit(req({ now: 1_100_000 })).verdict.code).toBe("THROTTLED_PRICE_GATE");
  });

  it("records synchronously, so two racing evaluations cannot both emit; a failing store surfaces", async () => {
    const saves: ThrottleRecord[] = [];
    let fail = false;
    const store: ThrottleStore = {
      load: async () => [],
      save: (r) =>
        new Promise((resolve, reject) =>
          setImmediate(() => {
            if (fail) reject(new Error("disk full"));
            else {
              saves.push(r);
              resolve();
            }
          }),
        ),
    };
    const t = await Throttle.open(store, MIN);
    const a = t.admit(req());
    const b = t.admit(req());
    expect([a.verdict.emit, b.verdict.emit]).toEqual([true, false]);
    await a.saved;
    expect(saves).toEqual([
      {
        symbol: "BTC_USD",
        strategy: "swing-conservative",
        side: "BUY",
        price: 100,
        at: 1_000_000,
        configHash: "h1",
      },
    ]);
    fail = true;
    await expect(t.admit(req({ side: "SELL" })).saved).rejects.toThrow("disk full");
  });
});
