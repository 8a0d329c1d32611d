/**
 * The HTTP API (issue 11, "Performance"): `GET /api/dashboard/state` under a steady 200 requests/s
 * (autocannon, `overallRate`) with 100 watchlist symbols, 200 open orders and 10,000 stored orders,
 * against `GET /api/health` (a trivial JSON route of the same server, same run, same load) as the
 * baseline; then the same while an order changes every 100 ms (every change rebuilds the snapshot);
 * then the webhook path (bench/api-webhook.ts, in a process of its own: bench/api-webhook-process.ts) on disk with
 * the quiet of sparse alerts between signals (the target's figure), on disk back to back, and on tmpfs. The server is the real one (createApiServer) on a
 * real SQLite store on disk seeded through its repositories; the exchange and market sources are
 * the test fakes (test/helpers/api-deps.ts) answering from memory, on the real clock and timers (the
 * snapshot's 1 s max age and its background refresh run as in production). autocannon runs in its own
 * process (bench/autocannon-child.ts: one latency sample per response, and autocannon's own corrected
 * figures), and once more in a worker thread of this process for comparison; it shares the 2 cores
 * with the server either way.
 * Cost: the server's own time per request (from the request's arrival to its response finished,
 * node:http's diagnostics channels, the same for both routes) under the load, and (no sockets) the
 * serial `inject` time per request, each over the health route's.
 */
import { spawn } from "node:child_process";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { existsSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { cpus, loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import autocannon from "autocannon";
import { DashboardReads } from "../src/api/dashboard-reads.js";
import { buildDashboard, dashboardState, serialiseDashboard } from "../src/api/dashboard-state.js";
import { DataFreshness } from "../src/api/data-freshness.js";
import { createApiServer } from "../src/api/server.js";
import type { Store } from "../src/store/types.js";
import { systemTime } from "../src/util/clock.js";
import { dec } from "../src/util/decimal.js";
import { apiTestDeps, bearer } from "../test/helpers/api-deps.js";
import { runWebhookProcess } from "./api-webhook-process.js";
import { type BenchSection, fmt, pct } from "./lib.js";

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

/** What the dashboard rows mean and why (the bench's own text, after the figures). */
const DASHBOARD_PROSE = [
  "How the dashboard answers now: from a snapshot (src/api/dashboard-snapshot.ts) built by sections " +
    "(src/api/dashboard-reads.ts): each store section (open orders, recent orders, positions, watchlist, the two " +
    "switches, the last diagnosis) is read again only after a committed write of this process to its tables " +
    "(`store.writeVersion`) or when 5 s old (other processes' writes); the order lists — about 120 of the 144 KiB " +
    "— are kept serialised and spliced into the answer. The 1-s rebuild (prices, indicators, balances, status) " +
    "redoes only the in-memory parts. While the dashboard is read, a 25-ms timer rebuilds in the background as soon as " +
    "the version moved and 200 ms before the max age, so a request normally finds it current; one that does not " +
    "(a change in the last 25 ms) builds or joins the build. Before: one snapshot, rebuilt whole (every store read, " +
    "the whole 144 KiB serialised: 2.5–3.1 ms) by the first request after each change and each second, in the burst.",
  "",
  "autocannon's `overallRate` sends each connection's 20 requests of a second back to back and then waits for the " +
    "next second: the latencies are those of 10 concurrent clients in bursts. With a rate, autocannon corrects for " +
    "coordinated omission by default, with an expected interval of `Math.ceil(1 / rate)` (lib/run.js) — the rate is per " +
    "second and the latencies are in ms, so the interval is 1 ms: each response of L ms is recorded with L − 1 " +
    "synthetic samples (L−1, L−2, …, 1 ms; whole ms). Its p99 is then a latency-weighted percentile: 0.5 % of responses at " +
    "25 ms among 2 ms ones read as p99 = 21 ms (hdr-histogram-js, the same calls). The per-request columns count each " +
    "response once. autocannon's client also concatenates every response body into a string (a 144 KiB UTF-8 decode " +
    "per response, 28 MiB/s here) inside the measured time, so the client's CPU is part of its latency on 2 cores.",
  "",
  "Worker thread or own process (measured side by side on 2026-12-01, new server code, 3 interleaved rounds each, " +
    "1-min load ≈ 0.8): autocannon's corrected p99 for the dashboard was 13 · 22 · 11 ms from a worker thread of the " +
    "server's process and 10 · 9 · 10 ms from its own process; the per-request p99 the same either way (5–6 ms, " +
    "whole ms); with the worker the server's own p99 spread wider (0.4–1.7 ms against 0.4–0.6 ms) and the one " +
    "24-ms server stall fell in a worker run. A worker thread has its own isolate, heap and event loop, so it does " +
    "not block the server's loop, but it is one more thread of the same process on 2 cores, and its results are only " +
    "the corrected histogram. Its own process is the fairer client (as a browser or curl is) and the one that gives " +
    "per-request samples; the difference is small beside the run-to-run spread, and both rows are in every run.",
];

interface Latency {
  p50: number;
  p99: number;
  max: number;
}

interface Load {
  client: Client;
  /** autocannon's figures: with a rate, corrected for coordinated omission (its default). */
  corrected: Latency;
  /** One sample per request (the child's `response` events); undefined from the worker thread. */
  perRequest: Latency | undefined;
  rps: number;
  n: number;
  bad: number;
  /** The server's own time per request (arrival to response finished), ms. */
  server: { p50: number; p99: number; mean: number };
  /** The server's event-loop delay during the run (perf_hooks, 1 ms resolution), ms. */
  loop: { p99: number; max: number };
}

/** Where autocannon runs: its own process (bench/autocannon-child.ts), or a worker thread of this one. */
type Client = "child" | "worker";

/** node:http's view of each request: arrival → response finished, per URL path (this process's server). */
const arrived = new WeakMap<ServerResponse, { at: number; path: string }>();
const serverTimes = new Map<string, number[]>();
subscribe("http.server.request.start", (m) => {
  const { request, response } = m as { request: { url?: string }; response: ServerResponse };
  arrived.set(response, { at: performance.now(), path: (request.url ?? "").split("?")[0]! });
});
subscribe("http.server.response.finish", (m) => {
  const { response } = m as { response: ServerResponse };
  const a = arrived.get(response);
  if (!a) return;
  const list = serverTimes.get(a.path) ?? [];
  list.push(performance.now() - a.at);
  serverTimes.set(a.path, list);
});

interface ChildResult {
  corrected: Latency;
  perRequest: Latency;
  rps: number;
  n: number;
  bad: number;
}

/** autocannon in its own process (bench/autocannon-child.ts); its JSON line back. */
function inChild(opts: Record<string, unknown>): Promise<ChildResult> {
  const child = new URL("./autocannon-child.ts", import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, JSON.stringify(opts)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString("utf8");
    });
    p.on("error", reject);
    p.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`load client exited ${code}`)),
    );
  });
}

async function load(url: string, headers: Record<string, string>, client: Client): Promise<Load> {
  const path = new URL(url).pathname;
  const opts = { url, connections: 10, overallRate: RATE, duration: SECONDS, headers };
  serverTimes.set(path, []);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  let r: ChildResult | (Omit<ChildResult, "perRequest"> & { perRequest: undefined });
  if (client === "child") {
    // the child starts (tsx) before autocannon does: the loop is measured from its first request
    const first = new Promise<void>((res) => {
      const on = () => {
        loop.enable();
        unsubscribe("http.server.request.start", on);
        res();
      };
      subscribe("http.server.request.start", on);
    });
    const [done] = await Promise.all([inChild(opts), first]);
    r = done;
  } else {
    loop.enable();
    const w = await autocannon({ ...opts, workers: 1 });
    r = {
      corrected: { p50: w.latency.p50, p99: w.latency.p99, max: w.latency.max },
      perRequest: undefined,
      ...{ rps: w.requests.average, n: w.requests.total, bad: w.non2xx + w.errors + w.timeouts },
    };
  }
  loop.disable();
  const xs = serverTimes.get(path) ?? [];
  return {
    ...r,
    client,
    server: {
      p50: pct(xs, 50),
      p99: pct(xs, 99),
      mean: xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length),
    },
    loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}

/** Median of `n` runs of `fn` (after `warm`), ms. */
async function medianMs(n: number, warm: number, fn: () => Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < warm + n; i++) {
    const s0 = performance.now();
    await fn();
    if (i >= warm) xs.push(performance.now() - s0);
  }
  return pct(xs, 50);
}

export async function run(): Promise<BenchSection> {
  const loadStart = loadavg()[0]!;
  const t = await apiTestDeps();
  // the real clock and timers for the API: the snapshot's max age (1 s) and its background refresh
  // run as in production
  const server = await createApiServer({ ...t.deps, time: systemTime });
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
    const st = await dashboardState(t.deps, new DataFreshness(t.time.now()));
    if (st.partial || st.open_orders.length !== OPEN || st.watchlist.length !== SYMBOLS)
      throw new Error(
        `dashboard seed wrong: ${st.errors.join("; ")} ${st.open_orders.length}/${st.watchlist.length}`,
      );
    // what a build costs, serial: every section read; the sections current (the 1-s rebuild: the
    // in-memory parts only); after an order changed (the order lists and positions read again)
    const fr = new DataFreshness(t.time.now());
    const kept = new DashboardReads(t.store, t.time);
    const full = await medianMs(20, 10, async () =>
      serialiseDashboard(await buildDashboard(t.deps, fr, new DashboardReads(t.store, t.time), 0)),
    );
    const memoryOnly = await medianMs(20, 10, async () =>
      serialiseDashboard(await buildDashboard(t.deps, fr, kept, Number.POSITIVE_INFINITY)),
    );
    const open = (await t.store.orders.listingPage({ status: ["ACTIVE", "PENDING"], limit: 1 })).items[0]!;
    let flips = 0;
    const flip = () => t.store.orders.setStatus(open.id, flips++ % 2 ? "ACTIVE" : "PENDING");
    const orderBuilds: number[] = [];
    for (let i = 0; i < 30; i++) {
      await flip();
      const s0 = performance.now();
      serialiseDashboard(await buildDashboard(t.deps, fr, kept, Number.POSITIVE_INFINITY));
      if (i >= 10) orderBuilds.push(performance.now() - s0);
    }
    const afterOrder = pct(orderBuilds, 50);

    const base = await server.listen("127.0.0.1", 0);
    const auth = bearer();
    const snap = server.internals.dashboard!;
    // warm-up, then the baseline and the dashboard under the same load
    await autocannon({ url: `${base}/api/dashboard/state`, connections: 4, amount: 400, headers: auth });
    const health = await load(`${base}/api/health`, {}, "child");
    const c0 = { builds: snap.builds, bg: snap.backgroundBuilds, reads: snap.reads.reads };
    const dash = await load(`${base}/api/dashboard/state`, auth, "child");
    const c1 = { builds: snap.builds, bg: snap.backgroundBuilds, reads: snap.reads.reads };
    // the same while the store changes: an open order's status every 100 ms (each one a rebuild)
    flips = 0;
    let changing = true;
    const writer = (async () => {
      while (changing) {
        await flip();
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const busy = await load(`${base}/api/dashboard/state`, auth, "child");
    changing = false;
    await writer;
    const c2 = { builds: snap.builds, bg: snap.backgroundBuilds, reads: snap.reads.reads };
    const changes = flips;
    // the same two routes with autocannon in a worker thread of this process (as before)
    const healthW = await load(`${base}/api/health`, {}, "worker");
    const dashW = await load(`${base}/api/dashboard/state`, auth, "worker");
    const bytes = (await server.inject({ method: "GET", url: "/api/dashboard/state", headers: auth })).body
      .length;
    const inj = async (url: string, headers: Record<string, string>) => {
      const n = 400;
      for (let i = 0; i < 100; i++) await server.inject({ method: "GET", url, headers });
      const s0 = performance.now();
      for (let i = 0; i < n; i++) await server.inject({ method: "GET", url, headers });
      return (performance.now() - s0) / n;
    };
    // interleaved rounds, the median of each (the machine is shared)
    const hs: number[] = [];
    const ds: number[] = [];
    for (let r = 0; r < 5; r++) {
      hs.push(await inj("/api/health", {}));
      ds.push(await inj("/api/dashboard/state", auth));
    }
    const hInj = pct(hs, 50);
    const dInj = pct(ds, 50);
    const injRatio = dInj / hInj;
    const serverRatio = dash.server.mean / Math.max(health.server.mean, 0.001);
    const webhook = await runWebhookProcess("disk (os.tmpdir(), an fsync per commit)");
    const burst = await runWebhookProcess("disk (os.tmpdir(), an fsync per commit)", undefined, false);
    const shm = existsSync("/dev/shm") ? await runWebhookProcess("tmpfs (/dev/shm)", "/dev/shm") : undefined;
    const p99 = dash.perRequest?.p99 ?? Number.POSITIVE_INFINITY;
    const p99Met = p99 < TARGET_P99_MS;
    const correctedMet = dash.corrected.p99 < TARGET_P99_MS;
    // the cost is the server's: the serial inject figure is reported beside it (see the prose below)
    const costMet = serverRatio <= TARGET_RATIO;
    met = p99Met && costMet && webhook.met;
    const ms1 = (x: number | undefined) => (x === undefined ? "–" : fmt(x, 1));
    const row = (name: string, l: Load) =>
      `| ${name} | ${l.client === "child" ? "own process" : "worker thread"} | ${fmt(l.rps, 0)} | ${fmt(l.n)} | ${fmt(l.bad)} | ` +
      `${ms1(l.perRequest?.p50)} | ${ms1(l.perRequest?.p99)} | ${ms1(l.perRequest?.max)} | ` +
      `${fmt(l.corrected.p50, 1)} | ${fmt(l.corrected.p99, 1)} | ` +
      `${fmt(l.server.p50, 3)} | ${fmt(l.server.p99, 3)} | ${fmt(l.server.mean, 3)} | ${fmt(l.loop.p99, 1)} / ${fmt(l.loop.max, 1)} |`;
    const built = (a: typeof c0, b: typeof c0) =>
      `${fmt(b.builds - a.builds)} builds (${fmt(b.bg - a.bg)} in the background, ${fmt(b.builds - a.builds - (b.bg - a.bg))} by a request), ${fmt(b.reads - a.reads)} section reads`;
    sections = [
      `Dashboard: ${SYMBOLS} watchlist symbols, ${fmt(OPEN)} open orders among ${fmt(STORED)} stored (SQLite on disk), ` +
        `answer ${fmt(bytes / 1024, 0)} KiB; autocannon ${SECONDS} s per route at ${RATE} requests/s (10 connections, ` +
        "`overallRate`), in its own process (bench/autocannon-child.ts) unless marked. Client latency, ms: per request " +
        "(one sample per response: autocannon's `response` event in the child) and autocannon's own figures (its " +
        "default with a rate: corrected for coordinated omission, see below; 1 ms resolution). Server: its own time " +
        "per request (arrival to response finished, node:http diagnostics channels), ms; its event-loop delay " +
        "(p99 / max, perf_hooks), ms.",
      "",
      "| route | client | req/s | requests | non-2xx/errors | p50 | p99 | max | autocannon p50 | autocannon p99 | server p50 | server p99 | server mean | loop delay |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
      row("GET /api/health (baseline)", health),
      row("GET /api/dashboard/state", dash),
      row("GET /api/dashboard/state, an order changing every 100 ms", busy),
      row("GET /api/health (baseline)", healthW),
      row("GET /api/dashboard/state", dashW),
      "",
      `Snapshot during the runs: unchanged, ${built(c0, c1)} in ${SECONDS} s; with ${fmt(changes)} changes, ${built(c1, c2)}. ` +
        `One build, serial (median of 20): every section read ${fmt(full, 2)} ms; the sections current (the 1-s rebuild: ` +
        `prices, indicators, balances, status) ${fmt(memoryOnly, 2)} ms; after an order changed (order lists and ` +
        `positions read again) ${fmt(afterOrder, 2)} ms.`,
      "",
      `Cost per request, dashboard / health: server time (mean) ${fmt(dash.server.mean, 3)} / ${fmt(health.server.mean, 3)} ms = ` +
        `**${fmt(serverRatio, 1)}×**; serial \`inject\` (no socket, median of 5 interleaved rounds of 400) ` +
        `${fmt(dInj, 3)} / ${fmt(hInj, 3)} ms = **${fmt(injRatio, 1)}×**.`,
      "",
      `Targets: dashboard p99 < ${TARGET_P99_MS} ms at ${RATE} req/s, per request: ${p99Met ? "met" : "NOT met"} ` +
        `(${fmt(p99, 1)} ms; ${ms1(busy.perRequest?.p99)} ms while changing); autocannon's corrected p99: ` +
        `${correctedMet ? "also under" : "NOT under"} ${TARGET_P99_MS} ms (${fmt(dash.corrected.p99, 1)} ms; ` +
        `${fmt(dashW.corrected.p99, 1)} ms from the worker thread); cost ≤ ${TARGET_RATIO}× the trivial route ` +
        `(the server's time per request): ${costMet ? "met" : "NOT met"} (${fmt(serverRatio, 1)}×; serial inject ` +
        `${fmt(injRatio, 1)}×, ${injRatio <= TARGET_RATIO ? "also under" : "NOT under"} ${TARGET_RATIO}×: the test client's copy of the answer).`,
      "",
      ...DASHBOARD_PROSE,
      "",
      ...webhook.lines,
      "",
      ...burst.lines,
      ...(shm ? ["", ...shm.lines] : []),
      "",
      `Machine load (1-min load average, ${cpus().length} cores, shared with other agents' builds and tests): ` +
        `${fmt(loadStart, 2)} at the start, ${fmt(loadavg()[0]!, 2)} at the end.`,
    ];
  } finally {
    await server.close();
    await t.dispose();
  }
  return { title: "API: dashboard state and webhook", markdown: sections.join("\n"), targetsMet: met };
}
