/**
 * The exchange emulator: a faithful, offline Crypto.com Exchange v1 (REST, WebSocket, IP echo and
 * an admin API) on one HTTP server. `startEmulator()` with no config gives a working demo exchange
 * (key demo-key / secret demo-secret, whitelisted for 127.0.0.1). See docs/emulator.md.
 * `close()` closes at once: held requests (latency faults) are released, every connection destroyed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../util/clock.js";
import { EmulatorAdmin } from "./admin.js";
import { type EmulatorConfig, type EmulatorConfigInput, parseEmulatorConfig } from "./config.js";
import { EmulatedExchange } from "./exchange.js";
import { adminRouter } from "./http/admin-routes.js";
import { RestServer } from "./http/server.js";
import { WsHub } from "./ws/hub.js";

export type { Clock } from "../util/clock.js";
export { AdminError, type AdminOrder, type BalanceView, EmulatorAdmin } from "./admin.js";
export { ManualClock } from "./clock.js";
export {
  type EmulatorConfig,
  EmulatorConfigError,
  type EmulatorConfigInput,
  type FaultInput,
  type KeyInput,
  loadEmulatorConfigFile,
  parseEmulatorConfig,
} from "./config.js";
export { EmulatedExchange } from "./exchange.js";

export interface EmulatorHandle {
  /** e.g. http://127.0.0.1:PORT/exchange/v1 */
  baseUrl: string;
  /** ws://127.0.0.1:PORT/exchange/v1/user */
  wsUserUrl: string;
  /** ws://127.0.0.1:PORT/exchange/v1/market */
  wsMarketUrl: string;
  /** http://127.0.0.1:PORT/ip */
  ipEchoUrl: string;
  /** http://127.0.0.1:PORT/emulator/admin */
  adminUrl: string;
  /** In-process equivalent of the admin API. */
  admin: EmulatorAdmin;
  /** The validated configuration in effect. */
  config: EmulatorConfig;
  /** The exchange behind the transports (matching core, market, clock), for tests and tools. */
  exchange: EmulatedExchange;
  close(): Promise<void>;
}

export interface StartOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /**
   * Where emulator time comes from (default: the wall clock). A `ManualClock` stands still until
   * the test moves it: market time, `Date`, nonce window, heartbeat ids, order timestamps and
   * rate-limit windows then depend on nothing but the test.
   */
  clock?: Clock;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts an emulator; resolves once it listens. Throws EmulatorConfigError on a bad config. */
export async function startEmulator(
  config?: EmulatorConfigInput | EmulatorConfig,
  opts: StartOptions = {},
): Promise<EmulatorHandle> {
  const cfg = parseEmulatorConfig(config ?? {});
  const ex = new EmulatedExchange(cfg, { clock: opts.clock });
  const hooks: { dropWebSockets?: () => number } = {};
  const admin = new EmulatorAdmin(ex, hooks);
  const rest = new RestServer(ex, adminRouter(ex, admin));
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, rest.handle);
  server.headersTimeout = 60_000;
  const hub = new WsHub(ex, server);
  hooks.dropWebSockets = () => hub.dropAll();
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  ex.start();
  const port = (server.address() as AddressInfo).port;
  const h = urlHost(host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host);
  let closing: Promise<void> | undefined;
  return {
    baseUrl: `http://${h}:${port}/exchange/v1`,
    wsUserUrl: `ws://${h}:${port}/exchange/v1/user`,
    wsMarketUrl: `ws://${h}:${port}/exchange/v1/market`,
    ipEchoUrl: `http://${h}:${port}/ip`,
    adminUrl: `http://${h}:${port}/emulator/admin`,
    admin,
    config: cfg,
    exchange: ex,
    close() {
      closing ??= (async () => {
        ex.stop();
        await hub.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}
