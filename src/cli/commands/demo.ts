/**
 * `atp demo`: a market view of the demo (`npm start` runs `atp start`, the trading demo): starts the built-in exchange emulator with a demo key, points
 * the exchange client at it, runs the connection test, then follows the demo watchlist's market with
 * the live strategy pipeline (market feed → indicators → presets → throttle) and prints prices,
 * decisions and signals until Ctrl-C, when it closes everything and exits 0. It never places orders
 * (the trading demo is `atp start` without credentials: docs/operations-start.md).
 * No exchange answer ends it: a failed price read prints the reason and is tried again next line.
 */
import { readFileSync } from "node:fs";
import { DEMO_CREDENTIALS } from "../../app/platform/demo-setup.js";
import { createRuntime } from "../../app/runtime.js";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { formatStep, runConnectionTest } from "../../diagnostics/connection-test.js";
import { ExchangeError } from "../../exchange/cryptocom/errors.js";
import { DEFAULT_STRATEGIES_FILE, parseStrategyConfig } from "../../strategy/config.js";
import type { LiveSignals } from "../../strategy/live-signals.js";
import type { Signal } from "../../strategy/signals.js";
import { PORT_RANGE } from "../args.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";
import { onStop } from "../lifecycle.js";

/** The demo watchlist and the preset each coin runs (1h candles; at --speed 600 one closes every 6 s). */
const WATCHLIST: Record<string, string> = {
  BTC_USD: "swing-aggressive",
  ETH_USD: "intraday-aggressive",
  SOL_USD: "scalp-aggressive",
};
/** The emulator's fastest market clock (its `speed` setting). */
const MAX_SPEED = 100_000;
const DEMO_KEY = { api_key: DEMO_CREDENTIALS.apiKey, secret: DEMO_CREDENTIALS.apiSecret };

const options = {
  port: option.int("port the emulator listens on (when it is taken, a free one)", PORT_RANGE, {
    default: 8100,
  }),
  speed: option.int(
    "how many times faster than real time the market runs",
    { min: 1, max: MAX_SPEED },
    {
      default: 600,
    },
  ),
  // at most a day: Node's timers hold 2^31 − 1 ms (~24.8 days) and fire after 1 ms beyond that
  interval: option.int(
    "seconds between price lines",
    { min: 1, max: 86_400, unit: "seconds" },
    {
      value: "SECONDS",
      default: 5,
    },
  ),
  once: option.flag("print one price line, then stop"),
  live: option.flag("refuse to start without API credentials (the demo still trades only on the emulator)"),
};

export const command = defineCommand({
  name: "demo",
  summary: "Start the demo: the built-in exchange emulator, a connection test and a live market view",
  description:
    "Starts the built-in Crypto.com Exchange emulator with a demo key, runs the connection test against it,\nthen follows the demo watchlist through the live strategy pipeline until Ctrl-C. Never places orders.",
  notes: "Ctrl-C stops everything in order and exits 0; a second Ctrl-C exits at once.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  const { port, speed, interval: intervalS, once, live } = values;
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp demo: ${invalid}`);
    return 2;
  }
  if (live || report.config.liveTrading) {
    const ex = report.config.exchange;
    if (!ex.apiKey || !ex.apiSecret) {
      process.stderr.write(
        `atp: refusing a live start without API credentials (${live ? "--live" : "LIVE_TRADING=true"}).\n` +
          "Set EXCHANGE_CUSTOM_API_KEY and EXCHANGE_CUSTOM_API_SECRET (see `atp check-config`), or start without live trading.\n",
      );
      return 2;
    }
    process.stderr.write(
      "atp: live trading is configured, but the demo only ever trades on the built-in emulator.\n",
    );
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const runtime = createRuntime(report, {
    name: "demo",
    venue: {
      kind: "emulator",
      config: { speed },
      port,
      onPortBusy: (busy) => say(`  port ${busy} is busy; using a free port instead`),
      credentials: { apiKey: DEMO_KEY.api_key, apiSecret: DEMO_KEY.secret, label: "demo secret" },
    },
  });

  say("atp demo: starting the built-in Crypto.com Exchange emulator (offline, no account needed)");
  await runtime.start();
  const emulator = runtime.emulator;
  say(`  listening on ${emulator.baseUrl} (market runs ${speed}x faster than real time)`);
  say(
    `  key ${DEMO_KEY.api_key}, secret ${DEMO_KEY.secret.length} characters; admin API at ${emulator.adminUrl}`,
  );

  const client = runtime.exchange;
  let signals: LiveSignals | undefined;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const unsubscribe = onStop((why) => {
    stopping = true;
    say(`\natp demo: stopping (${why === "signal" ? "Ctrl-C" : "output closed"})`);
    if (timer) clearTimeout(timer);
    wake?.();
  });

  try {
    say("\nconnection test:");
    const result = await runConnectionTest(client, {
      symbol: "BTC_USD",
      outboundIpUrl: emulator.ipEchoUrl,
      log: runtime.logger,
      onStep: (s) => say(`  ${formatStep(s)}`),
      onOutboundIp: (ip) => say(`        outbound IP as the exchange sees it: ${ip ?? "unknown"}`),
    });
    say(result.ok ? "  all steps passed" : "  some steps failed (see above)");
    const symbols = Object.keys(WATCHLIST);
    const base = JSON.parse(readFileSync(DEFAULT_STRATEGIES_FILE, "utf8")) as Record<string, unknown>;
    const parsed = parseStrategyConfig({
      ...base,
      coins: Object.fromEntries(symbols.map((s) => [s, { preset: WATCHLIST[s], timeframe: "1h" }])),
    });
    if (!parsed.config) throw new Error(`demo strategy config: ${parsed.problems.join("; ")}`);
    signals = await runtime.liveSignals(parsed.config);
    signals.onSignal((s) => say(formatSignal(s)));
    for (const sym of symbols) await signals.watch(sym);
    say(
      `\nwatching ${symbols.map((s) => `${s} (${WATCHLIST[s]})`).join(", ")} every ${intervalS}s (Ctrl-C to stop)`,
    );
    while (!stopping) {
      const t = new Date().toISOString().slice(11, 19);
      let tickers: Awaited<ReturnType<typeof client.getTickers>>;
      try {
        tickers = await client.getTickers();
      } catch (err) {
        // no exchange answer ends the demo: say why and try again at the next line
        say(`  ${t}  prices unavailable: ${failureText(err)}`);
        tickers = [];
      }
      const parts = symbols.map((sym) => {
        const k = tickers.find((x) => x.symbol === sym);
        const d = signals?.latest(sym)?.[0];
        const decision = d ? `${d.action} buy-index ${d.buyIndex}` : "warming up";
        return `${sym} ${k?.last?.toFixed() ?? "n/a"} [${decision}]`;
      });
      say(`  ${t}  ${parts.join("   ")}`);
      if (once) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, intervalS * 1000);
      });
    }
  } finally {
    // still subscribed while closing: a second Ctrl-C exits at once instead of waiting
    await runtime.stop();
    unsubscribe();
    say("atp demo: stopped cleanly");
  }
  return 0;
}

function failureText(err: unknown): string {
  if (err instanceof ExchangeError)
    return `${err.code !== undefined ? `${err.code} ` : ""}${err.codeName} (${err.category}), retrying`;
  return `${err instanceof Error ? err.message : String(err)}, retrying`;
}

function formatSignal(s: Signal): string {
  const d = s.decision;
  const risk = d.risk ? ` stop ${d.risk.slPrice.toFixed(2)} target ${d.risk.tpPrice.toFixed(2)}` : "";
  return `  >>> SIGNAL ${s.side} ${d.symbol} at ${d.price} (${d.strategy}, ${d.timeframe})${risk}: ${d.reasons.join("; ")} [${s.throttle.code}]`;
}
