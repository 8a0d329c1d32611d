/**
 * The dashboard state as a snapshot: built once (dashboard-state.ts), serialised once, and served as
 * the same bytes to every request until something it shows may have changed. The dashboard reads it
 * after every event of the stream (web/src/state/dashboard.ts), so many readers ask for it at once.
 *
 * When it is rebuilt — its version, checked on every request:
 * - a committed write, by this process, to a table it reads (`store.writeVersion` over orders, lots,
 *   watchlist, settings, diagnosis_reports): every change the event stream reports (orders, fills,
 *   protection, switches, watchlist, diagnoses), and the writes no event reports;
 * - the balances the exchange status source holds, and the engine's leader/running flags, changed
 *   (compared on every request: they are in memory and small);
 * - the snapshot is `maxAgeMs` (1 s) old: prices, indicators, market freshness, the exchange status
 *   and the mode are in-memory sources without a version.
 * A rebuild reads again only the store sections whose tables this process wrote since they were
 * read (dashboard-reads.ts), or that are `storeMaxAgeMs` (5 s) old: writes by other processes (the
 * CLI on the same SQLite file, another atp on the same PostgreSQL) are not counted — they show
 * within that. The order lists (most of the answer) are kept serialised and spliced in as bytes.
 *
 * Off the request path: while the dashboard has been read within `activeMs` (5 s), a timer (every
 * `tickMs`, 25 ms, on the API's timers) looks at the version and rebuilds in the background as soon
 * as it moved, and `leadMs` (200 ms) before either age is reached — so a reader normally finds the
 * snapshot current and pays nothing; a reader that finds it not current builds (or joins) as before.
 *
 * Invariants:
 * - Never older than its version: a request that sees a newer version than the snapshot's builds a
 *   new one (or joins a build that started at that version); a change is in the next answer.
 * - One build at a time per version: concurrent requests (and the background) share it.
 * - The answer is exactly what `dashboardState` returns (the same parts, errors and freshness),
 *   byte for byte its `JSON.stringify`.
 * - The background timer runs only while the dashboard is read, never keeps the process alive
 *   (the API's timers), and stops at `close()`.
 */
import type { StoreTable } from "../store/types.js";
import type { TimerHandle } from "../util/clock.js";
import { DashboardReads } from "./dashboard-reads.js";
import { buildDashboard, serialiseDashboard } from "./dashboard-state.js";
import type { DataFreshness } from "./data-freshness.js";
import type { ApiDeps } from "./deps.js";

export const DASHBOARD_MAX_AGE_MS = 1_000;
export const DASHBOARD_STORE_MAX_AGE_MS = 5_000;
export const DASHBOARD_ACTIVE_MS = 5_000;
export const DASHBOARD_TICK_MS = 25;
export const DASHBOARD_LEAD_MS = 200;
/** The tables the dashboard state reads. */
export const DASHBOARD_TABLES: readonly StoreTable[] = [
  "orders",
  "lots",
  "watchlist",
  "settings",
  "diagnosis_reports",
];

export interface DashboardSnapshotOptions {
  maxAgeMs?: number;
  storeMaxAgeMs?: number;
  activeMs?: number;
  tickMs?: number;
  leadMs?: number;
}

interface Built {
  key: string;
  at: number;
  body: Buffer;
}

function guard(read: () => unknown): string {
  try {
    return JSON.stringify(read()) ?? "";
  } catch (e) {
    return `!${e instanceof Error ? e.message : String(e)}`;
  }
}

export class DashboardSnapshot {
  private cached: Built | undefined;
  private building: { key: string; promise: Promise<Built> } | undefined;
  private lastRead = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private closed = false;
  private readonly o: Required<DashboardSnapshotOptions>;
  /** Builds so far, on requests and in the background (tests and the bench read them). */
  builds = 0;
  backgroundBuilds = 0;

  constructor(
    private readonly deps: ApiDeps,
    private readonly freshness: DataFreshness,
    readonly reads = new DashboardReads(deps.store, deps.time),
    opts: DashboardSnapshotOptions = {},
  ) {
    this.o = {
      maxAgeMs: opts.maxAgeMs ?? DASHBOARD_MAX_AGE_MS,
      storeMaxAgeMs: opts.storeMaxAgeMs ?? DASHBOARD_STORE_MAX_AGE_MS,
      activeMs: opts.activeMs ?? DASHBOARD_ACTIVE_MS,
      tickMs: opts.tickMs ?? DASHBOARD_TICK_MS,
      leadMs: opts.leadMs ?? DASHBOARD_LEAD_MS,
    };
  }

  /** The version now: the tables' write version, the engine's flags, the balances held. */
  private version(): string {
    const { store, engine, exchange } = this.deps;
    return [
      store.writeVersion(DASHBOARD_TABLES),
      guard(() => [engine.leader(), engine.running()]),
      guard(() => exchange.balances()),
    ].join("|");
  }

  /** The serialised state (UTF-8 JSON), current as the invariants say. */
  async body(): Promise<Buffer> {
    const key = this.version();
    const now = this.deps.time.now();
    this.lastRead = now;
    this.keepCurrent();
    const c = this.cached;
    if (c && c.key === key && now - c.at < this.o.maxAgeMs) return c.body;
    const b = this.building;
    // a build of the same version started at most maxAgeMs ago (after `c`): its reads are this version's
    if (b && b.key === key) return (await b.promise).body;
    return (await this.rebuild(key, now, this.o.storeMaxAgeMs)).body;
  }

  /** Stops the background timer (the server's close). */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.deps.time.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async rebuild(key: string, at: number, storeMaxAgeMs: number): Promise<Built> {
    const promise = this.build(key, at, storeMaxAgeMs);
    this.building = { key, promise };
    try {
      const built = await promise;
      if (!this.cached || built.at >= this.cached.at) this.cached = built;
      return built;
    } finally {
      if (this.building?.promise === promise) this.building = undefined;
    }
  }

  private async build(key: string, at: number, storeMaxAgeMs: number): Promise<Built> {
    this.builds += 1;
    const built = await buildDashboard(this.deps, this.freshness, this.reads, storeMaxAgeMs);
    return { key, at, body: serialiseDashboard(built) };
  }

  /** Starts the background timer unless it runs (or the snapshot is closed). */
  private keepCurrent(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.deps.time.setTimeout(() => this.tick(), this.o.tickMs);
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.deps.time.now();
    if (this.closed || now - this.lastRead > this.o.activeMs) return;
    if (!this.building) {
      const key = this.version();
      const c = this.cached;
      if (!c || c.key !== key || now - c.at >= this.o.maxAgeMs - this.o.leadMs) {
        this.backgroundBuilds += 1;
        void this.rebuild(key, now, this.o.storeMaxAgeMs - this.o.leadMs).catch((e: unknown) =>
          this.deps.logger.warn(
            { err: e instanceof Error ? e.message : String(e) },
            "api: the dashboard snapshot could not be rebuilt in the background",
          ),
        );
      }
    }
    this.keepCurrent();
  }
}
