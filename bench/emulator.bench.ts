/**
 * Emulator throughput: signed private REST requests (private/user-balance, fresh nonce and HMAC per
 * request) over keep-alive loopback, against the emulator running alone in a child process (one
 * core), versus a bare node:http server in a child process answering the same response bytes without
 * parsing, authenticating or computing anything. Same client, same run; the ratio is the figure.
 * Target (issue 3): at least 5,000 signed private requests per second, so the emulator never
 * bottlenecks other benchmarks. Rate limits are off in the emulator here (they would cap one key at
 * 30 requests per second on this method).
 */

import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import { sign } from "../src/exchange/cryptocom/signing.js";
import { type BenchSection, fmt } from "./lib.js";

const METHOD = "private/user-balance";
const CONCURRENCY = 32;
const CONNECTIONS = 8;
const WARMUP_MS = 700;
const MEASURE_MS = 3_000;
const TARGET_RPS = 5_000;

// ---------------------------------------------------------------- server process

const ROLE_ENV = "ATP_EMULATOR_BENCH_SERVER";

/** Runs in the child process: starts one server and prints `READY <url>`; exits on SIGTERM. */
async function serve(kind: string, body: string | undefined): Promise<void> {
  let close: () => Promise<void>;
  let url: string;
  if (kind === "emulator") {
    const { startEmulator } = await import("../src/emulator/index.js");
    const em = await startEmulator({ market_tick_ms: 0, rate_limits: false });
    url = `${em.baseUrl}/${METHOD}`;
    close = () => em.close();
  } else {
    const bytes = Buffer.from(body ?? "{}");
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.writeHead(200, {
          "Content-Type": "application/json",
          "Content-Length": bytes.length,
          Date: new Date().toUTCString(),
        });
        res.end(bytes);
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/exchange/v1/${METHOD}`;
    close = () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
  }
  process.on("SIGTERM", () => {
    void close().then(() => process.exit(0));
  });
  process.stdout.write(`READY ${url}\n`);
}

if (process.env[ROLE_ENV]) {
  await serve(process.env[ROLE_ENV], process.env.ATP_EMULATOR_BENCH_BODY);
}

// ---------------------------------------------------------------- load generator (this process)

/** Starts a server in its own process (its own core), running this file through tsx. */
function startServer(
  kind: "emulator" | "baseline",
  body?: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, [ROLE_ENV]: kind, ATP_EMULATOR_BENCH_BODY: body ?? "" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench server exited early (${code})`)));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (!m) return;
      child.removeAllListeners("exit");
      resolve({
        url: m[1]!,
        stop: () =>
          new Promise<void>((done) => {
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

function envelope(): string {
  const nonce = Date.now();
  const id = nonce;
  const sig = sign({ method: METHOD, id, apiKey: "demo-key", params: {}, nonce }, "demo-secret");
  return `{"id":${id},"method":"${METHOD}","api_key":"demo-key","params":{},"nonce":${nonce},"sig":"${sig}"}`;
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(name: string, url: string): Promise<Result> {
  const agent = new Agent({ connections: CONNECTIONS, pipelining: 1, keepAliveTimeout: 60_000 });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const t0 = performance.now();
      try {
        const res = await request(url, {
          method: "POST",
          body: envelope(),
          headers: { "content-type": "application/json" },
          dispatcher: agent,
        });
        const text = await res.body.text();
        if (res.statusCode !== 200 || !text.includes('"code":0')) errors++;
      } catch {
        errors++;
      }
      if (measuring) latencies.push(performance.now() - t0);
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  measuring = true;
  const start = performance.now();
  await new Promise((r) => setTimeout(r, MEASURE_MS));
  measuring = false;
  const seconds = (performance.now() - start) / 1000;
  const count = latencies.length;
  stop = true;
  await Promise.all(workers);
  await agent.close();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return { name, rps: count / seconds, p50: pct(50), p99: pct(99), errors };
}

export async function run(): Promise<BenchSection> {
  // The baseline answers with the bytes the emulator gives for the same request.
  const emulator = await startServer("emulator");
  const sampleRes = await request(emulator.url, {
    method: "POST",
    body: envelope(),
    headers: { "content-type": "application/json" },
  });
  const sample = await sampleRes.body.text();
  const emu = await load("emulator (parse, auth, HMAC, balances)", emulator.url);
  await emulator.stop();
  const baseline = await startServer("baseline", sample);
  const base = await load("bare node:http, same response bytes", baseline.url);
  await baseline.stop();

  const met = emu.rps >= TARGET_RPS && emu.errors === 0;
  const rows = [base, emu].map(
    (r) => `| ${r.name} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.errors} |`,
  );
  const markdown = [
    `Signed \`${METHOD}\` over keep-alive loopback: ${CONCURRENCY} requests in flight on ${CONNECTIONS} connections,`,
    "each with a fresh nonce and HMAC; the server runs alone in its own process (one core), the client in the bench process.",
    "",
    "| server | req/s | p50 ms | p99 ms | errors |",
    "|---|---:|---:|---:|---:|",
    ...rows,
    "",
    `Emulator / baseline throughput: **${fmt(emu.rps / base.rps, 2)}×** (p99 ${fmt(emu.p99 / Math.max(base.p99, 1e-9), 2)}× the baseline's).`,
    `Target: ≥ ${fmt(TARGET_RPS)} signed private requests/s — ${met ? "met" : "NOT met"} (${fmt(emu.rps)} req/s).`,
  ].join("\n");
  return { title: "Exchange emulator", markdown, targetsMet: met };
}
