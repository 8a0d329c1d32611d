/**
 * What src/store keeps of a `Store` beside its public face: the Kysely handle and the connection
 * target, for code inside src/store (leadership, tests of the store, the benchmark). Callers
 * outside src/store never see them.
 */
import type { Logger } from "../log/logger.js";
import type { Checkpointer } from "./checkpoint.js";
import type { DbConnection } from "./connect.js";
import type { Store } from "./types.js";

export interface StoreInternals extends DbConnection {
  logger: Logger;
  now: () => number;
  /** SQLite only: the WAL checkpointer (checkpoint.ts). */
  checkpointer?: Checkpointer | undefined;
}

const INTERNALS = new WeakMap<Store, StoreInternals>();

export function setInternals(store: Store, internals: StoreInternals): void {
  INTERNALS.set(store, internals);
}

export function internalsOf(store: Store): StoreInternals {
  const i = INTERNALS.get(store);
  if (!i) throw new TypeError("not a store opened by openStore()");
  return i;
}
