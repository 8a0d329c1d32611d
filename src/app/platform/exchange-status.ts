/**
 * The exchange's state as the API shows it (`ExchangeStatusSource`): sync_status from the client's
 * call outcomes (call-health.ts), the auth breaker (an open auth incident in the store), and market
 * data freshness; the last verified balances with their time; the outbound IP; the clock offset.
 *
 * Invariants:
 * - auth_failed while an auth incident is open (the breaker is open), whatever else answers.
 * - Balances are never zeros standing in for "could not read": the last verified read with its
 *   time and `verified: false` after a failed read, or none with the reason.
 * - No balance read while the breaker is open (the breaker's probes are the only private calls then).
 * - Refreshing never throws; a failing store or exchange read is a reason, not an exception.
 */

import type { ApiBalance, ExchangeState } from "../../api/contract/types.js";
import type { ExchangeStatusSource } from "../../api/deps.js";
import type { AccountBalance } from "../../exchange/types.js";
import type { Logger } from "../../log/logger.js";
import type { AuthIncident, Store } from "../../store/types.js";
import type { TimerHandle, TimeSource } from "../../util/clock.js";
import { dec } from "../../util/decimal.js";
import type { CallHealth } from "./call-health.js";

export interface PlatformExchangeStatusOptions {
  time: TimeSource;
  store: Store;
  logger: Logger;
  health: CallHealth;
  /** Reads the account's balances (undefined: no credentials, nothing to read). */
  readBalance?: (() => Promise<AccountBalance>) | undefined;
  clockOffsetMs: () => number | undefined;
  /** Why market data is stale right now (null when every watched symbol is fresh). */
  marketProblem?: (() => string | null) | undefined;
  /** Period of the incident check (default 2 s) and of the balance read (default 15 s). */
  refreshMs?: number;
  balanceMs?: number;
}

export class PlatformExchangeStatus implements ExchangeStatusSource {
  private incident: AuthIncident | undefined;
  private verified: { balances: ApiBalance[]; totalUsd: string | null; at: number } | undefined;
  private balanceOk = false;
  private balanceError: string | null = null;
  private lastBalanceRead = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private refreshing: Promise<void> | undefined;
  outboundIp: string | null = null;

  constructor(private readonly o: PlatformExchangeStatusOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.o.time.clearTimeout(this.timer);
    await this.refreshing;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.time.setTimeout(() => {
      this.refreshing = this.refresh().finally(() => {
        this.refreshing = undefined;
        this.schedule(this.o.refreshMs ?? 2_000);
      });
    }, ms);
  }

  /** One refresh: the open incident, then (when due and not in an incident) the balances. */
  async refresh(): Promise<void> {
    try {
      this.incident = await this.o.store.incidents.current();
    } catch (err) {
      this.o.logger.debug({ err }, "exchange status: incident read failed");
    }
    const due = this.o.time.now() - this.lastBalanceRead >= (this.o.balanceMs ?? 15_000);
    if (!this.o.readBalance || this.incident || !due) return;
    this.lastBalanceRead = this.o.time.now();
    try {
      const b = await this.o.readBalance();
      this.verified = { ...balancesOf(b), at: this.o.time.now() };
      this.balanceOk = true;
      this.balanceError = null;
    } catch (err) {
      this.balanceOk = false;
      this.balanceError = `balance read failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  state(): ExchangeState {
    const calls = this.o.health.view();
    const inc = this.incident;
    const market = this.o.marketProblem?.() ?? null;
    let sync_status: ExchangeState["sync_status"] = calls.status;
    let reason = calls.reason;
    if (inc) {
      sync_status = "auth_failed";
      reason = `the exchange refuses our credentials (${inc.code ?? ""} ${inc.category} on ${inc.method}) since ${new Date(inc.openedAt).toISOString().slice(11, 19)} UTC; trading paused (auth breaker open)`;
    } else if (sync_status === "ok" && market) {
      sync_status = "degraded";
      reason = `market data stale: ${market}`;
    } else if (market) {
      reason = `${reason}; market data stale: ${market}`;
    }
    const e = calls.lastError;
    return {
      sync_status,
      reason,
      data_verified: this.verified !== undefined && this.balanceOk && !inc,
      last_sync: this.verified?.at ?? null,
      last_error: e ? { code: e.code, name: e.name, category: e.category, method: e.method, at: e.at } : null,
      outbound_ip: this.outboundIp,
      clock_offset_ms: this.o.clockOffsetMs() ?? null,
    };
  }

  balances(): ReturnType<ExchangeStatusSource["balances"]> {
    const v = this.verified;
    const verified = v !== undefined && this.balanceOk && !this.incident;
    const reason = !this.o.readBalance
      ? "no API credentials: no account to read"
      : verified
        ? null
        : this.incident
          ? "the exchange refuses our credentials; showing the last verified balances"
          : (this.balanceError ?? "not read yet");
    return {
      balances: v?.balances ?? [],
      totalUsd: v?.totalUsd ?? null,
      asOf: v?.at ?? null,
      verified,
      reason,
    };
  }
}

function balancesOf(b: AccountBalance): { balances: ApiBalance[]; totalUsd: string | null } {
  let total = dec("0");
  let valued = false;
  const balances = b.currencies.map((c) => {
    if (c.marketValue) {
      total = total.plus(c.marketValue);
      valued = true;
    }
    return {
      currency: c.currency,
      total: c.total.toFixed(),
      available: c.available.toFixed(),
      reserved: c.reserved.toFixed(),
      usd_value: c.marketValue?.toFixed() ?? null,
    };
  });
  return { balances, totalUsd: valued ? total.toFixed() : null };
}
