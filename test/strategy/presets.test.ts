import { describe, expect, it } from "vitest";
import { loadStrategyConfig } from "../../src/strategy/config.js";
import { BOUNCE, decisions, STORY } from "./story.js";

const config = loadStrategyConfig();
const PRESETS = [
  "swing-conservative",
  "swing-aggressive",
  "intraday-conservative",
  "intraday-aggressive",
  "scalp-conservative",
  "scalp-aggressive",
];

describe("every preset signals on crafted data", () => {
  it("ships the six presets of the original", () => {
    expect(config.presetNames).toEqual([...PRESETS].sort());
  });

  for (const preset of PRESETS) {
    it(`${preset} produces a BUY and a SELL, each with a complete passing trace`, () => {
      const ds = decisions(config, preset);
      const buy = ds.find((d) => d.action === "BUY");
      const sell = ds.find((d) => d.action === "SELL");
      expect(buy, "a BUY somewhere in the story").toBeDefined();
      expect(sell, "a SELL somewhere in the story").toBeDefined();
      for (const d of [buy!, sell!]) {
        const side = d.conditions.filter((c) => c.side === d.action);
        expect(side.length).toBeGreaterThan(1);
        for (const c of side) {
          expect(c.status, `${c.id}: ${c.detail}`).toBe("pass");
          expect(c.detail).not.toBe("");
        }
        expect(d.risk).toBeDefined();
      }
      expect(buy!.risk!.slPrice).toBeLessThan(buy!.price);
      expect(buy!.risk!.tpPrice).toBeGreaterThan(buy!.price);
      expect(buy!.buyIndex).toBe(100);
    });
  }

  it("swing-conservative buys exactly the bounce that follows an oversold dip in an uptrend", () => {
    const ds = decisions(config, "swing-conservative");
    const buys = ds.flatMap((d, i) => (d.action === "BUY" ? [i] : []));
    expect(buys).toEqual([BOUNCE]);
    const d = ds[BOUNCE]!;
    const byId = Object.fromEntries(d.conditions.map((c) => [c.id, c]));
    expect(byId["buy.rsi_cross_up"]!.status).toBe("pass");
    expect(byId["buy.ma50_above_ema10"]!.status).toBe("pass");
    expect(byId["buy.trend_price_above_ma200"]!.status).toBe("pass");
    expect(byId["buy.close_above_ema10"]!.status).toBe("pass");
    // the candle before: RSI still below 30, so no cross yet
    expect(ds[BOUNCE - 1]!.conditions.find((c) => c.id === "buy.rsi_cross_up")!.status).toBe("fail");
  });

  it("no trend-checking preset sells in the bull structure (the original's inverted SELL filter)", () => {
    for (const preset of PRESETS.filter((p) => config.preset(p)!.maChecks.ma50)) {
      const ds = decisions(config, preset).slice(0, 300);
      const sells = ds.filter((d) => d.action === "SELL");
      expect(sells, preset).toEqual([]);
      // RSI was overbought in the uptrend; what blocked the SELL is the bearish trend requirement
      const overbought = ds.filter((d) => d.conditions.find((c) => c.id === "sell.rsi")?.status === "pass");
      expect(overbought.length, preset).toBeGreaterThan(50);
      for (const d of overbought) {
        expect(d.conditions.find((c) => c.id === "sell.trend_reversal")!.status).not.toBe("pass");
      }
    }
  });

  it("a BUY never comes before its indicators exist: early decisions say what is missing", () => {
    const ds = decisions(config, "swing-aggressive", STORY.slice(0, 120));
    expect(ds.every((d) => d.action === "WAIT")).toBe(true);
    const last = ds.at(-1)!;
    expect(last.insufficient).toContain("MA200 needs 200 candles, have 120");
    const ma200 = last.conditions.find((c) => c.id === "buy.price_above_ma200")!;
    expect(ma200.status).toBe("insufficient");
    expect(ma200.value).toBeNull();
    expect(ma200.threshold).toBeNull();
    expect(last.reasons.join(" ")).toMatch(/insufficient data/);
    const first = ds[0]!;
    expect(first.conditions.find((c) => c.id === "buy.rsi")!.missing).toBe(
      "RSI(14) needs 15 candles, have 1",
    );
  });
});
