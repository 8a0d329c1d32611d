/**
 * `AuthBreaker`: an `ExchangeClient` in front of the live client that stops private trading calls
 * for the account while an auth incident is open, and resumes them by itself.
 *
 * Invariants:
 * - An auth-category failure (failures.ts: auth, ip_not_whitelisted, nonce, permission) of any
 *   private call, thrown or carried in a placement outcome, opens ONE incident (row + event in one
 *   transaction) and runs the doctor ONCE with the failing request; failures while it is open join
 *   it. Other failures (213, 5xx, …) pass through untouched and open nothing.
 * - While open, no private trading call (place*, cancel*) reaches the inner client: place* answer
 *   `not_sent` with an `AuthCircuitOpenError`, cancel* throw it. Private reads still go through
 *   (they change nothing; their auth failures join the open incident) so reconciliation and the
 *   doctor keep seeing what the exchange says. Public calls always go through.
 * - Only a successful probe (`getBalance()` on the inner client, at growing intervals through the
 *   injected TimeSource) closes the incident, with an `auth.incident_closed` event, then the
 *   `onRecovered` hooks run (each awaited, errors logged, never thrown).
 * - `start()` resumes an incident left open in the store (open state, probe at its nextProbeAt).
 */
import type { TradingMode } from "../../domain/trading.js";
import type {
  ExchangeClient,
  ExchangeFailure,
  OcoRequest,
  OrderRef,
  OrderRequest,
  PlaceOcoOutcome,
  PlaceOrderOutcome,
  TriggerOrderRequest,
} from "../../exchange/types.js";
import type { Logger } from "../../log/logger.js";
import type { AuthIncident, Store } from "../../store/types.js";
import type { TimerHandle, TimeSource } from "../../util/clock.js";
import { AuthCircuitOpenError, authFailureInOutcome, authFailureOf, requestJson } from "./failures.js";
import {
  type AuthDiagnose,
  closeIncidentRecord,
  openIncidentRecord,
  storeDiagnosis,
} from "./incident-log.js";
import { BreakerReads } from "./reads.js";

/** Probe intervals: 1, 2, 4, 8 minutes, then every 15 minutes. */
export const DEFAULT_PROBE_INTERVALS_MS: readonly number[] = [60_000, 120_000, 240_000, 480_000, 900_000];

export type AuthRecoveryHook = (incident: AuthIncident) => void | Promise<void>;

export interface AuthBreakerOptions {
  inner: ExchangeClient;
  store: Store;
  time: TimeSource;
  logger: Logger;
  diagnose: AuthDiagnose;
  /** Wait before probe n (0-based); the last value repeats. */
  probeIntervalsMs?: readonly number[];
  /** The mode recorded in the events (default LIVE). */
  mode?: TradingMode;
}

export class AuthBreaker extends BreakerReads implements ExchangeClient {
  private readonly store: Store;
  private readonly time: TimeSource;
  private readonly log: Logger;
  private readonly diagnose: AuthDiagnose;
  private readonly intervals: readonly number[];
  private readonly mode: TradingMode;
  private isOpen = false;
  private incident: AuthIncident | undefined;
  private probes = 0;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly work = new Set<Promise<unknown>>();
  private readonly hooks = new Set<AuthRecoveryHook>();

  constructor(opts: AuthBreakerOptions) {
    super(opts.inner);
    this.store = opts.store;
    this.time = opts.time;
    this.log = opts.logger;
    this.diagnose = opts.diagnose;
    this.intervals = opts.probeIntervalsMs ?? DEFAULT_PROBE_INTERVALS_MS;
    if (this.intervals.length === 0 || this.intervals.some((ms) => !(ms >= 0))) {
      throw new RangeError("probeIntervalsMs: give at least one non-negative interval");
    }
    this.mode = opts.mode ?? "LIVE";
  }

  get state(): "closed" | "open" {
    return this.isOpen ? "open" : "closed";
  }

  currentIncident(): AuthIncident | undefined {
    return this.incident;
  }

  /** Runs `fn` after each recovery; returns the unsubscribe function. */
  onRecovered(fn: AuthRecoveryHook): () => void {
    this.hooks.add(fn);
    return () => this.hooks.delete(fn);
  }

  /** Resumes an incident left open in the store (open state, probing). */
  async start(): Promise<void> {
    this.stopped = false;
    const current = await this.store.incidents.current();
    if (!current || this.isOpen) return;
    this.isOpen = true;
    this.incident = current;
    this.probes = current.probes;
    this.log.warn({ incidentId: current.id, method: current.method }, "auth incident still open: resuming");
    this.scheduleProbe(current.nextProbeAt ?? this.time.now() + this.interval(current.probes));
  }

  /** Stops probing and waits for work in flight (doctor, probe, hooks). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.time.clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Resolves when no doctor run, probe or recovery hook is in flight. */
  async idle(): Promise<void> {
    while (this.work.size > 0) await Promise.allSettled([...this.work]);
  }

  override async close(): Promise<void> {
    await this.stop();
    await this.inner.close();
  }

  // --- trading calls -----------------------------------------------------------------------------

  placeOrder(req: OrderRequest): Promise<PlaceOrderOutcome> {
    return this.place("placeOrder", req, () => this.inner.placeOrder(req));
  }

  placeTriggerOrder(req: TriggerOrderRequest): Promise<PlaceOrderOutcome> {
    return this.place("placeTriggerOrder", req, () => this.inner.placeTriggerOrder(req));
  }

  placeOco(req: OcoRequest): Promise<PlaceOcoOutcome> {
    return this.place("placeOco", req, () => this.inner.placeOco(req));
  }

  cancelOrder(ref: OrderRef) {
    return this.trading("cancelOrder", ref, () => this.inner.cancelOrder(ref));
  }

  cancelAllOrders(symbol?: string): Promise<void> {
    return this.trading("cancelAllOrders", { symbol }, () => this.inner.cancelAllOrders(symbol));
  }

  cancelOco(listId: string): Promise<void> {
    return this.trading("cancelOco", { listId }, () => this.inner.cancelOco(listId));
  }

  private async place<O extends PlaceOrderOutcome | PlaceOcoOutcome>(
    method: string,
    req: OrderRequest | TriggerOrderRequest | OcoRequest,
    call: () => Promise<O>,
  ): Promise<O | Extract<PlaceOrderOutcome, { status: "not_sent" }>> {
    if (this.isOpen) {
      const error = new AuthCircuitOpenError(method, this.incident?.id);
      return { status: "not_sent", clientOid: this.inner.clientOidFor(req.intentId), error, attempts: 0 };
    }
    const outcome = await this.guarded(method, req, call);
    const failure = authFailureInOutcome(outcome);
    if (failure) await this.trip(method, failure, req);
    return outcome;
  }

  private trading<T>(method: string, request: unknown, call: () => Promise<T>): Promise<T> {
    if (this.isOpen) return Promise.reject(new AuthCircuitOpenError(method, this.incident?.id));
    return this.guarded(method, request, call);
  }

  /** Runs a private call; a thrown auth failure trips the breaker before it is rethrown. */
  protected override async guarded<T>(method: string, request: unknown, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (e) {
      const failure = authFailureOf(e);
      if (failure) await this.trip(method, failure, request);
      throw e;
    }
  }

  // --- the incident ------------------------------------------------------------------------------

  private async trip(method: string, failure: ExchangeFailure, request: unknown): Promise<void> {
    if (this.isOpen) return; // one incident: later failures join the open one
    this.isOpen = true;
    this.probes = 0;
    const now = this.time.now();
    const nextProbeAt = now + this.interval(0);
    this.log.error(
      { method, code: failure.code, category: failure.category },
      "auth failure: private trading calls stopped until a probe succeeds",
    );
    try {
      const { incident, created } = await openIncidentRecord(this.store, {
        failure,
        method,
        now,
        nextProbeAt,
        mode: this.mode,
      });
      this.incident = incident;
      this.probes = incident.probes;
      this.scheduleProbe(incident.nextProbeAt ?? nextProbeAt);
      if (created) {
        const context = {
          method,
          code: failure.code,
          category: failure.category,
          request: requestJson(request),
        };
        this.track(this.runDoctor(incident.id, context));
      }
    } catch (e) {
      this.log.error({ err: e }, "auth incident could not be stored; the breaker stays open and probes");
      this.scheduleProbe(nextProbeAt);
    }
  }

  private async runDoctor(incidentId: string, context: Parameters<AuthDiagnose>[0]): Promise<void> {
    try {
      const diagnosis = await this.diagnose(context);
      const reportId = await storeDiagnosis(this.store, incidentId, context, diagnosis);
      if (this.incident?.id === incidentId) this.incident = { ...this.incident, diagnosisId: reportId };
      this.log.warn(
        { incidentId, verdict: diagnosis.verdict, topCause: diagnosis.topCause },
        "auth diagnosis",
      );
    } catch (e) {
      this.log.error({ err: e, incidentId }, "auth diagnosis failed");
    }
  }

  private interval(n: number): number {
    return this.intervals[Math.min(n, this.intervals.length - 1)]!;
  }

  /** Probes now instead of at the next interval (an operator fixed the cause: the demo's fault cleared). No-op when closed. */
  probeNow(): void {
    if (this.isOpen && !this.stopped) this.scheduleProbe(this.time.now());
  }

  private scheduleProbe(at: number): void {
    if (this.stopped) return;
    if (this.timer) this.time.clearTimeout(this.timer);
    this.timer = this.time.setTimeout(
      () => {
        this.timer = undefined;
        this.track(this.probe());
      },
      Math.max(0, at - this.time.now()),
    );
  }

  private async probe(): Promise<void> {
    if (!this.isOpen) return;
    let failure: unknown;
    try {
      await this.inner.getBalance();
    } catch (e) {
      failure = e ?? new Error("probe failed");
    }
    const now = this.time.now();
    const incident = this.incident;
    if (failure === undefined) return this.recover(incident, now);
    this.probes += 1;
    const next = now + this.interval(this.probes);
    const f = authFailureOf(failure);
    this.log.warn({ code: f?.code, category: f?.category, probes: this.probes, next }, "auth probe failed");
    if (incident) {
      try {
        this.incident = (await this.store.incidents.recordProbe(incident.id, next)) ?? incident;
      } catch (e) {
        this.log.error({ err: e }, "auth probe could not be recorded");
      }
    }
    this.scheduleProbe(next);
  }

  private async recover(incident: AuthIncident | undefined, now: number): Promise<void> {
    let closed: AuthIncident | undefined = incident;
    if (incident) {
      try {
        closed = (await closeIncidentRecord(this.store, incident, now, this.mode)) ?? incident;
      } catch (e) {
        this.log.error({ err: e }, "auth incident could not be closed in the store (a restart probes again)");
      }
    }
    this.isOpen = false;
    this.incident = undefined;
    this.log.info(
      { incidentId: incident?.id, durationMs: incident && now - incident.openedAt },
      "auth recovered",
    );
    if (!closed) return;
    for (const hook of [...this.hooks]) {
      try {
        await hook(closed);
      } catch (e) {
        this.log.error({ err: e }, "auth recovery hook failed");
      }
    }
  }

  private track(p: Promise<unknown>): void {
    this.work.add(p);
    void p.finally(() => this.work.delete(p));
  }
}
