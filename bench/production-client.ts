/**
 * The exchange client as `atp start` builds it for a configured venue whose
 * EXCHANGE_CUSTOM_BASE_URL is the emulator: the runtime's client (src/app/runtime.ts
 * `clientOptions()`: the rate limiter on with its defaults), with a call observer as the platform
 * registers one (told after the answer), and the AuthBreaker over it as src/app/engine.ts wraps the
 * live venue's client.
 */
import { Writable } from "node:stream";
import { createRuntime } from "../src/app/runtime.js";
import { loadConfig } from "../src/config/load.js";
import type { Logger } from "../src/log/logger.js";
import type { Store } from "../src/store/types.js";
import { AuthBreaker } from "../src/trading/breaker/index.js";
import { systemTime, type TimeSource } from "../src/util/clock.js";

const sink = () => new Writable({ write: (_c, _e, done) => done() });

/** A runtime for the venue at `url` with `key`/`secret` (config read from `env` only, `cwd` for files). */
export function productionRuntime(url: string, cwd: string, key: string, secret: string) {
  const env = {
    EXCHANGE_CUSTOM_BASE_URL: url,
    EXCHANGE_CUSTOM_API_KEY: key,
    EXCHANGE_CUSTOM_API_SECRET: secret,
  };
  const report = loadConfig({ cwd, env });
  if (!report.valid) throw new Error(`bench config: ${report.errors.map((e) => e.problem).join("; ")}`);
  const runtime = createRuntime(report, { name: "bench", logDestination: sink() });
  let calls = 0;
  runtime.onExchangeCall(() => {
    calls += 1;
  });
  return { runtime, calls: () => calls };
}

/** The AuthBreaker over `inner`, as the engine builds it for the live venue (started). */
export async function productionBreaker(
  inner: ConstructorParameters<typeof AuthBreaker>[0]["inner"],
  store: Store,
  logger: Logger,
  time: TimeSource = systemTime,
): Promise<AuthBreaker> {
  const breaker = new AuthBreaker({
    inner,
    store,
    time,
    logger,
    diagnose: () => Promise.reject(new Error("no auth failure expected in the bench")),
    mode: "LIVE",
  });
  await breaker.start();
  return breaker;
}
