/**
 * The fake API's mutable state: what the routes read and change, and what a test inspects or
 * changes (sync status, a new order) before telling the page through the event stream. Answers are
 * built in the contract's shapes on every read (never cached), so a change shows on the next read.
 */
import type {
  ApiKeyHygiene,
  ApiOrder,
  ApiWatchlistItem,
  DashboardFreshness,
  DashboardState,
  DiagnosticsState,
  SyncStatus,
  WebhookInfo,
} from "../../src/api/contract/types.js";
import { fixtureDiagnostics } from "./fixture-diagnostics.js";
import {
  FIXTURE_NOTIFICATIONS,
  FIXTURE_SETTINGS,
  FIXTURE_SYMBOLS,
  FIXTURE_T0,
  FIXTURE_TOTAL_USD,
  fixtureOrders,
  fixturePosition,
  fixtureWatchItem,
} from "./fixtures.js";

const WORKING = new Set(["NEW", "PENDING", "ACTIVE"]);

export class FakeWorld {
  watchlist = new Map<string, ApiWatchlistItem>(FIXTURE_SYMBOLS.map((s) => [s, fixtureWatchItem(s)]));
  orders: ApiOrder[] = fixtureOrders();
  position = fixturePosition();
  killSwitch = false;
  /** GETs of these paths answer 503 (a store that does not answer) until they are taken out. */
  readonly failingReads = new Set<string>();
  liveTrading = true;
  settings = structuredClone(FIXTURE_SETTINGS);
  notifications = structuredClone(FIXTURE_NOTIFICATIONS);
  webhooks = new Map<string, WebhookInfo & { secret: string }>();
  diagnostics: DiagnosticsState = fixtureDiagnostics();
  diagnosisRuns = 0;
  syncStatus: SyncStatus = "ok";
  /** The start-up key hygiene reading the state shows (a Read + Trade key by default). */
  keyHygiene: ApiKeyHygiene = {
    key_can_withdraw: false,
    via: "direct",
    detail: "private/get-deposit-address refused (40101)",
    trading_refused: false,
  };
  authCause: string | null = null;
  /** The first seconds after a start: no market data yet, the stream not connected (the API's "waiting"). */
  startingUp = false;
  /** Every mutation received, in order (method, url, body), for the tests' assertions. */
  readonly received: { method: string; url: string; body: unknown }[] = [];
  /** The instruments the fake venue lists (POST /api/watchlist refuses others). */
  readonly instruments = [...FIXTURE_SYMBOLS, "XRP_USD", "ADA_USD", "LTC_USD"];

  /** The account goes into the state of an exchange rejecting our key (and the doctor says why). */
  failAuth(cause: string, at: number): void {
    this.syncStatus = "auth_failed";
    this.authCause = cause;
    this.storeDiagnosis("auth_failure", cause, at);
  }

  storeDiagnosis(trigger: string, cause: string | null, at: number): void {
    this.diagnosisRuns += 1;
    const id = `diag-${this.diagnosisRuns + 1}`;
    this.diagnostics = {
      ...this.diagnostics,
      last: {
        id,
        at,
        trigger,
        verdict: cause ? "problem" : "ok",
        top_cause: cause,
        report: {
          ...((this.diagnostics.last?.report as object) ?? {}),
          verdict: cause ? "problem" : "ok",
          causes: cause
            ? [
                {
                  id: cause,
                  confidence: "confirmed",
                  summary: `The exchange refuses the API key (${cause}).`,
                  evidence: ["private/user-balance answered 40101 UNAUTHORIZED"],
                  fix: ["Create a new key on the exchange", "Put it in .env as EXCHANGE_CUSTOM_API_KEY"],
                },
              ]
            : [],
        },
      },
    };
  }

  /** A start: every coin without data yet, the market stream not up, nothing failed. */
  startUp(): void {
    this.startingUp = true;
    for (const [s, w] of this.watchlist)
      this.watchlist.set(s, {
        ...w,
        price: null,
        decision: null,
        indicators: null,
        data_fresh: false,
        stale_reason: `${s}: no ticker received yet`,
        data_state: "waiting",
      });
  }

  /** The first data arrived (the fixture's coins as they were). */
  dataArrived(): void {
    this.startingUp = false;
    for (const s of this.watchlist.keys()) this.watchlist.set(s, fixtureWatchItem(s));
  }

  /** What the API's grace rule (src/api/data-freshness.ts) says of this world. */
  private freshness(items: ApiWatchlistItem[], verified: boolean): DashboardFreshness {
    const waiting: string[] = [];
    const stale: string[] = [];
    for (const w of items) {
      const why = w.stale_reason ?? "market data stale";
      const line = why.startsWith(w.symbol) ? why : `${w.symbol}: ${why}`;
      if (w.data_state === "waiting") waiting.push(line);
      else if (w.data_state === "stale") stale.push(line);
    }
    if (this.startingUp)
      waiting.push("exchange degraded: market data stale: market stream not connected yet");
    else if (this.syncStatus !== "ok") stale.push(`exchange ${this.syncStatus}`);
    if (!verified) stale.push("balances not verified by the exchange");
    const status = stale.length ? "stale" : waiting.length ? "waiting" : "fresh";
    return { status, waiting, stale, grace_until: FIXTURE_T0 + 60_000 };
  }

  state(): DashboardState {
    const auth = this.syncStatus === "auth_failed";
    const last = this.diagnostics.last;
    const watchlist = [...this.watchlist.values()];
    return {
      balances: [
        {
          currency: "USD",
          total: "12000.00000000",
          available: "11990.29990000",
          reserved: "9.70010000",
          usd_value: "12000.00000000",
        },
        {
          currency: "BTC",
          total: "0.00355000",
          available: "0.00345000",
          reserved: "0.00010000",
          usd_value: "345.67890000",
        },
      ],
      portfolio: { total_usd: FIXTURE_TOTAL_USD, as_of: FIXTURE_T0 },
      open_orders: this.orders.filter((o) => WORKING.has(o.status)),
      recent_orders: [...this.orders].reverse(),
      positions: [this.position],
      watchlist,
      bot_status: {
        mode: "DEMO",
        live_trading: this.liveTrading,
        kill_switch: this.killSwitch,
        leader: true,
        running: true,
      },
      exchange: {
        sync_status: this.syncStatus,
        reason: auth ? "private/user-balance refused: 40101 UNAUTHORIZED (auth circuit open)" : null,
        data_verified: !auth,
        last_sync: FIXTURE_T0,
        last_error: auth
          ? {
              code: 40101,
              name: "UNAUTHORIZED",
              category: "auth",
              method: "private/user-balance",
              at: FIXTURE_T0,
            }
          : null,
        outbound_ip: "203.0.113.7",
        clock_offset_ms: 42,
      },
      diagnosis: last
        ? {
            id: last.id,
            verdict: last.verdict,
            top_cause: last.top_cause,
            summary: last.top_cause
              ? `The exchange refuses the API key (${last.top_cause}).`
              : "No problem found.",
            at: last.at,
          }
        : null,
      partial: false,
      errors: [],
      key_hygiene: { ...this.keyHygiene },
      freshness: this.freshness(watchlist, !auth),
    };
  }
}
