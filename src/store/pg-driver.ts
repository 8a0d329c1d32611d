/**
 * The PostgreSQL driver (`pg`), loaded on first use: a SQLite store (the default) never loads it.
 */
import { createRequire } from "node:module";
import type pg from "pg";

let loaded: typeof pg | undefined;

export function pgDriver(): typeof pg {
  loaded ??= createRequire(import.meta.url)("pg") as typeof pg;
  return loaded;
}
