/**
 * The API bench's load generator in a process of its own (bench/api.bench.ts spawns it): autocannon
 * in this process's main thread (no worker), so nothing of the client runs in the server's process.
 * Reads its options as JSON (argv[2]: `{url, headers, connections, overallRate, duration}`), prints
 * one JSON line: autocannon's own latency figures (with its coordinated-omission correction, the
 * default with a rate) and the per-request ones (every response's time, recorded from autocannon's
 * `response` event: one sample per request), ms.
 */
import autocannon from "autocannon";
import { pct } from "./lib.js";

interface ChildOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  overallRate: number;
  duration: number;
}

const o = JSON.parse(process.argv[2] ?? "{}") as ChildOptions;
const times: number[] = [];
const instance = autocannon({ ...o }, () => undefined);
instance.on("response", (_client, statusCode, _bytes, ms) => {
  if (statusCode >= 200 && statusCode < 300) times.push(ms);
});
const r = await new Promise<autocannon.Result>((resolve, reject) => {
  instance.on("done", resolve);
  instance.on("error", reject);
});
process.stdout.write(
  `${JSON.stringify({
    corrected: {
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
      samples: (r.latency as { totalCount?: number }).totalCount ?? 0,
    },
    perRequest: {
      p50: pct(times, 50),
      p99: pct(times, 99),
      max: Math.max(0, ...times),
      samples: times.length,
    },
    rps: r.requests.average,
    n: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
  })}\n`,
);
