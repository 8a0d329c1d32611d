/**
 * WAL checkpoints off the event loop (SQLite, the engine's store).
 *
 * better-sqlite3 is synchronous: with SQLite's automatic checkpoint (every 1000 WAL pages) the
 * commit that crosses the threshold copies the pages into the database file and fsyncs it before it
 * returns, on the event loop, and now and then that commit is the one between the guards and a
 * create-order request (docs/benchmarks.md: the tick-to-order tail). `startBackgroundCheckpoints`
 * turns the automatic checkpoint off on the writer's connection and runs `wal_checkpoint(PASSIVE)`
 * from a second connection in a worker thread instead: a PASSIVE checkpoint never blocks the
 * writer (WAL lets one checkpointer and one writer work at once), and the writer restarts the WAL
 * from its beginning once a checkpoint has copied everything.
 *
 * Invariants:
 * - Durability is the writer's (synchronous=FULL on its connection); the checkpointer only moves
 *   committed pages into the database file.
 * - If the worker cannot start or stops by itself, the writer's automatic checkpoint is turned back
 *   on at once (the WAL never grows without bound) and the reason is logged.
 * - `stop()` ends the worker (unref'd: it never keeps the process alive).
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { Logger } from "../log/logger.js";

/** SQLite's own default, restored when the background checkpointer is not running. */
export const WAL_AUTOCHECKPOINT_PAGES = 1000;
export const CHECKPOINT_INTERVAL_MS = 500;

/** What one `wal_checkpoint(PASSIVE)` reported: WAL frames, and how many of them are in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** One checkpoint now, in the worker (what the interval does; tests and `atp backup` wait for it). */
  checkpointNow(): Promise<CheckpointResult>;
  stop(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma("busy_timeout = 5000");
const checkpoint = () => db.pragma("wal_checkpoint(PASSIVE)")[0];
const timer = setInterval(() => {
  try { checkpoint(); } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
}, workerData.intervalMs);
parentPort.on("message", (m) => {
  if (m && m.op === "checkpoint") {
    try { parentPort.postMessage({ id: m.id, result: checkpoint() }); }
    catch (e) { parentPort.postMessage({ id: m.id, error: String(e && e.message || e) }); }
    return;
  }
  if (m !== "stop") return;
  clearInterval(timer);
  try { db.close(); } finally { parentPort.close(); }
});
parentPort.postMessage({ ready: true });
`;

export function startBackgroundCheckpoints(
  writer: Database.Database,
  file: string,
  log: Logger,
  intervalMs = CHECKPOINT_INTERVAL_MS,
  driver = createRequire(import.meta.url).resolve("better-sqlite3"),
): Checkpointer {
  writer.pragma("wal_autocheckpoint = 0");
  let stopping = false;
  const waiting = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  const fallBack = (why: string) => {
    for (const w of waiting.values()) w.reject(new Error(`SQLite checkpoint worker: ${why}`));
    waiting.clear();
    if (stopping) return;
    stopping = true;
    try {
      writer.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    } catch {
      // the writer is closed: nothing left to checkpoint
    }
    log.warn(
      { file, reason: why },
      "SQLite background checkpoints stopped; automatic checkpoints are back on",
    );
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref();
  worker.on("message", (m: { id?: number; result?: CheckpointResult; error?: string }) => {
    const w = m.id !== undefined ? waiting.get(m.id) : undefined;
    if (w && m.id !== undefined) {
      waiting.delete(m.id);
      if (m.result) w.resolve(m.result);
      else w.reject(new Error(`SQLite checkpoint failed: ${m.error}`));
      return;
    }
    if (m.error) log.warn({ file, error: m.error }, "SQLite background checkpoint failed (retried)");
  });
  worker.on("error", (e) => fallBack(e.message));
  worker.on("exit", (code) => fallBack(`the checkpoint worker exited (${code})`));
  return {
    checkpointNow() {
      if (stopping) return Promise.reject(new Error("the SQLite checkpoint worker is not running"));
      const id = nextId++;
      return new Promise<CheckpointResult>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ op: "checkpoint", id });
      });
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((done) => worker.once("exit", () => done()));
      worker.postMessage("stop");
      await Promise.race([exited, new Promise<void>((done) => setTimeout(done, 2000).unref())]);
      await worker.terminate().catch(() => undefined);
    },
  };
}
