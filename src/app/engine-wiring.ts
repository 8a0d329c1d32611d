/**
 * Composition root: what the engine is built from, taken from the runtime. The live venue exists
 * when the runtime's venue has credentials: the exchange client, the user stream (with the client
 * for its gap-fill) and the doctor for the auth breaker — or, in proxy mode without a local key,
 * the client through the signing proxy with order updates by polling (polling-updates.ts). Live orders are allowed by the
 * environment only with `LIVE_TRADING=true` — or on an emulator this process runs (the demo, DEMO
 * mode); the store's live switch must still be on (src/trading/context.ts resolveMode).
 */
import { UserStream } from "../exchange/cryptocom/ws/user-stream.js";
import type { Store } from "../store/types.js";
import { authDiagnosis } from "./auth-diagnosis.js";
import type { EngineDeps } from "./engine.js";
import { pollingOnlyUpdates } from "./polling-updates.js";
import type { Runtime } from "./runtime.js";

/** What a command chooses about the engine; everything else comes from the runtime. */
export type EngineWiring = Pick<
  EngineDeps,
  | "signals"
  | "tickers"
  | "instanceId"
  | "tickMs"
  | "reconcileMs"
  | "trader"
  | "dryBalances"
  | "onLeadership"
  | "leadership"
  | "liveRefusal"
>;

export function engineDeps(runtime: Runtime, store: Store, wiring: EngineWiring): EngineDeps {
  const client = runtime.exchange;
  const logger = runtime.logger;
  const creds = runtime.accountCredentials;
  const diagnose = authDiagnosis(runtime.doctorReport, logger);
  const live = creds
    ? {
        updates: new UserStream({
          url: runtime.wsUserUrl,
          apiKey: creds.apiKey,
          apiSecret: creds.apiSecret,
          rest: client,
          logger,
          now: () => runtime.time.now(),
          ...(runtime.config.exchange.localAddress
            ? { localAddress: runtime.config.exchange.localAddress }
            : {}),
        }),
        mode: runtime.liveMode,
        diagnose,
      }
    : client.usesProxy
      ? // the signing proxy holds the key: private calls go through it, order updates by polling
        { updates: pollingOnlyUpdates(), mode: runtime.liveMode, diagnose }
      : undefined;
  return {
    store,
    time: runtime.time,
    logger,
    client,
    live,
    envLiveTrading: runtime.liveMode === "DEMO" || runtime.config.liveTrading,
    ...wiring,
  };
}
