import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_STRATEGIES_FILE,
  loadStrategyConfig,
  parseStrategyConfig,
  StrategyConfigError,
} from "../../src/strategy/config.js";
import { PresetRulesSchema } from "../../src/strategy/config-schema.js";
import { compileRules } from "../../src/strategy/rules.js";
import { findConflict, satisfiable } from "../../src/strategy/satisfiability.js";

const shipped = JSON.parse(readFileSync(DEFAULT_STRATEGIES_FILE, "utf8"));
const clone = () => structuredClone(shipped);

describe("strategy configuration", () => {
  it("the shipped file loads", () => {
    const cfg = loadStrategyConfig();
    expect(cfg.coin("ETH_USD").preset).toBe("swing-conservative");
    expect(cfg.coin("ETH_USD").timeframe).toBe("1h");
    expect(cfg.minIntervalMs).toBe(60_000);
  });

  it("rejects the original swing-conservative, which could never BUY, naming the conflicting conditions", () => {
    const f = clone();
    // as the original shipped it: MA checks on EMA10+MA50 (MA50 ≥ EMA10) plus trend filter EMA10 > MA50
    f.presets["swing-conservative"].trendFilters = { priceAboveMa200: true, ema10AboveMa50: true };
    const { config, problems } = parseStrategyConfig(f);
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      'presets.swing-conservative: BUY can never happen: these conditions cannot all hold at once: "MA50 ≥ EMA10 (pullback; within 0.01 % counts as flat)" and "trend filter: EMA10 > MA50"',
    ]);
  });

  it("rejects overlapping RSI zones", () => {
    const f = clone();
    f.presets["scalp-aggressive"].rsi = { buyBelow: 70, sellAbove: 60 };
    const { problems } = parseStrategyConfig(f);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^presets\.scalp-aggressive: RSI zones overlap: buyBelow 70 is above sellAbove 60/,
    );
  });

  it("reports schema problems with their path, and unknown presets", () => {
    const f = clone();
    f.presets["swing-aggressive"].rsi.buyBelow = 130;
    f.presets["swing-aggressive"].volumeMinRatio = -1;
    f.coins = { BTC_USD: { preset: "swing-nope" } };
    let r = parseStrategyConfig(f);
    expect(r.problems.map((p) => p.split(":")[0])).toEqual([
      "presets.swing-aggressive.rsi.buyBelow",
      "presets.swing-aggressive.volumeMinRatio",
    ]);
    f.presets["swing-aggressive"].rsi.buyBelow = 45;
    f.presets["swing-aggressive"].volumeMinRatio = 0.5;
    f.defaults.preset = "nope";
    r = parseStrategyConfig(f);
    expect(r.problems).toEqual([
      expect.stringMatching(/^defaults\.preset: unknown preset 'nope' \(known: intraday-aggressive, /),
      expect.stringMatching(/^coins\.BTC_USD\.preset: unknown preset 'swing-nope'/),
    ]);
  });

  it("applies per-coin overrides field by field and validates the result", () => {
    const f = clone();
    f.coins = {
      BTC_USD: {
        preset: "intraday-aggressive",
        timeframe: "15m",
        overrides: { rsi: { buyBelow: 40 }, sl: { pct: 2 } },
      },
      DOGE_USD: { preset: "swing-aggressive", overrides: { trendFilters: { ema10AboveMa50: true } } },
    };
    const bad = parseStrategyConfig(f);
    expect(bad.problems).toEqual([
      expect.stringMatching(/^coins\.DOGE_USD: BUY can never happen: .*"trend filter: EMA10 > MA50"/),
    ]);
    delete f.coins.DOGE_USD;
    const { config } = parseStrategyConfig(f);
    const btc = config!.coin("BTC_USD");
    expect(btc.timeframe).toBe("15m");
    expect(btc.rules.rsi).toEqual({ buyBelow: 40, sellAbove: 65 });
    expect(btc.rules.sl).toEqual({ pct: 2 });
    expect(btc.rules.maChecks).toEqual(shipped.presets["intraday-aggressive"].maChecks);
    expect(btc.configHash).not.toBe(config!.coin("ETH_USD").configHash);
  });

  it("a buy target above which BUY is impossible combined with nothing else is fine; the hash covers it", () => {
    const f = clone();
    f.coins = { BTC_USD: { preset: "scalp-aggressive", buyTarget: 50000 } };
    const a = parseStrategyConfig(f).config!.coin("BTC_USD");
    f.coins.BTC_USD.buyTarget = 51000;
    const b = parseStrategyConfig(f).config!.coin("BTC_USD");
    expect(a.configHash).not.toBe(b.configHash);
    expect(a.buyTarget).toBe(50000);
  });

  it("refuses a __proto__ key anywhere (a schema record would drop it without a word), by path", () => {
    // JSON.parse keeps "__proto__" as an own key (an object literal would set the prototype instead)
    const f = clone();
    const own = (o: object, value: unknown) =>
      Object.defineProperty(o, "__proto__", { value, enumerable: true, configurable: true, writable: true });
    own(f.presets, shipped.presets["swing-aggressive"]);
    own(f.coins, { preset: "swing-aggressive" });
    expect(Object.hasOwn(JSON.parse(JSON.stringify(f)).presets, "__proto__")).toBe(true);
    const { config, problems } = parseStrategyConfig(JSON.parse(JSON.stringify(f)));
    expect(config).toBeUndefined();
    expect(problems).toEqual([
      'presets.__proto__: "__proto__" cannot be a name here (it is reserved); rename it',
      'coins.__proto__: "__proto__" cannot be a name here (it is reserved); rename it',
    ]);
  });

  it("looks preset and coin names up as own entries: constructor / toString are unknown unless defined", () => {
    const cfg = loadStrategyConfig();
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(cfg.preset(name)).toBeUndefined();
      expect(() => cfg.presetStrategy(name)).toThrow(/unknown preset/);
    }
    const f = clone();
    f.presets.constructor = f.presets["swing-aggressive"];
    f.defaults.preset = "constructor";
    const { config } = parseStrategyConfig(f);
    expect(config?.preset("constructor")).toEqual(config?.preset("swing-aggressive"));
    expect(config?.coin("XRP_USD").preset).toBe("constructor");
  });

  it("loadStrategyConfig throws one error listing every problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "atp-strat-"));
    const path = join(dir, "s.json");
    const f = clone();
    f.version = 2;
    writeFileSync(path, JSON.stringify(f));
    expect(() => loadStrategyConfig(path)).toThrow(StrategyConfigError);
    try {
      loadStrategyConfig(path);
    } catch (err) {
      expect((err as StrategyConfigError).problems).toEqual([expect.stringMatching(/^version: /)]);
      expect((err as Error).message).toContain(path);
    }
    writeFileSync(path, "{ not json");
    expect(() => loadStrategyConfig(path)).toThrow(/invalid strategy configuration/);
  });
});

describe("satisfiability", () => {
  const base = PresetRulesSchema.parse(shipped.presets["intraday-conservative"]);

  it("finds chains of MA comparisons that contradict (price ≥ MA200, EMA10 > MA50 > MA200 > price)", () => {
    const rules = { ...base, maChecks: { ema10: false, ma50: false, ma200: true }, maTolerancePct: 0 };
    const list = compileRules(rules).buy;
    expect(satisfiable(list)).toBe(true);
    const extra = [
      {
        id: "x1",
        side: "BUY" as const,
        label: "MA200 > close",
        anyOf: [
          [{ kind: "ratio" as const, a: "ma200" as const, op: ">" as const, b: "price" as const, factor: 1 }],
        ],
      },
    ];
    expect(findConflict([...list, ...extra])!.map((c) => c.id)).toEqual(["buy.price_above_ma200", "x1"]);
  });

  it("tolerances matter: close ≥ MA200 × 0.995 and MA200 > close can both hold", () => {
    const list = compileRules({ ...base, maChecks: { ema10: false, ma50: false, ma200: true } }).buy;
    const extra = {
      id: "x",
      side: "BUY" as const,
      label: "MA200 > close",
      anyOf: [
        [{ kind: "ratio" as const, a: "ma200" as const, op: ">" as const, b: "price" as const, factor: 1 }],
      ],
    };
    expect(satisfiable([...list, extra])).toBe(true);
  });

  it("an OR condition is satisfiable through either branch", () => {
    const sell = compileRules(base).sell;
    const againstFirstBranch = {
      id: "x",
      side: "SELL" as const,
      label: "EMA10 > MA50",
      anyOf: [
        [{ kind: "ratio" as const, a: "ema10" as const, op: ">" as const, b: "ma50" as const, factor: 1 }],
      ],
    };
    expect(satisfiable([...sell, againstFirstBranch])).toBe(true);
    const againstSecond = {
      id: "y",
      side: "SELL" as const,
      label: "close ≥ MA10w",
      anyOf: [
        [{ kind: "ratio" as const, a: "price" as const, op: ">=" as const, b: "ma10w" as const, factor: 1 }],
      ],
    };
    expect(findConflict([...sell, againstFirstBranch, againstSecond])!.map((c) => c.id)).toEqual([
      "sell.trend_reversal",
      "x",
      "y",
    ]);
  });

  it("strict bounds at the same value conflict, inclusive ones do not", () => {
    const rsi = (op: "<" | "<=" | ">" | ">=", value: number) => ({
      id: `rsi${op}${value}`,
      side: "BUY" as const,
      label: `RSI ${op} ${value}`,
      anyOf: [[{ kind: "bound" as const, x: "rsi" as const, op, value }]],
    });
    expect(satisfiable([rsi("<", 30), rsi(">=", 30)])).toBe(false);
    expect(satisfiable([rsi("<=", 30), rsi(">=", 30)])).toBe(true);
    expect(satisfiable([rsi(">", 100)])).toBe(false);
    expect(satisfiable([rsi("<", 0)])).toBe(false);
  });
});
