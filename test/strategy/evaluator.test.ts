import { describe, expect, it } from "vitest";
import { replay } from "../../src/backtest/replay.js";
import { loadStrategyConfig } from "../../src/strategy/config.js";
import { SymbolEvaluator } from "../../src/strategy/evaluator.js";
import { ExternalSignalStrategy } from "../../src/strategy/external-strategy.js";
import { admitDecision } from "../../src/strategy/signals.js";
import { MemoryThrottleStore, Throttle } from "../../src/strategy/throttle.js";
import type { ConditionResult } from "../../src/strategy/types.js";
import { HOUR } from "./craft.js";
import { BOUNCE, STORY } from "./story.js";

const config = loadStrategyConfig();

describe("SymbolEvaluator", () => {
  it("previewing the live candle gives a preview decision and leaves the closed-candle decision intact", () => {
    const a = new SymbolEvaluator("BTC_USD", "1h", [config.presetStrategy("swing-conservative")]);
    const b = new SymbolEvaluator("BTC_USD", "1h", [config.presetStrategy("swing-conservative")]);
    const feed = (e: SymbolEvaluator, withPreviews: boolean) => {
      const out: string[] = [];
      for (const c of STORY.slice(0, BOUNCE + 1)) {
        if (withPreviews) {
          e.onCandle("1h", { ...c, c: c.c * 0.9, l: Math.min(c.l, c.c * 0.9) }, false);
          const p = e.evaluate(c.t + HOUR / 2)[0]!;
          expect(p.preview).toBe(true);
        }
        e.onCandle("1h", c, true);
        out.push(JSON.stringify(e.evaluate(c.t + HOUR)));
      }
      return out;
    };
    expect(feed(a, true)).toEqual(feed(b, false));
  });

  it("a failing gate (stale market data) turns any action into WAIT and says why", () => {
    const e = new SymbolEvaluator("BTC_USD", "1h", [config.presetStrategy("swing-conservative")]);
    for (const c of STORY.slice(0, BOUNCE + 1)) e.onCandle("1h", c, true);
    const t = STORY[BOUNCE]!.t + HOUR;
    expect(e.evaluate(t)[0]!.action).toBe("BUY");
    const stale: ConditionResult = {
      id: "gate.data_fresh",
      side: "GATE",
      label: "market data fresh",
      status: "fail",
      value: 95,
      threshold: 90,
      detail: "BTC_USD ticker silent for 95 s (limit 90 s)",
    };
    const d = e.evaluate(t, [stale])[0]!;
    expect(d.action).toBe("WAIT");
    expect(d.conditions[0]).toEqual(stale);
    expect(d.reasons[0]).toBe("BUY blocked: BTC_USD ticker silent for 95 s (limit 90 s)");
    expect(d.risk).toBeUndefined();
  });

  it("decisions through the throttle: repeated signals need the preset's price move", async () => {
    const throttle = await Throttle.open(new MemoryThrottleStore(), config.minIntervalMs);
    const e = new SymbolEvaluator("BTC_USD", "1h", [config.presetStrategy("scalp-aggressive")]);
    const rules = config.preset("scalp-aggressive")!;
    let raw = 0;
    const emitted: number[] = [];
    replay(STORY, e, (ds) => {
      const d = ds[0]!;
      if (d.action !== "WAIT") raw++;
      const a = admitDecision(throttle, d, { configHash: "x", minPriceChangePct: rules.minPriceChangePct });
      if (a.signal) emitted.push(a.signal.decision.price);
    });
    expect(raw).toBeGreaterThan(500);
    expect(emitted.length).toBeGreaterThan(10);
    expect(emitted.length).toBeLessThan(raw / 5);
  });
});

describe("ExternalSignalStrategy (webhook extension point)", () => {
  it("turns a fresh queued signal into a decision on the next closed candle, and ignores stale ones", () => {
    const strat = new ExternalSignalStrategy({
      source: "tradingview",
      maxAgeMs: 120_000,
      slPct: 2,
      tpPct: 4,
    });
    const e = new SymbolEvaluator("BTC_USD", "1h", [strat, config.presetStrategy("scalp-aggressive")]);
    e.onCandle("1h", STORY[0]!, true);
    const c = STORY[1]!;
    const close = c.t + HOUR;
    e.pushExternal({ id: "tv-1", source: "tradingview", side: "SELL", receivedAt: close - 10_000 });
    e.pushExternal({ id: "tv-2", source: "tradingview", side: "BUY", receivedAt: close - 5_000 });
    e.pushExternal({ id: "later", source: "tradingview", side: "SELL", receivedAt: close + 1 });
    // a preview evaluation does not consume the queue
    e.onCandle("1h", c, false);
    expect(e.evaluate(close - 1)[0]!.action).toBe("WAIT");
    e.onCandle("1h", c, true);
    const [ext, preset] = e.evaluate(close);
    expect(ext!.action).toBe("BUY");
    expect(ext!.strategy).toBe("external:tradingview");
    expect(ext!.conditions.find((x) => x.id === "buy.external")!.detail).toBe("signal tv-2 received 5 s ago");
    expect(ext!.risk).toMatchObject({ basis: "pct", slFraction: 0.02, tpFraction: 0.04 });
    expect(ext!.risk!.slPrice).toBeCloseTo(c.c * 0.98, 9);
    expect(ext!.risk!.tpPrice).toBeCloseTo(c.c * 1.04, 9);
    expect(preset!.strategy).toBe("scalp-aggressive");
    // "later" is still queued; consumed at a later close but then too old
    expect(e.evaluate(close + 200_000)[0]!.action).toBe("WAIT");
  });
});
