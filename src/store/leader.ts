/**
 * Leadership: which atp process runs the engine, reconciliation and (later) Telegram polling — the
 * one writer of trading state. `acquireLeadership(store, { instanceId, onLost })`.
 *
 * PostgreSQL (several processes may share one database):
 * - The leader holds a session-level `pg_try_advisory_lock(LEADER_LOCK_CLASS, hashtext(schema))` on
 *   a DEDICATED connection (never a pooled one: the lock lives exactly as long as that session).
 *   The second key is the schema's hash, so stores in different schemas of one database elect
 *   their leaders independently.
 * - A follower retries every `retryMs` (default 5 s). The server frees the lock the moment the
 *   leader's session ends (process killed, `pg_terminate_backend`, connection closed), so a follower
 *   takes over within one retry interval plus a connect.
 * - The leader runs a keep-alive query every `keepAliveMs` (default 2 s). When its connection
 *   errors or ends, or a keep-alive fails or does not answer within `keepAliveTimeoutMs` (default
 *   4 s), `onLost` is called FIRST, synchronously, before anything else happens (no log line, no
 *   cleanup first), so the engine stops trading at once. The instance then becomes a follower again
 *   and retries (`onAcquired` fires when it leads again).
 * - The leader's session sets `idle_session_timeout` (default 10 s, above keep-alive + timeout): if
 *   its keep-alives stop reaching the server (partition, frozen process), the server ends the session
 *   and frees the lock — after the leader has already seen its keep-alive fail and stopped.
 *
 * SQLite (one process per database file):
 * - An exclusive process lock: a second SQLite file `<db>.lock` opened with
 *   `PRAGMA locking_mode=EXCLUSIVE` and written once, which keeps the file's OS lock for as long as
 *   the connection is open. The OS releases it when the process dies, SIGKILL included, so no stale
 *   lock is ever left behind. A second process gets `StoreLockedError` naming the file and the
 *   holder's pid and host (recorded in the `leadership` table, which readers can always read: WAL).
 * - Read-only users (`atp orders`) do not take the lock and read while the engine runs.
 *
 * `release()` gives leadership up on purpose (no `onLost`).
 */
import { hostname } from "node:os";
import Database from "better-sqlite3";
import type pg from "pg";
import { pgConfig } from "./connect.js";
import type { Db } from "./db.js";
import { type LockHolder, StoreLockedError } from "./errors.js";
import { internalsOf } from "./internals.js";
import { pgDriver } from "./pg-driver.js";
import type { Store } from "./types.js";

/** First key of the leader's advisory lock ("atp1"); the second is hashtext(current_schema()). */
export const LEADER_LOCK_CLASS = 0x61747031;
const LEADERSHIP_ROW = "engine";

export type LostReason = "connection_error" | "connection_ended" | "keepalive_failed";

export interface LeadershipOptions {
  /** Names this process in the leadership record and in logs. */
  instanceId: string;
  /** Called first, synchronously, when leadership is lost: stop trading. */
  onLost: (reason: LostReason, detail: string) => void;
  /** Called each time this instance becomes leader (PostgreSQL; SQLite leads at once or throws). */
  onAcquired?: () => void;
  /** PostgreSQL: how often a follower tries to take the lock (ms, default 5000). */
  retryMs?: number;
  /** PostgreSQL: keep-alive period on the leader's connection (ms, default 2000). */
  keepAliveMs?: number;
  /** PostgreSQL: a keep-alive not answered within this is a loss (ms, default 4000). */
  keepAliveTimeoutMs?: number;
  /** PostgreSQL: the server ends the leader's session after this much silence (ms, default 10000). */
  idleSessionTimeoutMs?: number;
}

export interface Leadership {
  readonly isLeader: boolean;
  /** Resolves when this instance is (or next becomes) leader. */
  whenLeader(): Promise<void>;
  /** Gives leadership up (and stops trying). */
  release(): Promise<void>;
}

async function recordHolder(db: Db, instanceId: string, now: number): Promise<void> {
  const values = { instance_id: instanceId, pid: process.pid, host: hostname(), acquired_at: now };
  await db
    .insertInto("leadership")
    .values({ name: LEADERSHIP_ROW, ...values })
    .onConflict((oc) => oc.column("name").doUpdateSet(values))
    .execute();
}

/** The recorded leader (the last process that took leadership and has not released it). */
export async function currentLeader(store: Store): Promise<LockHolder | undefined> {
  const r = await internalsOf(store)
    .db.selectFrom("leadership")
    .selectAll()
    .where("name", "=", LEADERSHIP_ROW)
    .executeTakeFirst();
  return r && { pid: r.pid, host: r.host, instanceId: r.instance_id, since: Number(r.acquired_at) };
}

export async function acquireLeadership(store: Store, opts: LeadershipOptions): Promise<Leadership> {
  const internals = internalsOf(store);
  return internals.target.dialect === "sqlite"
    ? acquireSqlite(store, internals.target.file, opts)
    : acquirePostgres(store, internals.target.url, opts);
}

// --- SQLite ----------------------------------------------------------------------------------------

async function acquireSqlite(store: Store, file: string, opts: LeadershipOptions): Promise<Leadership> {
  const { db, now } = internalsOf(store);
  const lockFile = `${file}.lock`;
  let lock: Database.Database | undefined;
  try {
    lock = new Database(lockFile, { timeout: 0 });
    lock.pragma("locking_mode = EXCLUSIVE");
    // the first write takes the EXCLUSIVE lock, which exclusive locking mode keeps until close
    lock.exec(
      "BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER, at INTEGER); DELETE FROM holder;",
    );
    lock.prepare("INSERT INTO holder VALUES (?, ?)").run(process.pid, now());
    lock.exec("COMMIT");
  } catch (e) {
    lock?.close();
    if (
      (e as { code?: unknown }).code === "SQLITE_BUSY" ||
      (e as { code?: unknown }).code === "SQLITE_LOCKED"
    ) {
      const holder = await currentLeader(store).catch(() => undefined);
      throw new StoreLockedError(file, holder);
    }
    throw e;
  }
  const held = lock;
  await recordHolder(db, opts.instanceId, now());
  opts.onAcquired?.();
  let released = false;
  return {
    get isLeader() {
      return !released;
    },
    whenLeader: () => (released ? new Promise<void>(() => undefined) : Promise.resolve()),
    async release() {
      if (released) return;
      released = true;
      await db
        .deleteFrom("leadership")
        .where("name", "=", LEADERSHIP_ROW)
        .where("instance_id", "=", opts.instanceId)
        .execute()
        .catch(() => undefined);
      held.close();
    },
  };
}

// --- PostgreSQL ------------------------------------------------------------------------------------

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function acquirePostgres(store: Store, url: string, opts: LeadershipOptions): Promise<Leadership> {
  const { db, logger, now } = internalsOf(store);
  const retryMs = opts.retryMs ?? 5000;
  const keepAliveMs = opts.keepAliveMs ?? 2000;
  const keepAliveTimeoutMs = opts.keepAliveTimeoutMs ?? 4000;
  const idleSessionTimeoutMs = opts.idleSessionTimeoutMs ?? 10_000;
  const log = logger.child({ component: "leadership", instanceId: opts.instanceId });

  let state: "follower" | "leader" | "released" = "follower";
  let client: pg.Client | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let keepAliveTimer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];

  function scheduleRetry(): void {
    if (state === "released") return;
    retryTimer = setTimeout(() => void attempt(), retryMs);
    retryTimer.unref();
  }

  function drop(c: pg.Client | undefined): void {
    if (!c) return;
    c.removeAllListeners("error");
    c.on("error", () => undefined); // a late socket error on a client being dropped is not news
    c.end().catch(() => undefined);
  }

  function lose(c: pg.Client, reason: LostReason, detail: string): void {
    if (state !== "leader" || client !== c) return;
    state = "follower";
    opts.onLost(reason, detail); // FIRST: the engine stops before anything else happens
    clearTimeout(keepAliveTimer);
    client = undefined;
    drop(c);
    log.warn({ reason, detail }, "leadership lost: trading stopped; retrying as a follower");
    scheduleRetry();
  }

  function keepAlive(c: pg.Client): void {
    keepAliveTimer = setTimeout(async () => {
      if (state !== "leader" || client !== c) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${keepAliveTimeoutMs} ms`)),
          keepAliveTimeoutMs,
        );
      });
      try {
        await Promise.race([c.query("select 1"), timeout]);
        keepAlive(c);
      } catch (e) {
        lose(c, "keepalive_failed", message(e));
      } finally {
        clearTimeout(timer);
      }
    }, keepAliveMs);
    keepAliveTimer.unref();
  }

  async function attempt(): Promise<void> {
    if (state !== "follower") return;
    const c = new (pgDriver().Client)(pgConfig(url));
    c.on("error", (e) => lose(c, "connection_error", message(e)));
    c.on("end", () => lose(c, "connection_ended", "the connection to PostgreSQL ended"));
    try {
      await c.connect();
      const r = await c.query<{ ok: boolean }>(
        "select pg_try_advisory_lock($1::int, hashtext(current_schema())) as ok",
        [LEADER_LOCK_CLASS],
      );
      if (!r.rows[0]?.ok || state !== "follower") {
        drop(c);
        scheduleRetry();
        return;
      }
      await c.query(`set idle_session_timeout = ${Math.trunc(idleSessionTimeoutMs)}`).catch((e: unknown) => {
        log.warn({ err: message(e) }, "idle_session_timeout not supported (PostgreSQL < 14)");
      });
    } catch (e) {
      drop(c);
      log.warn({ err: message(e) }, "leadership: cannot reach PostgreSQL; retrying");
      scheduleRetry();
      return;
    }
    state = "leader";
    client = c;
    keepAlive(c);
    await recordHolder(db, opts.instanceId, now()).catch((e: unknown) =>
      log.warn({ err: message(e) }, "leadership: could not record the holder"),
    );
    if (state !== "leader" || client !== c) return; // lost while recording
    log.info("leadership acquired");
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
    opts.onAcquired?.();
  }

  await attempt();

  return {
    get isLeader() {
      return state === "leader";
    },
    whenLeader() {
      if (state === "leader") return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    async release() {
      if (state === "released") return;
      const wasLeader = state === "leader";
      state = "released";
      clearTimeout(retryTimer);
      clearTimeout(keepAliveTimer);
      const c = client;
      client = undefined;
      if (c && wasLeader) {
        await db
          .deleteFrom("leadership")
          .where("name", "=", LEADERSHIP_ROW)
          .where("instance_id", "=", opts.instanceId)
          .execute()
          .catch(() => undefined);
        await c
          .query("select pg_advisory_unlock($1::int, hashtext(current_schema()))", [LEADER_LOCK_CLASS])
          .catch(() => undefined);
      }
      drop(c);
    },
  };
}
