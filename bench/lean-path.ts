/**
 * The least work the entry path's contract requires, done as leanly as this machine allows: what
 * tick-to-order could cost if atp did nothing else. It tells a path that is slow apart from a
 * machine that is: when this floor misses the target, no implementation on this disk meets it.
 *
 * Each order, one clock (`process.hrtime.bigint()`):
 * - reads: the five reads of the decision (settings, the watchlist row, the lots, the open intents,
 *   the day's entry values) as prepared better-sqlite3 statements in one synchronous read
 *   transaction, on the store's real schema (a store migrated by `openStore`);
 * - commit: the signal row, the intent, its attempt row and one event in one synchronous
 *   transaction, `synchronous=FULL` (one fsync of the WAL, the store's durability);
 * - request: the create-order's params, `sign()`, `JSON.stringify` and an undici request to the
 *   emulator over loopback, up to its body handed to the socket (`undici:request:bodySent`).
 * No Kysely, no promises between the steps, no guard logic, no decoding of what is read. The WAL is
 * grown before the run and checkpointed (RESTART), so no commit of the run extends the file: every
 * advantage goes to the floor.
 *
 * With `ingress` (the webhook's floor): each order starts as a webhook — an undici POST of the
 * webhook's JSON body to a plain `node:http` server of this process on loopback, whose handler
 * reads the body, `JSON.parse`s it, compares the secret's SHA-256 digest (`timingSafeEqual`) and then
 * runs the steps above synchronously, answering 202 after the create-order is handed to undici. The
 * clock then starts at the webhook body handed to the socket (`bodySent`), as the webhook bench's does.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Client } from "undici";
import { sign } from "../src/exchange/cryptocom/signing.js";
import type { Logger } from "../src/log/logger.js";
import { openStore } from "../src/store/open.js";
import { pct } from "./lib.js";
import { tradingOneSymbol } from "./scratch-stores.js";

export interface LeanFigures {
  total: { p50: number; p99: number; max: number };
  commit: { p50: number; p99: number };
  request: { p50: number; p99: number };
  reads: { p50: number };
  /** With `ingress`: from the webhook body handed to the socket to the handler's first step. */
  ingress?: { p50: number; p99: number };
}

const SYMBOL = "BTC_USD";
const DAY_MS = 86_400_000;
const hr = () => process.hrtime.bigint();
/** Order `k`'s time: 2.5 h apart, so the day's reads stay small. */
const orderTime = (k: number) => 1_800_000_000_000 + k * 9_000_000;
const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;

const HOOK_PATH = "/lean-webhook";
const HOOK_SECRET = "lean-webhook-secret-0123456789";
let bodySent = 0n;
let hookSent = 0n;
let subscribed = false;

/** A store file migrated by atp itself, with the bench's watchlist row and live trading on. */
async function migratedStore(dir: string, logger: Logger): Promise<string> {
  const store = await openStore({ dataDir: dir, logger, now: () => Date.now() });
  await tradingOneSymbol(store, SYMBOL);
  await store.close();
  return join(dir, "atp.db");
}

/** Grows the WAL to about 32 MiB and restarts it: the run's commits overwrite WAL space, never extend it. */
function growWal(db: Database.Database): void {
  db.exec("create table bench_wal_fill (x text)");
  const fill = db.prepare("insert into bench_wal_fill values (?)");
  const page = "x".repeat(3_900);
  const batch = db.transaction(() => {
    for (let j = 0; j < 10; j++) fill.run(page);
  });
  for (let i = 0; i < 800; i++) batch();
  db.exec("drop table bench_wal_fill");
  db.pragma("wal_checkpoint(RESTART)");
}

function statements(db: Database.Database) {
  const marks = (n: number) => Array.from({ length: n }, () => "?").join(",");
  return {
    settings: db.prepare('select "key", "value", "updated_at" from "settings"'),
    watch: db.prepare('select * from "watchlist" where "symbol" = ?'),
    lots: db.prepare('select * from "lots" where ("status" in (?, ?, ?) or "closed_at" >= ?) and "mode" = ?'),
    intents: db.prepare(
      'select * from "intents" where "status" in (?, ?, ?, ?) and "mode" = ? order by "created_at", "id"',
    ),
    values: db.prepare(
      'select "created_at", "notional", "quantity", "price", "avg_price", "ref_price" from "orders" where "symbol" = ? and "role" = ? and "created_at" >= ?',
    ),
    signal: db.prepare(
      `insert into "signals" ("id", "symbol", "side", "source", "strategy", "price", "candle_time", "received_at", "trace", "status", "reason_code", "intent_id") values (${marks(12)})`,
    ),
    intent: db.prepare(
      `insert into "intents" ("id", "idempotency_key", "kind", "symbol", "side", "mode", "amount_usd", "quantity", "status", "reason_code", "attempt", "lot_id", "signal_id", "guard_trace", "actor", "created_at", "updated_at") values (${marks(17)})`,
    ),
    order: db.prepare(
      `insert into "orders" ("id", "intent_id", "attempt", "client_oid", "exchange_order_id", "list_id", "symbol", "side", "type", "role", "parent_id", "lot_id", "status", "quantity", "notional", "price", "ref_price", "filled_quantity", "avg_price", "fee", "fee_currency", "reason", "mode", "raw", "external", "created_at", "updated_at", "exchange_time") values (${marks(28)})`,
    ),
    event: db.prepare('insert into "events" ("at", "kind", "symbol", "payload") values (?, ?, ?, ?)'),
  };
}

/**
 * `orders` lean entries (after `warmup`) against the emulator at `emulatorUrl`, the store in a new
 * directory under `where`; `gapMs` of spinning between two (as the tick-to-order bench does).
 */
export async function leanPathFloor(
  where: string,
  emulatorUrl: string,
  logger: Logger,
  opts: { orders: number; warmup: number; gapMs: number; ingress?: boolean },
): Promise<LeanFigures> {
  if (!subscribed) {
    subscribed = true;
    subscribe("undici:request:bodySent", (m) => {
      if ((m as { request: { path: string } }).request.path === HOOK_PATH) hookSent = hr();
      else bodySent = hr();
    });
  }
  const dir = mkdtempSync(join(where, "atp-bench-lean-"));
  const db = new Database(await migratedStore(dir, logger));
  const url = new URL(emulatorUrl);
  const client = new Client(url.origin);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("wal_autocheckpoint = 0");
    growWal(db);
    const q = statements(db);
    const read = db.transaction((now: number) => {
      q.settings.all();
      q.watch.get(SYMBOL);
      q.lots.all("OPEN", "PROTECTING", "CLOSING", now - DAY_MS, "DEMO");
      q.intents.all("NEW", "READY", "SUBMITTING", "OPEN", "DEMO");
      q.values.all(SYMBOL, "ENTRY", now - DAY_MS);
    });
    const commit = db.transaction((k: number, at: number) => {
      q.signal.run(
        `s${k}`,
        SYMBOL,
        "BUY",
        "strategy",
        "bench",
        "65000",
        at,
        at,
        "{}",
        "ACCEPTED",
        null,
        null,
      );
      q.intent.run(
        ...[`i${k}`, `lean-${k}`, "ENTRY", SYMBOL, "BUY", "DEMO", "10", null, "DONE", null, 1, null],
        ...[`s${k}`, '{"verdict":{"ok":true}}', "engine", at, at],
      );
      q.order.run(
        ...[`o${k}`, `i${k}`, 1, `atp-lean-${k}`, null, null, SYMBOL, "BUY", "MARKET", "ENTRY", null, null],
        ...[
          "PENDING_SUBMIT",
          null,
          "10",
          null,
          "65000",
          "0",
          null,
          "0",
          null,
          null,
          "DEMO",
          "{}",
          0,
          at,
          at,
          null,
        ],
      );
      q.event.run(at, "intent.submitting", SYMBOL, "{}");
    });
    const path = `${url.pathname.replace(/\/$/, "")}/private/create-order`;
    /** The steps, synchronously up to the create-order handed to undici. */
    const entry = (k: number, at: number) => {
      const t0 = hr();
      read(at);
      const t1 = hr();
      commit(k, at);
      const t2 = hr();
      const params = {
        instrument_name: SYMBOL,
        side: "BUY",
        type: "MARKET",
        notional: "10",
        client_oid: `atp-lean-${k}`,
      };
      const nonce = Date.now();
      const sig = sign(
        { method: "private/create-order", id: k, apiKey: "demo-key", params, nonce },
        "demo-secret",
      );
      const body = JSON.stringify({
        id: k,
        method: "private/create-order",
        api_key: "demo-key",
        params,
        nonce,
        sig,
      });
      const answer = client.request({
        method: "POST",
        path,
        body,
        headers: { "content-type": "application/json" },
      });
      return { t0, t1, t2, answer };
    };
    const hook = opts.ingress ? await webhookIngress(entry) : undefined;
    const total: number[] = [];
    const reads: number[] = [];
    const commits: number[] = [];
    const requests: number[] = [];
    const ingress: number[] = [];
    try {
      for (let k = 0; k < opts.warmup + opts.orders; k++) {
        const at = orderTime(k);
        const sent = hr();
        const step = hook ? await hook.send(k) : entry(k, at);
        while (bodySent < step.t2) await new Promise((r) => setImmediate(r));
        const t3 = bodySent;
        await (await step.answer).body.text();
        const t0 = hook ? hookSent : step.t0;
        if (k >= opts.warmup) {
          if (hook && hookSent < sent) throw new Error("lean webhook: its body was not seen sent");
          total.push(ms(t0, t3));
          reads.push(ms(step.t0, step.t1));
          commits.push(ms(step.t1, step.t2));
          requests.push(ms(step.t2, t3));
          ingress.push(ms(t0, step.t0));
        }
        const end = performance.now() + opts.gapMs;
        while (performance.now() < end);
      }
    } finally {
      await hook?.close();
    }
    return {
      total: { p50: pct(total, 50), p99: pct(total, 99), max: Math.max(...total) },
      commit: { p50: pct(commits, 50), p99: pct(commits, 99) },
      request: { p50: pct(requests, 50), p99: pct(requests, 99) },
      reads: { p50: pct(reads, 50) },
      ...(hook ? { ingress: { p50: pct(ingress, 50), p99: pct(ingress, 99) } } : {}),
    };
  } finally {
    await client.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Step<A> = { t0: bigint; t1: bigint; t2: bigint; answer: A };

/**
 * The webhook's least ingress: a `node:http` server on loopback whose handler parses the body,
 * checks the secret's digest and runs `entry` for the signal; `send` posts one webhook (undici) and
 * resolves with its entry's step once the handler ran it (its 202 follows).
 */
async function webhookIngress<A>(entry: (k: number, at: number) => Step<A>) {
  const digest = createHash("sha256").update(HOOK_SECRET).digest();
  let ran: ((step: Step<A>) => void) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const hook = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        secret: string;
        signal_id: string;
      };
      if (!timingSafeEqual(createHash("sha256").update(hook.secret).digest(), digest)) {
        res.writeHead(401).end();
        return;
      }
      const k = Number(hook.signal_id);
      const step = entry(k, orderTime(k));
      res.writeHead(202, { "content-type": "application/json" }).end('{"status":"accepted"}');
      ran?.(step);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const client = new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return {
    async send(k: number): Promise<Step<A>> {
      const body = JSON.stringify({
        secret: HOOK_SECRET,
        symbol: SYMBOL,
        side: "buy",
        amount_usd: "10",
        signal_id: String(k),
      });
      const done = new Promise<Step<A>>((r) => {
        ran = r;
      });
      const res = await client.request({
        method: "POST",
        path: HOOK_PATH,
        body,
        headers: { "content-type": "application/json" },
      });
      await res.body.text();
      if (res.statusCode !== 202) throw new Error(`lean webhook answered ${res.statusCode}`);
      return done;
    },
    async close() {
      await client.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
