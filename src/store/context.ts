/**
 * What a repository is built from: the query handle it runs on (the store's pool or one open
 * transaction's connection), the dialect, the clock, and how to run several statements atomically.
 * Internal to src/store.
 */
import type { Db } from "./db.js";
import { StoreInputError } from "./errors.js";
import type { EventSubscriber, StoreDialect, Tx } from "./types.js";

export interface RepoContext {
  /** The query handle; read at every query (the store's checks that it is not used inside a transaction). */
  readonly db: Db;
  readonly dialect: StoreDialect;
  readonly now: () => number;
  /** A new row id (ids.ts). */
  newId(): string;
  readonly inTransaction: boolean;
  /** Runs `fn` atomically: in a new transaction, or in the current one when inside one. */
  run<T>(fn: (tx: Tx, ctx: RepoContext) => Promise<T>): Promise<T>;
  /** The current `onEvent` subscribers. */
  subscribers(): readonly EventSubscriber[];
}

/** A page size: `fallback` when not given, refused outside 1…`max`. */
export function limitOf(limit: number | undefined, fallback: number, max = 1000): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > max)
    throw new StoreInputError(`limit must be an integer from 1 to ${max}, got ${limit}`);
  return limit;
}
