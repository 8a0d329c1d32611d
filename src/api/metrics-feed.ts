/**
 * What /metrics reports, on the registry of src/api/metrics.ts: the metrics the app feeds (exchange
 * calls and errors by code), the API's own (HTTP latency per route, refused credentials) and what
 * the store's events say (orders by status, guard blocks by reason, exchange auth incidents,
 * reconciliation corrections) — read at scrape time with `store.events.after(seq)` from the seq the
 * server started at, plus a snapshot gauge of the open orders by status.
 *
 * Invariants:
 * - Counters count from this process's start (events before it are not replayed).
 * - A scrape catches up in bounded pages; a store failure leaves the counters as they were and is
 *   reported in `atp_metrics_store_errors_total`, never as a failed scrape.
 * - Labels come from closed sets or stored codes; payload fields are read as own properties only.
 * - Telegram's counts (`observeTelegram`) are read from the notifier at scrape time: its counters
 *   only grow, so each scrape adds what they grew by since the last.
 */

import type { TelegramCounts } from "../domain/telegram-counts.js";
import type { EventRecord, Json, Store } from "../store/types.js";
import { type MetricCounter, MetricsRegistry } from "./metrics.js";

const PAGE = 1000;
const MAX_PAGES = 50;

/** Order events and the status they report. */
const ORDER_EVENT_STATUS: ReadonlyMap<string, string> = new Map([
  ["order.placed", "NEW"],
  ["order.filled", "FILLED"],
  ["order.rejected", "REJECTED"],
  ["order.ambiguous", "UNKNOWN"],
]);

function field(payload: Json, name: string): string {
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return "";
  if (!Object.hasOwn(payload, name)) return "";
  const v = payload[name];
  return v === null || v === undefined ? "" : String(v);
}

export class PlatformMetrics {
  readonly registry: MetricsRegistry;
  private readonly exchangeCalls;
  private readonly exchangeErrors;
  private readonly httpLatency;
  private readonly apiAuthFailures;
  private readonly orderEvents;
  private readonly guardBlocks;
  private readonly authIncidents;
  private readonly corrections;
  private readonly openOrders;
  private readonly storeErrors;
  private readonly telegramEnabled;
  private readonly telegramUnauthorised;
  private readonly telegramCommands;
  private readonly telegramMessages;
  private readonly telegramRetries;
  private telegram: (() => TelegramCounts) | undefined;
  private seq: number | undefined;

  constructor(registry = new MetricsRegistry()) {
    const r = registry;
    this.registry = r;
    this.exchangeCalls = r.counter("atp_exchange_calls_total", "Exchange API calls by method and outcome", [
      "method",
      "outcome",
    ]);
    this.exchangeErrors = r.counter("atp_exchange_errors_total", "Exchange errors by code and category", [
      "code",
      "category",
    ]);
    this.httpLatency = r.histogram("atp_http_request_duration_seconds", "HTTP API latency by route", [
      "method",
      "route",
      "status",
    ]);
    this.apiAuthFailures = r.counter("atp_api_auth_failures_total", "Refused API credentials by reason", [
      "reason",
    ]);
    this.orderEvents = r.counter("atp_orders_total", "Order status changes seen (store events) by status", [
      "status",
    ]);
    this.guardBlocks = r.counter("atp_guard_blocks_total", "Intents blocked by a guard, by reason code", [
      "reason",
    ]);
    this.authIncidents = r.counter(
      "atp_auth_incidents_total",
      "Exchange authentication incidents opened, by code",
      ["code", "category"],
    );
    this.corrections = r.counter("atp_reconcile_corrections_total", "Reconciliation corrections by action", [
      "action",
    ]);
    this.openOrders = r.gauge("atp_open_orders", "Orders not in a final status, by status and mode", [
      "status",
      "mode",
    ]);
    this.storeErrors = r.counter("atp_metrics_store_errors_total", "Store reads that failed during a scrape");
    this.telegramEnabled = r.gauge(
      "atp_telegram_enabled",
      "Telegram: 1 when alerts are sent and commands answered (token and an authorised chat id), else 0",
      ["part"],
    );
    this.telegramUnauthorised = r.counter(
      "atp_telegram_unauthorised_updates_total",
      "Telegram updates from chats that are not authorised (dropped, never answered)",
    );
    this.telegramCommands = r.counter("atp_telegram_commands_total", "Telegram commands answered");
    this.telegramMessages = r.counter(
      "atp_telegram_messages_total",
      "Telegram messages by outcome: sent, failed (for good), unknown (may or may not have arrived; not re-sent)",
      ["outcome"],
    );
    this.telegramRetries = r.counter(
      "atp_telegram_retries_total",
      "Telegram sends retried, by reason: retry_after (a 429's retry_after honoured), backoff (5xx, connection refused)",
      ["reason"],
    );
  }

  /** The app: where Telegram's counts are read at each scrape (the notifier's `counts()`). */
  observeTelegram(counts: () => TelegramCounts): void {
    this.telegram = counts;
  }

  private collectTelegram(): void {
    if (!this.telegram) return;
    const c = this.telegram();
    this.telegramEnabled.set({ part: "alerts" }, c.enabled ? 1 : 0);
    this.telegramEnabled.set({ part: "commands" }, c.commandsEnabled ? 1 : 0);
    const mirror = (m: MetricCounter, labels: Record<string, string>, total: number) =>
      m.inc(labels, Math.max(0, total - m.get(labels)));
    mirror(this.telegramUnauthorised, {}, c.unauthorisedUpdates);
    mirror(this.telegramCommands, {}, c.commands);
    mirror(this.telegramMessages, { outcome: "sent" }, c.sent);
    mirror(this.telegramMessages, { outcome: "failed" }, c.failed);
    mirror(this.telegramMessages, { outcome: "unknown" }, c.unknown);
    mirror(this.telegramRetries, { reason: "retry_after" }, c.retryAfter);
    mirror(this.telegramRetries, { reason: "backoff" }, c.retried - c.retryAfter);
  }

  /** The app: one exchange call (`code` when it failed). */
  recordExchangeCall(
    method: string,
    outcome: "ok" | "error",
    failure?: { code: number | null; category: string },
  ): void {
    this.exchangeCalls.inc({ method, outcome });
    if (failure)
      this.exchangeErrors.inc({
        code: failure.code === null ? "" : String(failure.code),
        category: failure.category,
      });
  }

  recordHttp(method: string, route: string, status: number, seconds: number): void {
    this.httpLatency.observe({ method, route, status: String(status) }, seconds);
  }

  recordAuthFailure(reason: string): void {
    this.apiAuthFailures.inc({ reason });
  }

  /** Counts one store event (exported for tests and for an app that pushes events itself). */
  recordEvent(e: EventRecord): void {
    const status = ORDER_EVENT_STATUS.get(e.kind);
    if (status) this.orderEvents.inc({ status });
    else if (e.kind === "intent.blocked") this.guardBlocks.inc({ reason: field(e.payload, "reasonCode") });
    else if (e.kind === "auth.incident_opened")
      this.authIncidents.inc({ code: field(e.payload, "code"), category: field(e.payload, "category") });
    else if (e.kind === "reconcile.correction") this.corrections.inc({ action: field(e.payload, "action") });
  }

  /** Starts counting events after the store's current last seq. */
  async start(store: Store): Promise<void> {
    this.seq = await store.events.lastSeq();
  }

  /** Catches up with the store and renders the exposition text. */
  async scrape(store: Store): Promise<string> {
    try {
      this.collectTelegram();
    } catch {
      // the notifier's counts are plain numbers; a failure here must not fail the scrape
    }
    try {
      if (this.seq === undefined) this.seq = await store.events.lastSeq();
      for (let page = 0; page < MAX_PAGES; page++) {
        const events = await store.events.after(this.seq, PAGE);
        for (const e of events) {
          this.recordEvent(e);
          this.seq = e.seq;
        }
        if (events.length < PAGE) break;
      }
      const open = await store.orders.listNonFinal();
      const counts = new Map<string, { status: string; mode: string; n: number }>();
      for (const o of open) {
        const k = `${o.status}\u0000${o.mode}`;
        const c = counts.get(k) ?? { status: o.status, mode: o.mode, n: 0 };
        c.n += 1;
        counts.set(k, c);
      }
      this.openOrders.reset();
      for (const c of counts.values()) this.openOrders.set({ status: c.status, mode: c.mode }, c.n);
    } catch {
      this.storeErrors.inc();
    }
    return this.registry.render();
  }
}
