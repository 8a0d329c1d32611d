/**
 * `atp backtest`: runs a preset strategy over historical candles with the live strategy code and
 * prints trades, P&L, fees, drawdown, win rate and exposure; `--report DIR` writes report.html (price
 * with BUY/SELL markers, equity curve, traces) and result.json. Deterministic: same input, same bytes.
 *
 * Invariants: every input is checked before anything is loaded, with exit 2 naming the flag: dates
 * that exist (no roll-over of 2025-02-30), a range of at most MAX_CANDLES candles (said before
 * loading, not found out by running out of memory), a base URL that is a URL, a report directory
 * that can be written. URLs are shown without their user info.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createRuntime, type Runtime } from "../../app/runtime.js";
import { type CandleInput, loadCandles } from "../../backtest/candle-input.js";
import { CandleCsvError } from "../../backtest/csv.js";
import { DEFAULT_FILL_MODEL, type FillModel } from "../../backtest/fill-model.js";
import { renderReportHtml, summaryJson } from "../../backtest/report.js";
import { runBacktest } from "../../backtest/run.js";
import { loadConfig } from "../../config/load.js";
import { urlProblem } from "../../config/variables.js";
import { parseTimeframe } from "../../exchange/cryptocom/constants.js";
import { periodMs, type Timeframe } from "../../market/timeframe.js";
import { loadStrategyConfig, StrategyConfigError } from "../../strategy/config.js";
import { configHash } from "../../strategy/config-hash.js";
import { displayUrl } from "../../util/url.js";
import { SEED_RANGE } from "../args.js";
import { type CommandContext, defineCommand, type OptionValues, option } from "../define-command.js";

/** Span used when --from is omitted for a network or generated source. */
const DEFAULT_CANDLES = 2000;
/** Most candles one run loads (about a year of 1m candles): more would exhaust memory. */
export const MAX_CANDLES = 600_000;
/** Fixed default end for generated candles, so a bare `--source emulator` run is reproducible. */
const EMULATOR_DEFAULT_TO = Date.UTC(2026, 0, 1);

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code} (${e.message.replace(/^[A-Z]+: /, "")})` : String(err);
}

/** Creates the report directory up front, so an unwritable path is refused before the run. */
function prepareReportDir(dir: string): void {
  try {
    mkdirSync(resolve(dir), { recursive: true });
  } catch (err) {
    throw new Error(`--report ${dir}: cannot create the report directory: ${errText(err)}`);
  }
}

/** A percentage per fill in [0, 100), as a fraction. */
function percent(text: string, name: string): number {
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0 || x >= 100)
    throw new Error(`--${name} is a percentage in [0, 100), got "${text}"`);
  return x / 100;
}

const SYMBOL_RE = /^[A-Z0-9]+([_-][A-Z0-9]+)*$/;
const SOURCES = ["rest", "emulator", "csv"] as const;

const options = {
  symbol: option.custom(
    "the instrument",
    (text) => {
      if (!SYMBOL_RE.test(text))
        throw new Error(`--symbol is required: an instrument name such as BTC_USD, got "${text}"`);
      return text;
    },
    { value: "BTC_USD", required: "an instrument name such as BTC_USD" },
  ),
  timeframe: option.custom(
    "candle timeframe (default: the coin's in the strategies file)",
    (text) => {
      const tf = parseTimeframe(text);
      if (!tf)
        throw new Error(`--timeframe must be one of 1m 5m 15m 30m 1h 2h 4h 12h 1D 7D 14D 1M, got "${text}"`);
      return tf;
    },
    { value: "1h" },
  ),
  preset: option.string("preset to run without the coin's overrides (default: the coin's own settings)", {
    value: "NAME",
  }),
  from: option.instant("first candle start: ISO date/time (UTC) or ms since the epoch", {
    value: "2025-01-01",
  }),
  to: option.instant("end (exclusive) of candle starts, like --from", { value: "2025-06-01" }),
  candles: option.string("a CSV file with header t,o,h,l,c,v (t = candle start in ms since the epoch)", {
    value: "FILE.csv",
  }),
  source: option.custom(
    "where candles come from without --candles: rest (the exchange's public/get-candlestick,\nthe default), emulator (the emulator's seeded market process) or csv",
    (text) => {
      const found = SOURCES.find((x) => x === text);
      if (!found) throw new Error(`--source must be rest, emulator or csv, got "${text}"`);
      return found;
    },
    { value: "rest|emulator|csv" },
  ),
  "base-url": option.custom(
    "REST base URL for --source rest (default: EXCHANGE_CUSTOM_BASE_URL)",
    (text) => {
      const problem = urlProblem(text);
      if (problem) throw new Error(`--base-url: ${displayUrl(problem)}`);
      return text;
    },
    { value: "URL" },
  ),
  seed: option.int("seed of the emulator's market process (--source emulator)", SEED_RANGE, {
    value: "N",
    default: 1,
  }),
  fee: option.custom("fee in percent per fill", percent, {
    value: "PCT",
    default: DEFAULT_FILL_MODEL.feeRate,
    defaultText: String(DEFAULT_FILL_MODEL.feeRate * 100),
    numeric: true,
  }),
  slippage: option.custom("slippage in percent per fill", percent, {
    value: "PCT",
    default: DEFAULT_FILL_MODEL.slippage,
    defaultText: String(DEFAULT_FILL_MODEL.slippage * 100),
    numeric: true,
  }),
  // positive, and small enough that P&L arithmetic stays exact to the cent
  cash: option.number(
    "starting cash",
    { min: 0, minExclusive: true, max: 1e12 },
    {
      default: DEFAULT_FILL_MODEL.initialCash,
    },
  ),
  amount: option.number(
    "amount per trade",
    { min: 0, minExclusive: true, max: 1e12 },
    {
      default: DEFAULT_FILL_MODEL.tradeAmount,
    },
  ),
  config: option.string("the strategies file", { value: "config/strategies.json" }),
  json: option.flag("print the result as JSON"),
  report: option.string("write report.html and result.json into DIR", { value: "DIR" }),
};

export const command = defineCommand({
  name: "backtest",
  summary: "Run a strategy preset over historical candles (CSV, exchange REST or generated)",
  description:
    "Runs the live strategy code over closed candles with start in [--from, --to) and prints trades, P&L,\nfees, drawdown, win rate and exposure. Deterministic: same input, same bytes.",
  notes: `A run loads at most ${MAX_CANDLES.toLocaleString("en-US")} candles.`,
  options,
  run,
});

async function run(values: OptionValues<typeof options>, ctx: CommandContext): Promise<number> {
  let strategies: ReturnType<typeof loadStrategyConfig>;
  try {
    strategies = loadStrategyConfig(values.config);
  } catch (err) {
    if (err instanceof StrategyConfigError) {
      process.stderr.write(`atp backtest: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const symbol = values.symbol;
  let timeframe: Timeframe;
  let source:
    | { kind: "csv"; file: string }
    | { kind: "emulator"; seed: number }
    | { kind: "rest"; baseUrl?: string };
  let from = values.from;
  let to = values.to;
  let presetName: string;
  try {
    const coin = strategies.coin(symbol);
    timeframe = values.timeframe ?? coin.timeframe;
    presetName = values.preset ?? coin.preset;
    if (!strategies.preset(presetName)) {
      throw new Error(
        `--preset '${presetName}' is not in the strategies file (known: ${strategies.presetNames.join(", ")})`,
      );
    }
    if (from !== undefined && to !== undefined && from >= to) throw new Error("--from must be before --to");
    const src = values.source;
    const file = values.candles;
    if (file !== undefined) {
      if (src !== undefined && src !== "csv")
        throw new Error("--candles reads a CSV file; drop --source or use --source csv");
      source = { kind: "csv", file };
    } else if (src === "emulator") {
      source = { kind: "emulator", seed: values.seed };
      to ??= from !== undefined ? from + DEFAULT_CANDLES * periodMs(timeframe) : EMULATOR_DEFAULT_TO;
    } else if (src === undefined || src === "rest") {
      source = { kind: "rest", ...(values["base-url"] !== undefined ? { baseUrl: values["base-url"] } : {}) };
      to ??= Math.floor(Date.now() / periodMs(timeframe)) * periodMs(timeframe);
    } else throw new Error("--source csv needs --candles FILE.csv");
    if (source.kind !== "csv") {
      from ??= to! - DEFAULT_CANDLES * periodMs(timeframe);
      const count = Math.ceil((to! - from) / periodMs(timeframe));
      if (count > MAX_CANDLES) {
        throw new Error(
          `${iso(from)} to ${iso(to!)} is ${count.toLocaleString("en-US")} ${timeframe} candles; a backtest loads at most ${MAX_CANDLES.toLocaleString("en-US")}: shorten --from/--to or use a longer --timeframe`,
        );
      }
    }
    if (values.report !== undefined) prepareReportDir(values.report);
  } catch (err) {
    return ctx.usageError(err);
  }
  const fill: FillModel = {
    feeRate: values.fee,
    slippage: values.slippage,
    initialCash: values.cash,
    tradeAmount: values.amount,
  };

  // the exchange's candles come through the composition root, which builds and closes the client
  let runtime: Runtime | undefined;
  let input: CandleInput;
  if (source.kind === "rest") {
    runtime = createRuntime(loadConfig(), { name: "backtest" });
    const rest = runtime.restCandleSource(source.baseUrl ?? runtime.config.exchange.baseUrl);
    input = { kind: "rest", source: rest.source, label: `rest ${displayUrl(rest.baseUrl)}` };
  } else input = source;

  let loaded: Awaited<ReturnType<typeof loadCandles>>;
  try {
    loaded = await loadCandles(input, { symbol, timeframe, from, to });
  } catch (err) {
    if (err instanceof CandleCsvError) {
      process.stderr.write(
        `atp backtest: --candles ${values.candles}: invalid candle file:\n${err.message}\n`,
      );
      return 2;
    }
    const msg = displayUrl(err instanceof Error ? err.message : String(err));
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(`atp backtest: could not load candles: ${msg}\n`);
    return code === "ENOENT" ? 2 : 1;
  } finally {
    await runtime?.stop();
  }
  if (loaded.candles.length === 0) {
    process.stderr.write(
      `atp backtest: no ${timeframe} candles for ${symbol} in the requested range (${loaded.source})\n`,
    );
    return 1;
  }

  // A named preset runs without the coin's overrides; without --preset the coin's own settings run.
  const usesCoin = values.preset === undefined;
  const coin = strategies.coin(symbol);
  const strategy = usesCoin ? strategies.strategyFor(symbol) : strategies.presetStrategy(presetName);
  const rules = usesCoin ? coin.rules : strategies.preset(presetName)!;
  let result: Awaited<ReturnType<typeof runBacktest>>;
  try {
    result = await runBacktest(loaded.candles, {
      symbol,
      timeframe,
      strategy,
      fill,
      minIntervalMs: strategies.minIntervalMs,
      minPriceChangePct: rules.minPriceChangePct,
      configHash: usesCoin ? coin.configHash : configHash({ preset: presetName, rules }),
    });
  } catch (err) {
    process.stderr.write(`atp backtest: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const meta = { source: loaded.source, gaps: loaded.gaps };
  const json = summaryJson(result, meta);
  const reportDir = values.report;
  if (reportDir !== undefined) {
    const dir = resolve(reportDir);
    try {
      writeFileSync(join(dir, "report.html"), renderReportHtml(result, loaded.candles, meta));
      writeFileSync(join(dir, "result.json"), `${JSON.stringify(json, null, 2)}\n`);
    } catch (err) {
      process.stderr.write(`atp backtest: --report ${reportDir}: cannot write the report: ${errText(err)}\n`);
      return 2;
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  const s = result.stats;
  const f2 = (x: number) => x.toFixed(2);
  process.stdout.write(
    [
      `backtest ${symbol} ${timeframe} ${result.strategy}: ${result.candles} candles from ${loaded.source}${meta.gaps ? ` (${meta.gaps} missing)` : ""}`,
      `  trades        ${s.trades} (won ${s.wins}, lost ${s.losses}, win rate ${f2(s.winRatePct)} %)`,
      `  net P&L       ${f2(s.netPnl)} (${f2(s.returnPct)} %), before fees ${f2(s.grossPnl)}, fees ${f2(s.fees)}`,
      `  max drawdown  ${f2(s.maxDrawdown)} (${f2(s.maxDrawdownPct)} %)`,
      `  exposure      ${f2(s.exposurePct)} % of the time`,
      `  signals       BUY ${result.signals.buy}, SELL ${result.signals.sell}, throttled ${result.signals.throttled}`,
      `  fingerprint   ${result.fingerprint}`,
      ...(reportDir !== undefined ? [`  report        ${join(resolve(reportDir), "report.html")}`] : []),
      "",
    ].join("\n"),
  );
  return 0;
}
