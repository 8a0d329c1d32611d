/**
 * Assembles a `Store` from an open connection: the repositories bound to the store, and the same
 * repositories bound to one transaction for `transaction(fn)`.
 *
 * Invariants:
 * - Inside `transaction(fn)` every write goes through the `tx` passed to `fn`. Using the store
 *   itself there (which would run outside the transaction, and on SQLite wait forever for the
 *   connection the transaction holds) is a programming error; with the misuse checks on
 *   (`enableStoreMisuseChecks()`: the test suite's setup) it throws at once, saying so. They are off
 *   otherwise: telling "inside fn" from "beside it" takes an AsyncLocalStorage, whose hook runs at
 *   every promise the process creates (a fifth of the tick-to-order path's time).
 * - `events.append` runs every `onEvent` subscriber inside the appending transaction, in
 *   subscription order; a subscriber that throws rolls everything back.
 * - `writeVersion(tables)` moves after every committed write to those tables (write-counter.ts:
 *   counted when executed, and again when the transaction that made it has ended).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { DbConnection } from "./connect.js";
import type { RepoContext } from "./context.js";
import type { Db } from "./db.js";
import { StoreError } from "./errors.js";
import { newId } from "./ids.js";
import { auditRepo } from "./repositories/audit.js";
import { eventsRepo } from "./repositories/events.js";
import { fillsRepo } from "./repositories/fills.js";
import { incidentsRepo } from "./repositories/incidents.js";
import { intentsRepo } from "./repositories/intents.js";
import { lotsRepo } from "./repositories/lots.js";
import { ordersRepo } from "./repositories/orders.js";
import { outboxRepo } from "./repositories/outbox.js";
import { reportsRepo } from "./repositories/reports.js";
import { settingsRepo } from "./repositories/settings.js";
import { signalsRepo } from "./repositories/signals.js";
import { throttleRepo } from "./repositories/throttle.js";
import { watchlistRepo } from "./repositories/watchlist.js";
import { webhooksRepo } from "./repositories/webhooks.js";
import { inTransaction } from "./transaction.js";
import type { EventSubscriber, Repositories, Store, TransactionOptions, Tx } from "./types.js";
import type { WriteCounter } from "./write-counter.js";

const REPOSITORIES: { readonly [K in keyof Repositories]: (ctx: RepoContext) => Repositories[K] } = {
  watchlist: watchlistRepo,
  settings: settingsRepo,
  signals: signalsRepo,
  intents: intentsRepo,
  orders: ordersRepo,
  fills: fillsRepo,
  lots: lotsRepo,
  reports: reportsRepo,
  incidents: incidentsRepo,
  events: eventsRepo,
  outbox: outboxRepo,
  audit: auditRepo,
  throttle: throttleRepo,
  webhooks: webhooksRepo,
};

/** Every repository bound to `ctx`, each built when first used (a transaction touches a few). */
function repositories(ctx: RepoContext): Repositories {
  const out = {} as Repositories;
  for (const name of Object.keys(REPOSITORIES) as (keyof Repositories)[]) {
    let repo: Repositories[typeof name] | undefined;
    Object.defineProperty(out, name, {
      enumerable: true,
      get: () => {
        repo ??= REPOSITORIES[name](ctx) as never;
        return repo;
      },
    });
  }
  return out;
}

/** A programming error: the store was used inside one of its own transactions. */
export class StoreMisuseError extends StoreError {
  readonly errorCode = "store.misuse";
  readonly disposition = "fatal";
  constructor() {
    super("the store was used inside store.transaction(fn): use the tx passed to fn (nested calls join it)");
    this.name = "StoreMisuseError";
  }
}

let misuseChecks = false;

/** Turns the store-inside-its-transaction check on for the stores built from now on (tests). */
export function enableStoreMisuseChecks(): void {
  misuseChecks = true;
}

export interface BuildOptions {
  connection: DbConnection;
  schemaVersion: number;
  now: () => number;
  close: () => Promise<void>;
  /** Counts the writes (its plugin is on `connection.db`). */
  writes: WriteCounter;
}

export function buildStore(opts: BuildOptions): Store {
  const { connection, now } = opts;
  const { dialect } = connection;
  const subscribers: EventSubscriber[] = [];
  const current = misuseChecks ? new AsyncLocalStorage<{ open: boolean }>() : undefined;
  const base = { dialect, now, newId: () => newId(now()), subscribers: () => [...subscribers] };

  function transactionOn(conn: Db): { tx: Tx; ctx: RepoContext } {
    const ctx: RepoContext = {
      ...base,
      db: conn,
      inTransaction: true,
      run: (fn) => fn(tx, ctx),
    };
    const tx: Tx = Object.assign(repositories(ctx), {
      transaction: <T>(fn: (t: Tx) => Promise<T>): Promise<T> => fn(tx),
    });
    return { tx, ctx };
  }

  function run<T>(fn: (tx: Tx, ctx: RepoContext) => Promise<T>, txOpts?: TransactionOptions): Promise<T> {
    if (current?.getStore()?.open) return Promise.reject(new StoreMisuseError());
    return opts.writes.transaction((counted) =>
      inTransaction(connection.db, dialect, txOpts?.durability ?? "now", async (conn) => {
        const { tx, ctx } = transactionOn(counted(conn));
        if (!current) return fn(tx, ctx);
        const mark = { open: true };
        try {
          return await current.run(mark, () => fn(tx, ctx));
        } finally {
          mark.open = false;
        }
      }),
    );
  }

  const rootCtx: RepoContext = {
    ...base,
    get db(): Db {
      if (current?.getStore()?.open) throw new StoreMisuseError();
      return connection.db;
    },
    inTransaction: false,
    run,
  };

  let closed: Promise<void> | undefined;
  return {
    ...repositories(rootCtx),
    dialect,
    location: connection.location,
    schemaVersion: opts.schemaVersion,
    transaction: (fn, opts) => run((tx) => fn(tx), opts),
    onEvent(subscriber) {
      subscribers.push(subscriber);
      return () => {
        const i = subscribers.indexOf(subscriber);
        if (i >= 0) subscribers.splice(i, 1);
      };
    },
    writeVersion: (tables) => opts.writes.version(tables),
    newId: base.newId,
    close() {
      closed ??= opts.close();
      return closed;
    },
  };
}
