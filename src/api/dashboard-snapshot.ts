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
 *   and the mode are in-memory sources without a version, and writes by other processes (the CLI on
 *   the same SQLite file, another atp on the same PostgreSQL) are not counted — they show within it.
 *
 * Invariants:
 * - Never older than its version: a request that sees a newer version than the snapshot's builds a
 *   new one (or joins a build that started at that version); a change is in the next answer.
 * - One build at a time per version: concurrent requests share it.
 * - The answer is exactly what `dashboardState` returns (the same parts, errors and freshness).
 */
import type { StoreTable } from "../store/types.js";
import { dashboardState } from "./dashboard-state.js";
import type { DataFreshness } from "./data-freshness.js";
import type { ApiDeps } from "./deps.js";

export const DASHBOARD_MAX_AGE_MS = 1_000;
/** The tables the dashboard state reads. */
export const DASHBOARD_TABLES: readonly StoreTable[] = [
  "orders",
  "lots",
  "watchlist",
  "settings",
  "diagnosis_reports",
];

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
  /** Builds so far (tests and the bench read it). */
  builds = 0;

  constructor(
    private readonly deps: ApiDeps,
    private readonly freshness: DataFreshness,
    private readonly maxAgeMs = DASHBOARD_MAX_AGE_MS,
  ) {}

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
    const c = this.cached;
    if (c && c.key === key && now - c.at < this.maxAgeMs) return c.body;
    const b = this.building;
    // a build of the same version started at most maxAgeMs ago (after `c`): its reads are this version's
    if (b && b.key === key) return (await b.promise).body;
    const promise = this.build(key, now);
    this.building = { key, promise };
    try {
      const built = await promise;
      if (!this.cached || built.at >= this.cached.at) this.cached = built;
      return built.body;
    } finally {
      if (this.building?.promise === promise) this.building = undefined;
    }
  }

  private async build(key: string, at: number): Promise<Built> {
    this.builds += 1;
    const state = await dashboardState(this.deps, this.freshness);
    return { key, at, body: Buffer.from(JSON.stringify(state), "utf8") };
  }
}
