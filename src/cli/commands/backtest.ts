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
import { parseArgs } from "node:util";
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
import {
  instantOption,
  intOption,
  joinNegativeValues,
  numberOption,
  SEED_RANGE,
  usageError,
} from "../args.js";

export const summary = "Run a strategy preset over historical candles (CSV, exchange REST or generated)";

const USAGE = `atp backtest --symbol BTC_USD [--timeframe 1h] [--preset swing-conservative] [--from 2025-01-01] [--to 2025-06-01]
       [--candles FILE.csv | --source rest [--base-url URL] | --source emulator [--seed N]]
       [--fee 0.075] [--slippage 0.05] [--cash 10000] [--amount 1000] [--config config/strategies.json]
       [--json] [--report DIR]
  --timeframe, --preset  default: the coin's settings in the strategies file (preset with its overrides)
  --from, --to           ISO date/time (UTC) or ms since the epoch; candle starts in [from, to)
  --candles FILE.csv     header t,o,h,l,c,v (t = candle start in ms since the epoch)
  --source               rest (default without --candles: the exchange's public/get-candlestick)
                         or emulator (candles from the emulator's seeded market process)
  --fee, --slippage      in percent per fill (defaults 0.075 and 0.05)`;

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

function pctFlag(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0 || x >= 100)
    throw new Error(`--${name} is a percentage in [0, 100), got "${v}"`);
  return x / 100;
}

/** Cash and trade amounts: positive, and small enough that P&L arithmetic stays exact to the cent. */
function amountFlag(name: string, v: string | undefined, fallback: number): number {
  return numberOption(name, v, { min: 0, minExclusive: true, max: 1e12 }) ?? fallback;
}

export async function run(args: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: joinNegativeValues(args, ["from", "to", "seed", "fee", "slippage", "cash", "amount"]),
      options: {
        symbol: { type: "string" },
        timeframe: { type: "string" },
        preset: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        candles: { type: "string" },
        source: { type: "string" },
        "base-url": { type: "string" },
        seed: { type: "string" },
        fee: { type: "string" },
        slippage: { type: "string" },
        cash: { type: "string" },
        amount: { type: "string" },
        config: { type: "string" },
        json: { type: "boolean" },
        report: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values;
  } catch (err) {
    return usageError("backtest", err, USAGE);
  }
  if (values.help) {
    process.stdout.write(`usage: ${USAGE}\n`);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;

  let strategies: ReturnType<typeof loadStrategyConfig>;
  try {
    strategies = loadStrategyConfig(str("config") ?? undefined);
  } catch (err) {
    if (err instanceof StrategyConfigError) {
      process.stderr.write(`atp backtest: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  let symbol: string;
  let timeframe: Timeframe;
  let input: CandleInput;
  let from: number | undefined;
  let to: number | undefined;
  let fill: FillModel;
  let presetName: string;
  let runtime: Runtime | undefined;
  try {
    symbol = str("symbol") ?? "";
    if (!/^[A-Z0-9]+([_-][A-Z0-9]+)*$/.test(symbol)) {
      throw new Error(
        `--symbol is required: an instrument name such as BTC_USD${symbol ? `, got "${symbol}"` : ""}`,
      );
    }
    const coin = strategies.coin(symbol);
    const tfText = str("timeframe");
    const tf = tfText === undefined ? coin.timeframe : parseTimeframe(tfText);
    if (!tf)
      throw new Error(`--timeframe must be one of 1m 5m 15m 30m 1h 2h 4h 12h 1D 7D 14D 1M, got "${tfText}"`);
    timeframe = tf;
    presetName = str("preset") ?? coin.preset;
    if (!strategies.preset(presetName)) {
      throw new Error(
        `--preset '${presetName}' is not in the strategies file (known: ${strategies.presetNames.join(", ")})`,
      );
    }
    from = instantOption("from", str("from"));
    to = instantOption("to", str("to"));
    if (from !== undefined && to !== undefined && from >= to) throw new Error("--from must be before --to");
    const src = str("source");
    const file = str("candles");
    if (file !== undefined) {
      if (src !== undefined && src !== "csv")
        throw new Error("--candles reads a CSV file; drop --source or use --source csv");
      input = { kind: "csv", file };
    } else if (src === "emulator") {
      input = { kind: "emulator", seed: intOption("seed", str("seed"), SEED_RANGE) ?? 1 };
      to ??= from !== undefined ? from + DEFAULT_CANDLES * periodMs(timeframe) : EMULATOR_DEFAULT_TO;
    } else if (src === undefined || src === "rest") {
      const given = str("base-url");
      const problem = given !== undefined ? urlProblem(given) : undefined;
      if (problem) throw new Error(`--base-url: ${displayUrl(problem)}`);
      runtime = createRuntime(loadConfig(), { name: "backtest" });
      const rest = runtime.restCandleSource(given ?? runtime.config.exchange.baseUrl);
      input = { kind: "rest", source: rest.source, label: `rest ${displayUrl(rest.baseUrl)}` };
      to ??= Math.floor(Date.now() / periodMs(timeframe)) * periodMs(timeframe);
    } else throw new Error(`--source must be rest, emulator or csv, got "${src}"`);
    if (input.kind !== "csv") {
      from ??= to! - DEFAULT_CANDLES * periodMs(timeframe);
      const count = Math.ceil((to! - from) / periodMs(timeframe));
      if (count > MAX_CANDLES) {
        throw new Error(
          `${iso(from)} to ${iso(to!)} is ${count.toLocaleString("en-US")} ${timeframe} candles; a backtest loads at most ${MAX_CANDLES.toLocaleString("en-US")}: shorten --from/--to or use a longer --timeframe`,
        );
      }
    }
    fill = {
      feeRate: pctFlag("fee", str("fee"), DEFAULT_FILL_MODEL.feeRate),
      slippage: pctFlag("slippage", str("slippage"), DEFAULT_FILL_MODEL.slippage),
      initialCash: amountFlag("cash", str("cash"), DEFAULT_FILL_MODEL.initialCash),
      tradeAmount: amountFlag("amount", str("amount"), DEFAULT_FILL_MODEL.tradeAmount),
    };
    if (str("report") !== undefined) prepareReportDir(str("report")!);
  } catch (err) {
    await runtime?.stop();
    return usageError("backtest", err, USAGE);
  }

  let loaded: Awaited<ReturnType<typeof loadCandles>>;
  try {
    loaded = await loadCandles(input, { symbol, timeframe, from, to });
  } catch (err) {
    if (err instanceof CandleCsvError) {
      process.stderr.write(
        `atp backtest: --candles ${str("candles")}: invalid candle file:\n${err.message}\n`,
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
  const usesCoin = str("preset") === undefined;
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
  const reportDir = str("report");
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
