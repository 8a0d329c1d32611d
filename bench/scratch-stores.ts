/**
 * Throwaway places for the store benches (bench/store.bench.ts, bench/reconcile.bench.ts): a temp
 * directory for SQLite and a schema of its own on PostgreSQL (ATP_BENCH_PG_URL, default the test
 * database), each removed afterwards; and the trading benches' one-symbol setup.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Store } from "../src/store/types.js";
import { dec } from "../src/util/decimal.js";

export const BENCH_PG_URL = process.env.ATP_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Runs `fn` with a new directory under the OS temp dir (named `prefix…`), removed afterwards. */
export async function inTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `fn` with a connection URL whose search_path is a new schema `schema`, dropped afterwards.
 * PostgreSQL unreachable: a line saying so (the caller reports it instead of the rows).
 */
export async function inPgSchema<T>(schema: string, fn: (url: string) => Promise<T>): Promise<T | string> {
  const admin = new pg.Client({ connectionString: BENCH_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (e) {
    return `PostgreSQL not reachable at ${BENCH_PG_URL} (${e instanceof Error ? e.message : String(e)}): not measured`;
  }
  await admin.query(`create schema ${schema}`);
  const url = `${BENCH_PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  try {
    return await fn(url);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

/** The trading benches' store: live trading on and `symbol` in the watchlist, trading 10 USD. */
export async function tradingOneSymbol(store: Store, symbol: string): Promise<void> {
  await store.settings.set("live_trading", true);
  await store.watchlist.upsert({ symbol, tradeEnabled: true, alertsEnabled: true, amountUsd: dec("10") });
}
