/**
 * NotifierDeps for tests: the real TradingServices over the fixture's store, and scripted engine,
 * exchange, market and doctor sources.
 */
import type { DoctorReport } from "../../src/diagnostics/types.js";
import type { TradingMode } from "../../src/domain/trading.js";
import type { NotifierDeps } from "../../src/notify/deps.js";
import { TradingServices } from "../../src/trading/services/index.js";
import { quietLogger } from "../store/helpers.js";
import type { NotifyFixture } from "./helpers.js";

export const DOCTOR_REPORT: DoctorReport = {
  verdict: "problem",
  causes: [
    {
      id: "ip_not_whitelisted",
      confidence: "confirmed",
      summary: "The exchange refuses requests from 203.0.113.7, which is not on the key's IP whitelist.",
      evidence: ["private/user-balance answered 40103 (IP_ILLEGAL)", "outbound IP 203.0.113.7"],
      fix: ["Open Crypto.com Exchange → Settings → API Keys", "Add 203.0.113.7 to the key's whitelist"],
    },
  ],
  checks: [],
  outbound_ip: "203.0.113.7",
  clock_offset_ms: 12,
  base_url: "https://api.crypto.com/exchange/v1",
  via_proxy: false,
};

export function testDeps(
  f: NotifyFixture,
  o: { chats?: string[]; envLiveTrading?: boolean; mode?: TradingMode; token?: string } = {},
): NotifierDeps {
  return {
    time: f.time,
    logger: quietLogger(),
    store: f.store,
    services: new TradingServices({ store: f.store }),
    telegram: { botToken: o.token ?? f.fake.token, chatIds: o.chats ?? ["42"], apiRoot: f.fake.apiRoot },
    isLeader: () => true,
    demo: false,
    engine: {
      leader: () => true,
      running: () => true,
      mode: async () => o.mode ?? "DRY_RUN",
      envLiveTrading: o.envLiveTrading ?? false,
    },
    exchange: {
      state: () => ({ sync_status: "ok", reason: null, last_sync: f.time.now() - 5_000 }),
      balances: () => ({
        balances: [
          { currency: "USD", total: "1000.50", available: "900.50", usd_value: "1000.50" },
          { currency: "BTC", total: "0.01", available: "0.01", usd_value: "500.00" },
        ],
        totalUsd: "1500.50",
        asOf: f.time.now() - 5_000,
        verified: true,
        reason: null,
      }),
    },
    market: {
      view: (symbol) => ({
        price: symbol === "BTC_USD" ? "50000.00" : null,
        fresh: symbol === "BTC_USD",
        staleReason: null,
      }),
      instruments: async () => ["BTC_USD", "ETH_USD", "CRO_USD"],
      watch: async () => {},
      unwatch: async () => {},
    },
    diagnostics: { run: async () => DOCTOR_REPORT },
  };
}
