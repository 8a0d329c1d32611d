/**
 * `atp start`: runs the trading engine on the configured exchange until SIGINT / SIGTERM — the
 * store, leadership, strategy signals for the watchlist's trading symbols, orders, protection and
 * reconciliation. (The HTTP API and the dashboard join it in the platform issue.)
 *
 * Invariants:
 * - Live orders only with `LIVE_TRADING=true` *and* the store's live switch on; otherwise dry run
 *   (src/trading/context.ts). Without credentials there is no live venue at all.
 * - A second `atp start` on the same SQLite file exits 2 naming the holder; on PostgreSQL it runs as
 *   a follower and takes over when the leader goes (it tries every `--leader-retry-ms`, default
 *   5000: store/leader.ts). docs/trading/failover.md.
 * - The process stays up until stopped, whatever else holds (or does not hold) its event loop.
 * - The first SIGINT / SIGTERM stops in order (no new signals, in-flight work finished, sockets
 *   closed, store flushed) and exits 0; a second one exits at once.
 * - Prints `atp start: ready (…, leader|follower)` on stdout once the engine runs (tests and scripts
 *   wait for it), and `atp start: leading` / `atp start: not leading` at each change of leadership
 *   ("not leading" after trading stopped).
 */
import { createRuntime } from "../../app/runtime.js";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { StoreLockedError } from "../../store/errors.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";
import { onStop } from "../lifecycle.js";
import { watchlistSignals } from "./watchlist-signals.js";

const options = {
  "instance-id": option.string("names this process in the leadership record and logs", {
    value: "NAME",
  }),
  "tick-ms": option.int(
    "period of the inbox and the engine's duties",
    { min: 10, max: 60_000, unit: "ms" },
    { default: 1000 },
  ),
  "reconcile-s": option.int(
    "seconds between reconciliation passes",
    { min: 1, max: 3600, unit: "seconds" },
    { default: 15 },
  ),
  "leader-retry-ms": option.int(
    "PostgreSQL: how often a follower tries to take leadership",
    { min: 50, max: 60_000, unit: "ms" },
    { default: 5000 },
  ),
  "no-signals": option.flag("do not evaluate strategies (orders come from `atp order` and the inbox only)"),
};

export const command = defineCommand({
  name: "start",
  summary: "Run the trading engine: signals, orders, protection and reconciliation, until Ctrl-C",
  description:
    "Opens the store (SQLite in ATP_DATA_DIR, or DATABASE_URL), becomes the leader (or waits as a follower on\nPostgreSQL), resumes open work, then trades the watchlist's trading symbols. Dry run unless LIVE_TRADING=true\nand the store's live switch is on.",
  notes:
    "Ctrl-C / SIGTERM stops in order and exits 0; a second one exits at once.\nExit codes: 0 stopped, 2 configuration error or the store is in use by another atp.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp start: ${invalid}`);
    return 2;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const runtime = createRuntime(report, { name: "engine" });
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const unsubscribe = onStop(() => stop());
  try {
    const store = await runtime.store();
    const signals = values["no-signals"] ? undefined : await watchlistSignals(runtime, store);
    const engine = await runtime.engine({
      tickMs: values["tick-ms"],
      reconcileMs: values["reconcile-s"] * 1000,
      leadership: { retryMs: values["leader-retry-ms"] },
      ...(values["instance-id"] ? { instanceId: values["instance-id"] } : {}),
      ...(signals ? { signals } : {}),
      onLeadership: (leading) => say(`atp start: ${leading ? "leading" : "not leading"}`),
    });
    await runtime.start();
    const live = runtime.accountCredentials
      ? `live venue ${runtime.liveMode}`
      : "no credentials: dry run only";
    say(
      `atp start: ready (store ${store.dialect} ${store.location}, ${live}, ${engine.isLeader ? "leader" : "follower"})`,
    );
    // The engine's timers are unref'd, and without credentials (no user stream) or trading symbols
    // (no market feed) nothing else holds the event loop: node would end the process with 13
    // ("unsettled top-level await") right after `ready`, releasing the store's lock. This handle
    // keeps it up until a stop is asked for.
    const alive = setInterval(() => undefined, 2 ** 30);
    try {
      await stopped;
    } finally {
      clearInterval(alive);
    }
    say("atp start: stopping");
    return 0;
  } catch (e) {
    if (e instanceof StoreLockedError) {
      process.stderr.write(`atp start: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    await runtime.stop();
    unsubscribe();
  }
}
