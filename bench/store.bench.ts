/**
 * Intent + order writes per second on SQLite and on PostgreSQL. One write is what the pipeline does
 * before an exchange call: ONE transaction that creates an intent (idempotency key), takes its next
 * attempt number and inserts the attempt's order row, committed durably (SQLite synchronous=FULL:
 * fsync per commit; PostgreSQL synchronous_commit=on). No target (issue 10: the figure goes in the
 * report).
 *
 * The floor, in the same run on the same database: the driver alone (better-sqlite3 / pg) running
 * BEGIN, two INSERTs (the intent and the order row) and COMMIT. atp's write also reads the intent
 * back (idempotency), increments the attempt and maps every value through the codecs.
 * Rows: one writer at a time (the leader's per-symbol queues are serial per symbol), and 8 in
 * flight (8 symbols at once; SQLite serialises them on its one connection).
 */
import { tmpdir } from "node:os";
import Database from "better-sqlite3";
import pg from "pg";
import { createLogger } from "../src/log/logger.js";
import { internalsOf } from "../src/store/internals.js";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/types.js";
import { dec } from "../src/util/decimal.js";
import { type BenchSection, fmt } from "./lib.js";
import { inPgSchema, inTempDir } from "./scratch-stores.js";

const SECONDS = Number(process.env.ATP_BENCH_STORE_SECONDS ?? "1");
/** Rounds, interleaved across the cases of a dialect (fsync time drifts with the disk's load): the median counts. */
const ROUNDS = 5;

interface Row {
  name: string;
  writes: number;
  seconds: number;
}

let seq = 0;
const key = () => `bench-${process.pid}-${++seq}`;

interface Case {
  name: string;
  inFlight: number;
  write: () => Promise<void>;
}

/** Each case once per round, rounds interleaved; per case the median round. */
async function measureCases(cases: Case[]): Promise<Row[]> {
  for (const c of cases) {
    const warmEnd = performance.now() + 200;
    while (performance.now() < warmEnd) await c.write();
  }
  const rounds: Row[][] = cases.map(() => []);
  for (let r = 0; r < ROUNDS; r++)
    for (const [i, c] of cases.entries()) rounds[i]!.push(await measureWrites(c.name, c.inFlight, c.write));
  return rounds.map(
    (rs) => [...rs].sort((a, b) => a.writes / a.seconds - b.writes / b.seconds)[rs.length >> 1]!,
  );
}

/** Runs `write` with `inFlight` concurrent loops for SECONDS. */
async function measureWrites(name: string, inFlight: number, write: () => Promise<void>): Promise<Row> {
  let writes = 0;
  const start = performance.now();
  const end = start + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await write();
        writes++;
      }
    }),
  );
  return { name, writes, seconds: (performance.now() - start) / 1000 };
}

function atpWrite(store: Store): () => Promise<void> {
  return () =>
    store.transaction(async (tx) => {
      const r = await tx.intents.create({
        idempotencyKey: key(),
        kind: "ENTRY",
        symbol: "BTC_USD",
        side: "BUY",
        mode: "DRY_RUN",
        amountUsd: dec("100"),
        guardTrace: { guards: ["LIVE_TRADING_OFF"] },
        actor: "bench",
      });
      if (!r.created) throw new Error("duplicate key");
      const attempt = await tx.intents.nextAttempt(r.intent.id);
      await tx.orders.insertAttempt({
        intentId: r.intent.id,
        attempt,
        clientOid: `atp-${r.intent.id}-${attempt}`,
        symbol: "BTC_USD",
        side: "BUY",
        type: "MARKET",
        role: "ENTRY",
        mode: "DRY_RUN",
        notional: dec("100"),
      });
    });
}

const INTENT_SQL =
  "insert into intents (id, idempotency_key, kind, symbol, side, mode, amount_usd, status, attempt, guard_trace, actor, created_at, updated_at) values ";
const ORDER_SQL =
  "insert into orders (id, intent_id, attempt, client_oid, symbol, side, type, role, status, notional, filled_quantity, fee, mode, raw, external, created_at, updated_at) values ";

function intentParams(id: string, now: number) {
  return [
    id,
    key(),
    "ENTRY",
    "BTC_USD",
    "BUY",
    "DRY_RUN",
    "100",
    "NEW",
    1,
    '{"guards":[]}',
    "bench",
    now,
    now,
  ];
}
function orderParams(id: string, now: number) {
  return [
    `o${id}`,
    id,
    1,
    `atp-${id}`,
    "BTC_USD",
    "BUY",
    "MARKET",
    "ENTRY",
    "PENDING_SUBMIT",
    "100",
    "0",
    "0",
    "DRY_RUN",
    "null",
    0,
    now,
    now,
  ];
}
const placeholders = (n: number, pgStyle: boolean) =>
  `(${Array.from({ length: n }, (_, i) => (pgStyle ? `$${i + 1}` : "?")).join(", ")})`;

function sqliteFloor(file: string): { write: () => Promise<void>; close: () => void } {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  const insIntent = db.prepare(INTENT_SQL + placeholders(13, false));
  const insOrder = db.prepare(ORDER_SQL + placeholders(17, false));
  const begin = db.prepare("begin immediate");
  const commit = db.prepare("commit");
  let n = 0;
  return {
    async write() {
      const id = `floor-${process.pid}-${++n}`;
      const now = Date.now();
      begin.run();
      insIntent.run(...intentParams(id, now));
      insOrder.run(...orderParams(id, now));
      commit.run();
    },
    close: () => db.close(),
  };
}

async function pgFloor(url: string): Promise<{ write: () => Promise<void>; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  let n = 0;
  return {
    async write() {
      const id = `floor-${process.pid}-${++n}`;
      const now = Date.now();
      const c = await pool.connect();
      try {
        await c.query("begin");
        await c.query(INTENT_SQL + placeholders(13, true), intentParams(id, now));
        await c.query(ORDER_SQL + placeholders(17, true), orderParams(id, now));
        await c.query("commit");
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}

const logger = createLogger({ level: "silent", pretty: false });

async function sqliteRows(): Promise<Row[]> {
  return inTempDir("atp-bench-store-", async (dir) => {
    const store = await openStore({ dataDir: dir, logger, now: Date.now });
    const floor = sqliteFloor(internalsOf(store).location);
    const rows = await measureCases([
      { name: "SQLite floor: driver BEGIN IMMEDIATE, 2 INSERTs, COMMIT", inFlight: 1, write: floor.write },
      { name: "SQLite atp: intent + attempt + order row, 1 in flight", inFlight: 1, write: atpWrite(store) },
      { name: "SQLite atp: 8 in flight", inFlight: 8, write: atpWrite(store) },
    ]);
    floor.close();
    await store.close();
    return rows;
  });
}

function pgRows(): Promise<Row[] | string> {
  return inPgSchema(`atp_bench_${process.pid}`, async (url) => {
    const store = await openStore({ url, dataDir: tmpdir(), logger, now: Date.now });
    const floor = await pgFloor(url);
    const rows = await measureCases([
      { name: "PostgreSQL floor: driver BEGIN, 2 INSERTs, COMMIT", inFlight: 1, write: floor.write },
      {
        name: "PostgreSQL atp: intent + attempt + order row, 1 in flight",
        inFlight: 1,
        write: atpWrite(store),
      },
      { name: "PostgreSQL floor: 8 in flight", inFlight: 8, write: floor.write },
      { name: "PostgreSQL atp: 8 in flight", inFlight: 8, write: atpWrite(store) },
    ]);
    await floor.close();
    await store.close();
    return rows;
  });
}

export async function run(): Promise<BenchSection> {
  const rows: Row[] = await sqliteRows();
  const pgResult = await pgRows();
  const pgNote = typeof pgResult === "string" ? pgResult : undefined;
  if (typeof pgResult !== "string") rows.push(...pgResult);
  const rate = (r: Row) => r.writes / r.seconds;
  const find = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
  const lines = ["| case | writes/s | ms/write | × floor time |", "|---|---:|---:|---:|"];
  for (const r of rows) {
    const floor = find(r.name.startsWith("SQLite") ? "SQLite floor" : "PostgreSQL floor");
    const ratio = floor && floor !== r && r.name.includes("1 in flight") ? fmt(rate(floor) / rate(r), 2) : "";
    lines.push(`| ${r.name} | ${fmt(rate(r))} | ${fmt(1000 / rate(r), 2)} | ${ratio} |`);
  }
  const sqliteAtp = find("SQLite atp: intent");
  const pgAtp = find("PostgreSQL atp: intent");
  const markdown = [
    "One write = one transaction creating an intent, taking its attempt number and inserting the",
    `attempt's order row, committed durably before the exchange call would be made; median of ${ROUNDS} interleaved`,
    `rounds of ${SECONDS} s per case (commit time is an fsync, which drifts with the disk's load).`,
    "The floor is the driver alone running two INSERTs in one transaction on the same database.",
    "",
    ...lines,
    "",
    `Intent + order writes per second (1 in flight): SQLite **${sqliteAtp ? fmt(rate(sqliteAtp)) : "—"}**, ` +
      `PostgreSQL **${pgAtp ? fmt(rate(pgAtp)) : "—"}**. No target (issue 10).`,
    ...(pgNote ? ["", pgNote] : []),
  ].join("\n");
  return { title: "Store writes (intent + order)", markdown, targetsMet: true };
}
