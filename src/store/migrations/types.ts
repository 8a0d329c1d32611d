/**
 * A migration: one numbered step of the store's one schema history, written in code (Kysely's
 * schema builder) so the same step runs on SQLite and PostgreSQL. Column types come from
 * `columnTypes(dialect)` (columns.ts), never written per dialect by hand.
 *
 * Invariants: versions are 1, 2, 3 … without gaps, in order; a released migration is never edited
 * (add a new one); `up` runs inside the migrator's transaction and must not commit.
 */
import type { Kysely } from "kysely";
import type { StoreDialect } from "../types.js";

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<unknown>, dialect: StoreDialect): Promise<void>;
}
