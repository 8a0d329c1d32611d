/**
 * The exchange emulator in a child process of its own (loopback), as the trading benches use it
 * (bench/tick-to-order.bench.ts, bench/api-webhook.ts): no market ticks, no rate limits, one
 * account with 10,000,000 USD and 1 BTC. `startEmulatorProcess()` spawns this file; the child,
 * seeing ROLE_ENV, starts the emulator and prints `READY <baseUrl>`.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROLE_ENV = "ATP_BENCH_EMULATOR_CHILD";

if (process.env[ROLE_ENV]) {
  const { startEmulator } = await import("../src/emulator/index.js");
  const em = await startEmulator({
    market_tick_ms: 0,
    rate_limits: false,
    accounts: { main: { balances: { USD: "10000000", BTC: "1" } } },
  });
  process.on("SIGTERM", () => void em.close().then(() => process.exit(0)));
  process.stdout.write(`READY ${em.baseUrl}\n`);
}

/** Starts the child; resolves with its base URL once it is listening, and `stop()` ends it. */
export function startEmulatorProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, [ROLE_ENV]: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.once("exit", (code) => reject(new Error(`emulator exited early (${code})`)));
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (!m) return;
      child.removeAllListeners("exit");
      const stop = () => new Promise<void>((done) => child.once("exit", () => done()).kill("SIGTERM"));
      resolve({ url: m[1]!, stop });
    });
  });
}
