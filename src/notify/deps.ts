/**
 * What the Telegram notifier is built from (`createTelegram(deps)`, index.ts). The composition root
 * (src/app) provides every part from the same sources the HTTP API uses (src/api/deps.ts): the
 * shapes below are structural subsets of `EngineStatus`, `ExchangeStatusSource`, `MarketSource`
 * and `DiagnosticsSource`, so the API's objects can be passed as they are.
 *
 * Invariants:
 * - Nothing here exposes a secret but `telegram.botToken`, which is only handed to the Bot API
 *   client and never logged (log lines name the bot by its username).
 * - Every wait (retries, back-off, the daily summary) runs on `time`.
 */
import type { DoctorReport } from "../diagnostics/types.js";
import type { TradingMode } from "../domain/trading.js";
import type { Logger } from "../log/logger.js";
import type { Store } from "../store/types.js";
import type { TradingServices } from "../trading/services/index.js";
import type { TimeSource } from "../util/clock.js";

export interface TelegramConnection {
  /** TELEGRAM_BOT_TOKEN (undefined: the notifier does nothing and says so). */
  botToken: string | undefined;
  /** TELEGRAM_CHAT_ID, parsed (parseChatIds): empty = commands disabled, no alerts. */
  chatIds: readonly string[];
  /** TELEGRAM_API_ROOT (default https://api.telegram.org). */
  apiRoot: string;
}

export interface NotifierBalances {
  balances: { currency: string; total: string; available: string; usd_value: string | null }[];
  totalUsd: string | null;
  asOf: number | null;
  verified: boolean;
  reason: string | null;
}

export interface NotifierDeps {
  time: TimeSource;
  logger: Logger;
  store: Store;
  /** The services the API calls: every state change goes through them (actor `telegram:<chat id>`). */
  services: Pick<
    TradingServices,
    | "listOrders"
    | "listPositions"
    | "getSettings"
    | "setLiveTrading"
    | "setKillSwitch"
    | "upsertWatchlist"
    | "removeWatchlist"
    | "getNotificationSettings"
    | "updateNotificationSettings"
  >;
  telegram: TelegramConnection;
  /** True while this process leads: only the leader sends and enqueues the daily summary. */
  isLeader(): boolean;
  /** The app is the demo (`atp demo`): messages show DEMO when an event has no mode of its own. */
  demo: boolean;
  engine: {
    leader(): boolean;
    running(): boolean;
    mode(): Promise<TradingMode>;
    /** LIVE_TRADING=true (or the demo): `/live on` is allowed. */
    envLiveTrading: boolean;
  };
  exchange: {
    state(): { sync_status: string; reason: string | null; last_sync: number | null };
    balances(): NotifierBalances;
  };
  market: {
    view(symbol: string): { price: string | null; fresh: boolean; staleReason: string | null };
    instruments(): Promise<string[]>;
    watch(symbol: string): Promise<void>;
    unwatch(symbol: string): Promise<void>;
  };
  diagnostics: { run(): Promise<DoctorReport> };
}

/** TELEGRAM_CHAT_ID → the chat ids (comma-separated; blanks dropped; duplicates once). */
export function parseChatIds(value: string | undefined): string[] {
  if (!value) return [];
  return [
    ...new Set(
      value
        .split(",")
        .map((s) => s.trim())
        .filter((s) => /^-?\d+$/.test(s)),
    ),
  ];
}
