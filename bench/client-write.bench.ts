/**
 * The exchange client's create-order path (part of issue 10's tick-to-order target): from the call
 * `client.placeOrder(req)` to the instant undici hands the create-order body to the socket (the
 * `undici:request:bodySent` diagnostics channel, `/private/create-order` only), one clock
 * (`process.hrtime.bigint()`). The emulator runs alone in a child process over loopback
 * (bench/emulator-process.ts). Every order is a MARKET BUY of 10 USD (a `Dec` notional, as sizing
 * hands it on) on BTC_USD, placed as the trader places it: the attempt row's `clientOidFor(id)`
 * first, then `placeOrder` (src/trading/pipeline/placement.ts). One at a time, each awaited to its
 * answer and then followed by `SPACING_MS` of quiet, so the rate limiter (create-order: 15 per
 * 100 ms, a token back 110 ms after its answer) never has to make one wait; the limiter's own count
 * of the calls it queued is reported, so a wait cannot hide in the figures.
 *
 * Clients, as `atp start` wires the live venue:
 * - raw: `new CryptoComClient` with the rate limiter off;
 * - production: the runtime's client (src/app/runtime.ts `clientOptions()` for a configured venue:
 *   the limiter on with its defaults, clock offset applied, a call observer), built by
 *   `createRuntime(loadConfig(...)).exchange` with the emulator as EXCHANGE_CUSTOM_BASE_URL;
 * - breaker: `AuthBreaker` (src/trading/breaker) over such a client, as src/app/engine.ts builds it.
 * They take turns in rounds (`ROUNDS`), so the machine's noise falls on all of them alike. The floor:
 * `sign()` + `JSON.stringify` of the same create-order envelope (envelope-floor.ts).
 *
 * A second table: orders after a quiet spell longer than the keep-alive, when the connection has
 * been closed for idleness, without and with `keepWarm` (a connection kept ready); the keep-alive is
 * shortened to `QUIET_KEEPALIVE_MS` there so the bench stays short.
 *
 * On loopback the write syscall also delivers the request to the emulator and wakes it; on a busy
 * 2-core machine the woken emulator may run on the writer's CPU before the syscall returns, so
 * `bodySent` can include some of the emulator's own work (never so with a remote exchange).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CryptoComClient } from "../src/exchange/cryptocom/client.js";
import type { ExchangeClient } from "../src/exchange/types.js";
import { createLogger } from "../src/log/logger.js";
import { openStore } from "../src/store/open.js";
import { dec } from "../src/util/decimal.js";
import { onCreateOrderWritten } from "./create-order-socket.js";
import { startEmulatorProcess } from "./emulator-process.js";
import { envelopeFloorMs } from "./envelope-floor.js";
import { type BenchSection, fmt, pct } from "./lib.js";
import { productionBreaker, productionRuntime } from "./production-client.js";

const ORDERS = Number(process.env.ATP_BENCH_CW_ORDERS ?? "600");
const ROUNDS = 6;
const WARMUP = 30;
const SPACING_MS = 10;
const QUIET_ORDERS = Number(process.env.ATP_BENCH_CW_QUIET ?? "12");
/** The keep-alive of the quiet-spell clients (undici's floor for it is 1 s), and the quiet after each answer. */
const QUIET_KEEPALIVE_MS = 1_000;
const QUIET_MS = 1_400;
const KEY = "demo-key";
const SECRET = "demo-secret";
/** The client's share of issue 10's 2 ms tick-to-order p99: a quarter of it, through the breaker. */
const TARGET_P99_MS = 0.5;

const hr = () => process.hrtime.bigint();
let written: bigint | undefined;
let createBody: string | undefined;

onCreateOrderWritten((body) => {
  written ??= hr();
  createBody ??= body;
});

interface Variant {
  name: string;
  client: ExchangeClient;
  /** The CryptoComClient underneath (its limiter's wait count). */
  base: CryptoComClient;
  samples: number[];
  failures: number;
}

let seq = 0;

/** One order as the trader places it; its span from the call to the body on the socket (ms). */
async function once(v: Variant, keep: boolean, quietMs: number): Promise<void> {
  seq += 1;
  const intentId = `cw-${process.pid}-${seq}:1`;
  v.client.clientOidFor(intentId); // the attempt row's client_oid, recorded just before
  const req = { intentId, symbol: "BTC_USD", side: "BUY", type: "MARKET", notional: dec("10") } as const;
  written = undefined;
  const t0 = hr();
  const out = await v.client.placeOrder(req);
  if (written === undefined) throw new Error(`${v.name}: no create-order was written`);
  if (out.status !== "accepted") v.failures += 1;
  if (keep) v.samples.push(Number(written - t0) / 1e6);
  await sleep(quietMs);
}

const row = (v: Variant, waits: number, floor: number) => {
  const s = v.samples;
  return `| ${v.name} | ${s.length} | ${fmt(pct(s, 50), 3)} | ${fmt(pct(s, 90), 3)} | ${fmt(pct(s, 99), 3)} | ${fmt(Math.max(...s), 3)} | ${fmt(pct(s, 50) / floor, 0)}× | ${waits} | ${v.failures} |`;
};

/** Orders after the keep-alive closed the connection: without and with keepWarm. */
async function quietSpells(url: string): Promise<Variant[]> {
  const opts = {
    baseUrl: url,
    apiKey: KEY,
    apiSecret: SECRET,
    timeouts: { keepAliveMs: QUIET_KEEPALIVE_MS },
  };
  const cold = new CryptoComClient(opts);
  const warm = new CryptoComClient({ ...opts, keepWarm: true });
  const variants: Variant[] = [
    {
      name: "client (limiter on), connection closed for idleness",
      client: cold,
      base: cold,
      samples: [],
      failures: 0,
    },
    {
      name: "the same with keepWarm (a connection kept ready)",
      client: warm,
      base: warm,
      samples: [],
      failures: 0,
    },
  ];
  try {
    for (const v of variants) {
      await v.base.getInstrument("BTC_USD");
      await once(v, false, QUIET_MS);
    }
    for (let i = 0; i < QUIET_ORDERS; i++) for (const v of variants) await once(v, true, QUIET_MS);
  } finally {
    await cold.close();
    await warm.close();
  }
  return variants;
}

export async function run(): Promise<BenchSection> {
  const loadStart = loadavg()[0]!;
  const emu = await startEmulatorProcess();
  const logger = createLogger({ level: "silent", pretty: false });
  const dir = mkdtempSync(join(tmpdir(), "atp-bench-cw-"));
  const store = await openStore({ dataDir: dir, logger, now: () => Date.now() });
  const raw = new CryptoComClient({
    baseUrl: emu.url,
    apiKey: KEY,
    apiSecret: SECRET,
    rateLimit: { enabled: false },
  });
  // one runtime per variant: each client has its own connection and rate-limit buckets
  const prod = productionRuntime(emu.url, dir, KEY, SECRET);
  const under = productionRuntime(emu.url, dir, KEY, SECRET);
  const breaker = await productionBreaker(under.runtime.exchange, store, logger);
  const variants: Variant[] = [
    { name: "raw client, rate limiter off", client: raw, base: raw, samples: [], failures: 0 },
    {
      name: "client as production configures it (limiter on)",
      client: prod.runtime.exchange,
      base: prod.runtime.exchange,
      samples: [],
      failures: 0,
    },
    {
      name: "AuthBreaker over the production client",
      client: breaker,
      base: under.runtime.exchange,
      samples: [],
      failures: 0,
    },
  ];
  try {
    for (const v of variants) {
      await v.base.getInstrument("BTC_USD"); // the instrument cache, loaded as the engine's first reads load it
      for (let i = 0; i < WARMUP; i++) await once(v, false, SPACING_MS);
    }
    const waitsBefore = variants.map((v) => v.base.rateLimiterWaits());
    const perRound = Math.ceil(ORDERS / ROUNDS);
    for (let r = 0; r < ROUNDS; r++) {
      process.stderr.write(`  client-write: round ${r + 1}/${ROUNDS} ...\n`);
      for (const v of variants) for (let i = 0; i < perRound; i++) await once(v, true, SPACING_MS);
    }
    const waits = variants.map((v, i) => v.base.rateLimiterWaits() - waitsBefore[i]!);
    process.stderr.write("  client-write: orders after a quiet spell ...\n");
    const quiet = await quietSpells(emu.url);
    if (!createBody) throw new Error("no create-order body captured");
    const floor = envelopeFloorMs(createBody, SECRET);
    const main = variants[2]!;
    const p99 = pct(main.samples, 99);
    const met = p99 < TARGET_P99_MS;
    const header = [
      "| client | orders | p50 | p90 | p99 | max | p50 / floor | limiter waits | not accepted |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ];
    const markdown = [
      `${perRound * ROUNDS} MARKET BUY orders (10 USD, BTC_USD) per client, one at a time after ${WARMUP} warm-up orders, in`,
      `${ROUNDS} rounds taking turns, each placed as the trader places it (its client_oid recorded first), awaited to`,
      `its answer and followed by ${SPACING_MS} ms of quiet (the rate limiter never needs to wait: its count of queued`,
      "calls is the `limiter waits` column). The emulator in its own process over loopback. Measured from the call",
      "`placeOrder(req)` to the create-order body handed to the socket (undici `bodySent`),",
      "`process.hrtime.bigint()`; ms.",
      "",
      ...header,
      ...variants.map((v, i) => row(v, waits[i]!, floor)),
      "",
      `Floor (same run): \`sign()\` + \`JSON.stringify\` of the same create-order envelope: **${fmt(floor * 1000, 1)} µs**.`,
      `Target: the client's path p99 < ${TARGET_P99_MS} ms through the breaker (a quarter of issue 10's 2 ms`,
      `tick-to-order p99): ${met ? "met" : "NOT met"} (${fmt(p99, 3)} ms).`,
      "",
      `After a quiet spell: ${QUIET_ORDERS} orders per client, each ${fmt(QUIET_MS / 1000, 1)} s after the last answer, the keep-alive at`,
      `${fmt(QUIET_KEEPALIVE_MS / 1000, 0)} s (default 4 s), so the connection was closed for idleness first. Everything is colder after`,
      "a quiet second than after 10 ms, on both sides; over loopback a new connection is a TCP handshake only (to the",
      "exchange it is TCP and TLS, round trips away), and the write wakes the emulator, which may take this CPU:",
      "",
      ...header,
      ...quiet.map((v) => row(v, v.base.rateLimiterWaits(), floor)),
      "",
      `Machine load (1-min load average, ${cpus().length} cores): ${fmt(loadStart, 2)} at the start, ${fmt(loadavg()[0]!, 2)} at the end.`,
      `Calls the production client's observer saw: ${prod.calls()}.`,
    ].join("\n");
    return { title: "Exchange client: create-order write path", markdown, targetsMet: met };
  } finally {
    await breaker.stop();
    await under.runtime.stop();
    await prod.runtime.stop();
    await raw.close();
    await store.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
