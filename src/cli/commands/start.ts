/**
 * `atp start` (what `npm start` runs): the platform until SIGINT / SIGTERM — the store, leadership,
 * market data, strategy signals for the watchlist's trading symbols, orders, protection,
 * reconciliation and the HTTP API with the dashboard. docs/operations-start.md.
 *
 * Invariants:
 * - Nothing configured (no API credentials and no EXCHANGE_CUSTOM_BASE_URL) → the demo: the
 *   built-in emulator in process on a free loopback port with its demo key, a demo watchlist seeded
 *   into its own SQLite store under ./data/demo, the market sped up, mode DEMO (it trades the
 *   emulator only). `--demo-fault CAUSE` starts it with one of the doctor's causes.
 * - Otherwise the configured exchange: live orders only with `LIVE_TRADING=true` *and* the
 *   store's live switch on; otherwise dry run (src/trading/context.ts).
 * - A second `atp start` on the same SQLite file exits 2 naming the holder; on PostgreSQL it runs as
 *   a follower and takes over when the leader goes (it tries every `--leader-retry-ms`, default
 *   5000: store/leader.ts). docs/trading/failover.md.
 * - The process stays up until stopped, whatever else holds (or does not hold) its event loop; no
 *   exchange answer ends it (the platform degrades and recovers: src/app/platform/).
 * - The first SIGINT / SIGTERM — or, under `npm start`, npm going away — stops in order (no new
 *   signals, in-flight work finished, sockets closed, store flushed) and exits 0 within 10 s; a
 *   second signal exits at once.
 * - Prints `atp start: ready (…, leader|follower)` on stdout once the engine runs and the API
 *   answers (tests and scripts wait for it), and `atp start: leading` / `atp start: not leading` at
 *   each change of leadership ("not leading" after trading stopped).
 */
import { join } from "node:path";
import { serveApiOn } from "../../app/platform/api.js";
import { demoFaultCause, demoFaultHelp } from "../../app/platform/demo-fault.js";
import { DEMO_RESTART, restartDemo } from "../../app/platform/demo-restart.js";
import {
  DEMO_ACCOUNT,
  DEMO_CREDENTIALS,
  DEMO_SPEED,
  demoEmulatorConfig,
  seedDemoStore,
} from "../../app/platform/demo-setup.js";
import { watchForOrphaning } from "../../app/platform/orphan-watch.js";
import { startPlatform } from "../../app/platform/platform.js";
import { createRuntime, type Runtime } from "../../app/runtime.js";
import { type ConfigReport, invalidConfigText, loadConfig } from "../../config/load.js";
import { StoreLockedError } from "../../store/errors.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";
import { onStop } from "../lifecycle.js";

/** Longest orderly stop before the process gives up waiting and exits 1. */
const STOP_DEADLINE_MS = 9_500;
/** After the orderly stop: how long a leftover timer may hold the process before it exits anyway. */
const LINGER_MS = 500;

const options = {
  "instance-id": option.string("names this process in the leadership record and logs", { value: "NAME" }),
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
  "attempt-stale-ms": option.int(
    "an order attempt in doubt counts as never placed this long after it was sent (only lower it for an\nexchange whose request window is shorter than Crypto.com's 60 s, such as a test emulator)",
    { min: 1000, max: 600_000, unit: "ms" },
    { default: 65_000 },
  ),
  "no-signals": option.flag("do not evaluate strategies (orders come from `atp order` and the inbox only)"),
  "demo-fault": option.string(
    `demo only: start with one of the doctor's causes injected into the emulator: ${demoFaultHelp()}`,
    { value: "CAUSE" },
  ),
  speed: option.int(
    "demo only: how many times faster than real time the market runs",
    { min: 1, max: 100_000 },
    { default: DEMO_SPEED },
  ),
};

export const command = defineCommand({
  name: "start",
  summary: "Run the platform: signals, orders, protection, reconciliation and the dashboard, until Ctrl-C",
  description:
    "Without credentials or EXCHANGE_CUSTOM_BASE_URL: the demo (built-in emulator, demo watchlist, store in ./data/demo,\nmode DEMO). Otherwise opens the store (SQLite in ATP_DATA_DIR, or DATABASE_URL), becomes the leader (or waits as a\nfollower on PostgreSQL), resumes open work, then trades the watchlist's trading symbols. Dry run unless\nLIVE_TRADING=true and the store's live switch is on. The API and dashboard listen on HOST:PORT (127.0.0.1:8000).",
  notes:
    "Ctrl-C / SIGTERM stops in order and exits 0; a second one exits at once.\nExit codes: 0 stopped, 1 the stop did not finish within 10 s, 2 configuration error or the store is in use by another atp.",
  options,
  run,
});

/** The demo runs when nothing points atp at an exchange account. */
function isDemo(report: ConfigReport): boolean {
  const ex = report.config.exchange;
  const baseSet = report.variables.some((v) => v.name === "EXCHANGE_CUSTOM_BASE_URL" && v.set);
  return !(ex.apiKey && ex.apiSecret) && !baseSet;
}

function demoRuntime(report: ConfigReport, speed: number): { runtime: Runtime; dataDir: string } {
  // the demo's own SQLite file, never a configured PostgreSQL: its orders are DEMO orders
  const { databaseUrl: _db, ...config } = report.config;
  const dataDir = join(".", "data", "demo");
  const runtime = createRuntime(
    { ...report, config },
    {
      name: "demo",
      dataDir,
      stopTimeoutMs: 3_000,
      venue: {
        kind: "emulator",
        config: demoEmulatorConfig(speed, Date.now()),
        port: 0,
        credentials: { ...DEMO_CREDENTIALS },
      },
    },
  );
  return { runtime, dataDir };
}

async function run(values: OptionValues<typeof options>): Promise<number> {
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp start: ${invalid}`);
    return 2;
  }
  const demo = isDemo(report);
  const faultName = values["demo-fault"];
  const fault = faultName === undefined ? undefined : demoFaultCause(faultName);
  if (faultName !== undefined && (!demo || fault === undefined)) {
    process.stderr.write(
      demo
        ? `atp start: --demo-fault ${JSON.stringify(faultName)} is not one of: ${demoFaultHelp()}\n`
        : "atp start: --demo-fault is for the demo only (credentials or EXCHANGE_CUSTOM_BASE_URL are configured)\n",
    );
    return 2;
  }
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const { runtime, dataDir } = demo
    ? demoRuntime(report, values.speed)
    : {
        runtime: createRuntime(report, {
          name: "engine",
          stopTimeoutMs: 3_000,
          // an attempt counts as stale only after the exchange's request window: keep the client's
          // own "resend safe after" inside the same bound (5 s margin)
          ...(values["attempt-stale-ms"] < 65_000
            ? { exchangeRequestWindowMs: Math.max(1_000, values["attempt-stale-ms"] - 5_000) }
            : {}),
        }),
        dataDir: report.config.dataDir,
      };
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const unsubscribe = onStop(() => stop());
  const unwatch = watchForOrphaning(() => {
    process.stderr.write("atp start: the npm process that started atp is gone; stopping\n");
    stop();
  });
  try {
    if (demo) {
      await runtime.start();
      say(
        `atp start: demo — the built-in exchange emulator at ${runtime.emulator.baseUrl} (market ${values.speed}× real time; no account, nothing real is traded)`,
      );
    }
    const store = await runtime.store();
    if (demo) {
      if (await seedDemoStore(store))
        say(`atp start: demo store ${store.location} seeded (watchlist, live switch on: mode DEMO)`);
      else {
        // the store outlived the last demo's emulator: its open work is brought in line with this one
        const r = await restartDemo(store, runtime.emulator.admin);
        if (r.lots + r.orders > 0)
          say(
            `atp start: demo store ${store.location} kept: ${r.lots} open position(s) carried over to the new emulator (protected again), ${r.orders} order(s) of the earlier one closed (${DEMO_RESTART})`,
          );
      }
    }
    const platform = await startPlatform({
      runtime,
      store,
      dataDir,
      version: "0.1.0",
      signals: !values["no-signals"],
      engine: {
        tickMs: values["tick-ms"],
        reconcileMs: values["reconcile-s"] * 1000,
        leadership: { retryMs: values["leader-retry-ms"] },
        trader: { attemptStaleMs: values["attempt-stale-ms"] },
        ...(values["instance-id"] ? { instanceId: values["instance-id"] } : {}),
        onLeadership: (leading) => say(`atp start: ${leading ? "leading" : "not leading"}`),
      },
      demo: demo
        ? {
            key: {
              api_key: DEMO_CREDENTIALS.apiKey,
              secret: DEMO_CREDENTIALS.apiSecret,
              account: DEMO_ACCOUNT,
            },
            speed: values.speed,
            ...(fault ? { fault } : {}),
          }
        : undefined,
    });
    const api = await serveApiOn(runtime, platform, {
      dataDir,
      onPortBusy: (p) => say(`atp start: port ${p} is busy; the API uses a free port instead`),
    });
    const live = runtime.accountCredentials
      ? `live venue ${runtime.liveMode}`
      : "no credentials: dry run only";
    say(
      `atp start: ready (store ${store.dialect} ${store.location}, ${live}, ${platform.engine.isLeader ? "leader" : "follower"})`,
    );
    say(`  dashboard: ${api.url}/login?code=${api.loginCode}  (one-time login link, valid 10 min)`);
    if (api.tokenCreated) say(`  API token (shown once; kept in ${api.tokenFile}): ${api.token}`);
    if (fault) say(`  demo fault: ${fault} (switch it with POST /api/demo/fault)`);
    say("  stop: Ctrl-C (or SIGTERM)");
    // The engine's timers are unref'd, and without credentials (no user stream) or trading symbols
    // nothing else need hold the event loop: this handle keeps the process up until a stop.
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
    const deadline = setTimeout(() => {
      process.stderr.write(
        `atp start: the stop did not finish within ${STOP_DEADLINE_MS / 1000} s; exiting\n`,
      );
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    await runtime.stop();
    clearTimeout(deadline);
    unwatch();
    unsubscribe();
    // Everything is stopped and closed; a timer left behind (a stop that timed out, a reconnect
    // scheduled while a socket closed) must not keep the process up: exit once the code is set.
    const linger = setTimeout(() => process.exit(process.exitCode ?? 0), LINGER_MS);
    linger.unref();
  }
}
