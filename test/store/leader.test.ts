/**
 * Leadership on both stores. SQLite: one process per file (a second one, in this process or
 * another, is refused with the holder's pid; a SIGKILLed holder leaves no stale lock; readers read
 * while the engine holds it). PostgreSQL: an advisory lock on a dedicated connection — a follower
 * takes over within 15 s when the leader releases, is SIGKILLed, or has its backend terminated, and
 * the leader's `onLost` fires before anything else.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer, type Socket, connect as tcpConnect } from "node:net";
import { hostname } from "node:os";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { StoreLockedError } from "../../src/store/errors.js";
import {
  acquireLeadership,
  currentLeader,
  LEADER_LOCK_CLASS,
  type Leadership,
} from "../../src/store/leader.js";
import { openStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/types.js";
import { pgAdmin, type StoreHome, storeHome } from "./helpers.js";

const CHILD = fileURLToPath(new URL("./fixtures/leader-child.ts", import.meta.url));
const TSX = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
/** The bound on a takeover. */
const TAKEOVER_MS = 15_000;

interface Child {
  proc: ChildProcess;
  lines: Record<string, unknown>[];
  waitFor(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
}

const children: Child[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.proc.kill("SIGKILL");
  for (const f of cleanups.splice(0).reverse()) await f();
});

function startChild(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ["--import", TSX, CHILD], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  let buf = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    buf += chunk.toString("utf8");
    let i = buf.indexOf("\n");
    while (i >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
      buf = buf.slice(i + 1);
      i = buf.indexOf("\n");
    }
    for (const l of listeners) l();
  });
  const child: Child = {
    proc,
    lines,
    waitFor(event, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = lines.find((l) => l.event === event);
          if (hit) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(
              `child ${proc.pid}: no "${event}" within ${timeoutMs} ms; saw ${JSON.stringify(lines)}`,
            ),
          );
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
  };
  children.push(child);
  return child;
}

function killed(c: Child): Promise<void> {
  return new Promise((resolve) => {
    if (c.proc.exitCode !== null || c.proc.signalCode !== null) return resolve();
    c.proc.once("exit", () => resolve());
    c.proc.kill("SIGKILL");
  });
}

async function home(dialect: "sqlite" | "postgres"): Promise<StoreHome> {
  const h = await storeHome(dialect);
  cleanups.push(() => h.dispose());
  return h;
}

/** Resolves when `predicate` holds, polling; rejects after `timeoutMs` (a hang guard, not a speed check). */
async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function lead(store: Store, instanceId: string, events: string[], extra: { retryMs?: number } = {}) {
  return acquireLeadership(store, {
    instanceId,
    retryMs: extra.retryMs ?? 100,
    onLost: (reason) => events.push(`${instanceId}:lost:${reason}`),
    onAcquired: () => events.push(`${instanceId}:leader`),
  });
}

describe("SQLite: one process per database file", () => {
  it("a second user in the same process is refused, naming the file and the holder; release frees it", async () => {
    const h = await home("sqlite");
    const a = await h.open();
    const b = await h.open();
    const events: string[] = [];
    const la = await lead(a, "a", events);
    expect(la.isLeader).toBe(true);
    const err = await lead(b, "b", events).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toBe(
      `another atp (pid ${process.pid} on ${hostname()}) is using ${a.location}; stop it first`,
    );
    expect(await currentLeader(b)).toMatchObject({ pid: process.pid, instanceId: "a" });
    await la.release();
    const lb = await lead(b, "b", events);
    expect(lb.isLeader).toBe(true);
    await lb.release();
    expect(events).toEqual(["a:leader", "b:leader"]);
  });

  it("another process is refused while the engine holds the file, readers still read, and SIGKILL leaves no stale lock", async () => {
    const h = await home("sqlite");
    const engine = startChild({ STORE_URL: "", DATA_DIR: h.dataDir, INSTANCE: "engine", WRITE: "1" });
    const wrote = await engine.waitFor("wrote");
    // a second engine process: refused with exit 2 and the holder's pid
    const second = startChild({ STORE_URL: "", DATA_DIR: h.dataDir, INSTANCE: "second" });
    const refused = await second.waitFor("error");
    expect(refused.message).toBe(
      `another atp (pid ${wrote.pid} on ${hostname()}) is using ${h.dataDir}/atp.db; stop it first`,
    );
    await new Promise((r) => second.proc.once("exit", r));
    expect(second.proc.exitCode).toBe(2);
    // a reader (`atp orders`) in this process reads what the engine wrote, while the engine holds the lock
    const reader = await h.open();
    const page = await reader.orders.page();
    expect(page.items.map((o) => o.clientOid)).toEqual([`atp-child-${wrote.pid}`]);
    await expect(lead(reader, "reader", [])).rejects.toBeInstanceOf(StoreLockedError);
    // SIGKILL: the OS releases the lock
    await killed(engine);
    const l = await lead(reader, "after", []);
    expect(l.isLeader).toBe(true);
    await l.release();
  });
});

describe("PostgreSQL: advisory lock on a dedicated connection", () => {
  it("two stores in one process: one leads, the other follows and takes over when the leader releases", async () => {
    const h = await home("postgres");
    const a = await h.open();
    const b = await h.open();
    const events: string[] = [];
    const la = await lead(a, "a", events);
    const lb = await lead(b, "b", events);
    cleanups.push(
      () => la.release(),
      () => lb.release(),
    );
    expect([la.isLeader, lb.isLeader]).toEqual([true, false]);
    expect(await currentLeader(b)).toMatchObject({ instanceId: "a", pid: process.pid });
    await la.release();
    await Promise.race([
      lb.whenLeader(),
      new Promise((_, rej) => setTimeout(() => rej(new Error("no takeover")), TAKEOVER_MS)),
    ]);
    expect(lb.isLeader).toBe(true);
    expect(events).toEqual(["a:leader", "b:leader"]); // a release is not a loss
    expect(await currentLeader(a)).toMatchObject({ instanceId: "b" });
  });

  it("the leader's backend terminated: onLost fires first, then exactly one leader within 15 s", async () => {
    const h = await home("postgres");
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const a = await openStore({
      url: h.url,
      dataDir: h.dataDir,
      logger: createLogger({ destination: sink, pretty: false }),
      now: h.clock.now,
    });
    cleanups.push(() => a.close());
    const b = await h.open();
    const events: string[] = [];
    let la: Leadership | undefined;
    let seenAtLoss: { logLines: number; isLeader: boolean | undefined } | undefined;
    la = await acquireLeadership(a, {
      instanceId: "a",
      retryMs: 100,
      onLost: (reason) => {
        seenAtLoss = {
          logLines: lines.filter((l) => l.includes("leadership lost")).length,
          isLeader: la?.isLeader,
        };
        events.push(`a:lost:${reason}`);
      },
      onAcquired: () => events.push("a:leader"),
    });
    const lb = await lead(b, "b", events);
    cleanups.push(
      () => la.release(),
      () => lb.release(),
    );
    expect(la.isLeader).toBe(true);
    const schema = new URL(h.url!).searchParams.get("options")!.replace("-c search_path=", "");
    const terminated = await pgAdmin(async (c) => {
      const r = await c.query<{ pid: number }>(
        `select pid from pg_locks where locktype = 'advisory' and granted and classid = $1::int8::oid
           and objid = (hashtext($2)::int8 & 4294967295)::oid and objsubid = 2`,
        [LEADER_LOCK_CLASS, schema],
      );
      expect(r.rows).toHaveLength(1);
      await c.query("select pg_terminate_backend($1)", [r.rows[0]!.pid]);
      return r.rows[0]!.pid;
    });
    expect(terminated).toBeGreaterThan(0);
    await until(() => events.some((e) => e.startsWith("a:lost:")), TAKEOVER_MS, "the leader notices");
    expect(seenAtLoss).toEqual({ logLines: 0, isLeader: false }); // before the log line, already not leader
    await until(() => events.filter((e) => e.endsWith(":leader")).length === 2, TAKEOVER_MS, "a new leader");
    expect([la.isLeader, lb.isLeader].filter(Boolean)).toHaveLength(1);
  });

  it("a leader cut off from the database (keep-alives unanswered) stops first; the server frees the lock for a follower", async () => {
    const h = await home("postgres");
    // a loopback TCP relay to the server that can stop forwarding: a network partition
    const sockets = new Set<Socket>();
    let blackhole = false;
    const relay = createServer((client) => {
      const upstream = tcpConnect(5432, "127.0.0.1");
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        sockets.add(from);
        from.on("data", (d) => {
          if (!blackhole) to.write(d);
        });
        from.on("error", () => undefined);
        from.on("close", () => {
          if (!blackhole) to.destroy(); // a partition: the server does not hear the close either
        });
      }
    });
    await new Promise<void>((r) => relay.listen(0, "127.0.0.1", r));
    cleanups.push(async () => {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => relay.close(r));
    });
    const port = (relay.address() as { port: number }).port;
    const viaRelay = h.url!.replace("127.0.0.1:5432", `127.0.0.1:${port}`);
    const a = await openStore({
      url: viaRelay,
      dataDir: h.dataDir,
      logger: createLogger({ level: "silent", pretty: false }),
      now: h.clock.now,
    });
    cleanups.push(() => a.close());
    const b = await h.open();
    const events: string[] = [];
    const la = await acquireLeadership(a, {
      instanceId: "a",
      retryMs: 100,
      keepAliveMs: 200,
      keepAliveTimeoutMs: 500,
      idleSessionTimeoutMs: 2000,
      onLost: (reason) => events.push(`a:lost:${reason}`),
    });
    const lb = await acquireLeadership(b, {
      instanceId: "b",
      retryMs: 100,
      onLost: () => events.push("b:lost"),
      onAcquired: () => events.push("b:leader"),
    });
    cleanups.push(
      () => la.release(),
      () => lb.release(),
    );
    expect([la.isLeader, lb.isLeader]).toEqual([true, false]);
    blackhole = true;
    await until(() => events.includes("b:leader"), TAKEOVER_MS, "a follower leads");
    expect(events).toEqual(["a:lost:keepalive_failed", "b:leader"]); // the cut-off leader stopped before the lock moved
    expect(la.isLeader).toBe(false);
  });

  it("two processes: SIGKILL of the leader, the follower leads within 15 s", async () => {
    const h = await home("postgres");
    const first = startChild({ STORE_URL: h.url!, INSTANCE: "first", RETRY_MS: "200" });
    expect(await first.waitFor("started")).toMatchObject({ isLeader: true });
    const second = startChild({ STORE_URL: h.url!, INSTANCE: "second", RETRY_MS: "200" });
    expect(await second.waitFor("started")).toMatchObject({ isLeader: false });
    await killed(first);
    const t0 = Date.now();
    await second.waitFor("leader", TAKEOVER_MS);
    expect(Date.now() - t0).toBeLessThan(TAKEOVER_MS);
  });
});
