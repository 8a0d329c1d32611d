/**
 * The HTTP API (issue 11, "Performance"): `GET /api/dashboard/state` under a steady 200 requests/s
 * (autocannon, `overallRate`) with 100 watchlist symbols, 200 open orders and 10,000 stored orders,
 * against `GET /api/health` (a trivial JSON route of the same server, same run, same load) as the
 * baseline; then the webhook path (bench/api-webhook.ts). The server is the real one
 * (createApiServer) on a real SQLite store on disk seeded through its repositories; the exchange and
 * market sources are the test fakes (test/helpers/api-deps.ts) answering from memory. autocannon
 * runs in this process, so its client work shares the 2 cores with the server: latencies include it.
 * Cost ratio: the dashboard's p50 latency over the health route's, and (no sockets) the serial
 * `inject` time per request over the health route's.
 */
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import autocannon from "autocannon";
import { dashboardState } from "../src/api/dashboard-state.js";
import type { Store } from "../src/store/types.js";
import { dec } from "../src/util/decimal.js";
import { apiTestServer, bearer } from "../test/helpers/api-deps.js";
import { runWebhookBench } from "./api-webhook.js";
import { type BenchSection, fmt } from "./lib.js";

const SYMBOLS = 100;
const OPEN = 200;
const STORED = 10_000;
const RATE = 200;
const SECONDS = Number(process.env.ATP_BENCH_API_SECONDS ?? "10");
const TARGET_P99_MS = 20;
const TARGET_RATIO = 3;

async function seed(store: Store, now: number, symbols: string[]): Promise<void> {
  for (const [i, symbol] of symbols.entries())
    await store.watchlist.upsert({
      symbol,
      tradeEnabled: i % 2 === 0,
      alertsEnabled: true,
      amountUsd: dec("10"),
    });
  for (let i = 0; i < STORED; i += 1000)
    await store.transaction(async (tx) => {
      for (let k = i; k < Math.min(STORED, i + 1000); k++) {
        const open = k >= STORED - OPEN;
        const symbol = symbols[k % symbols.length]!;
        const at = now - (STORED - k) * 60_000;
        const q = dec("0.00015");
        await tx.orders.applyExchange(
          {
            ...{ orderId: `o-${k}`, clientOid: `atp-bench-${k}`, symbol, side: "BUY" as const },
            ...{
              type: open ? ("LIMIT" as const) : ("MARKET" as const),
              timeInForce: undefined,
              execInst: [],
            },
            ...{ status: open ? ("ACTIVE" as const) : ("FILLED" as const), quantity: q },
            ...{ price: open ? dec("64000.5") : undefined, refPrice: undefined, orderValue: dec("10") },
            ...{ avgPrice: open ? undefined : dec("65000"), filledQuantity: open ? dec("0") : q },
            ...{ filledValue: open ? dec("0") : dec("10"), fee: dec("0.0012"), feeCurrency: "USD" },
            ...{
              reason: undefined,
              createTime: at,
              updateTime: at,
              listId: undefined,
              contingencyType: undefined,
            },
          },
          { role: "ENTRY", mode: "DEMO", external: false },
        );
      }
    });
}

interface Load {
  p50: number;
  p99: number;
  max: number;
  rps: number;
  n: number;
  bad: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Load> {
  const r = await autocannon({ url, connections: 10, overallRate: RATE, duration: SECONDS, headers });
  return {
    ...{ p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, rps: r.requests.average },
    ...{ n: r.requests.total, bad: r.non2xx + r.errors + r.timeouts },
  };
}

export async function run(): Promise<BenchSection> {
  const loadStart = loadavg()[0]!;
  const t = await apiTestServer();
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${String(i).padStart(3, "0")}_USD`);
  let sections: string[];
  let met: boolean;
  try {
    await seed(t.store, t.time.now(), symbols);
    for (const [i, s] of symbols.entries())
      t.market.views.set(s, {
        ...{ price: `${100 + i}.25`, decision: null, indicators: null, fresh: true, staleReason: null },
      });
    t.exchange.balances = {
      balances: [],
      totalUsd: "10000.00",
      asOf: t.time.now(),
      verified: true,
      reason: null,
    };
    const st = await dashboardState(t.deps);
    if (st.partial || st.open_orders.length !== OPEN || st.watchlist.length !== SYMBOLS)
      throw new Error(
        `dashboard seed wrong: ${st.errors.join("; ")} ${st.open_orders.length}/${st.watchlist.length}`,
      );
    const base = await t.server.listen("127.0.0.1", 0);
    const auth = bearer();
    // warm-up, then the baseline and the dashboard under the same load
    await autocannon({ url: `${base}/api/dashboard/state`, connections: 4, amount: 400, headers: auth });
    const health = await load(`${base}/api/health`, {});
    const dash = await load(`${base}/api/dashboard/state`, auth);
    const bytes = (await t.server.inject({ method: "GET", url: "/api/dashboard/state", headers: auth })).body
      .length;
    const inj = async (url: string, headers: Record<string, string>) => {
      const n = 200;
      for (let i = 0; i < 50; i++) await t.server.inject({ method: "GET", url, headers });
      const s = performance.now();
      for (let i = 0; i < n; i++) await t.server.inject({ method: "GET", url, headers });
      return (performance.now() - s) / n;
    };
    const hInj = await inj("/api/health", {});
    const dInj = await inj("/api/dashboard/state", auth);
    const ratio = dash.p50 / Math.max(health.p50, 0.001);
    const injRatio = dInj / hInj;
    const webhook = await runWebhookBench("disk (os.tmpdir(), an fsync per commit)");
    const shm = existsSync("/dev/shm") ? await runWebhookBench("tmpfs (/dev/shm)", "/dev/shm") : undefined;
    met = dash.p99 < TARGET_P99_MS && injRatio <= TARGET_RATIO && webhook.met;
    const row = (name: string, l: Load) =>
      `| ${name} | ${fmt(l.rps, 0)} | ${fmt(l.n)} | ${fmt(l.bad)} | ${fmt(l.p50, 1)} | ${fmt(l.p99, 1)} | ${fmt(l.max, 1)} |`;
    sections = [
      `Dashboard: ${SYMBOLS} watchlist symbols, ${fmt(OPEN)} open orders among ${fmt(STORED)} stored (SQLite on disk), ` +
        `answer ${fmt(bytes / 1024, 0)} KiB; autocannon in this process, ${SECONDS} s per route at ${RATE} requests/s ` +
        "(10 connections, `overallRate`); latency in ms (autocannon's resolution: 1 ms).",
      "",
      "| route | req/s | requests | non-2xx/errors | p50 | p99 | max |",
      "|---|---:|---:|---:|---:|---:|---:|",
      row("GET /api/health (baseline)", health),
      row("GET /api/dashboard/state", dash),
      "",
      `Serial \`inject\` (no socket), per request: health ${fmt(hInj, 3)} ms, dashboard ${fmt(dInj, 3)} ms: ` +
        `**${fmt(injRatio, 1)}×**. Under load, p50 dashboard / p50 health: ${fmt(ratio, 1)}×.`,
      "",
      `Targets: dashboard p99 < ${TARGET_P99_MS} ms at ${RATE} req/s: ${dash.p99 < TARGET_P99_MS ? "met" : "NOT met"} ` +
        `(${fmt(dash.p99, 1)} ms); cost ≤ ${TARGET_RATIO}× the trivial route (serial inject): ` +
        `${injRatio <= TARGET_RATIO ? "met" : "NOT met"} (${fmt(injRatio, 1)}×).`,
      "",
      ...webhook.lines,
      ...(shm ? ["", ...shm.lines] : []),
      "",
      `Machine load (1-min load average, ${cpus().length} cores): ${fmt(loadStart, 2)} at the start, ${fmt(loadavg()[0]!, 2)} at the end.`,
    ];
  } finally {
    await t.close();
  }
  return { title: "API: dashboard state and webhook", markdown: sections.join("\n"), targetsMet: met };
}
