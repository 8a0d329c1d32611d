/**
 * One crash run: `kills` times start `atp start`, wait until ready, drop a BUY (or a SELL) into the
 * store's inbox, wait until the store shows the phase this kill targets for that signal (placement,
 * confirmation, protection, exit; kill-points.ts) plus a random delay, SIGKILL it and note the
 * phase(s) the store shows; then start it a last time, let it run until the store is settled
 * (every intent final, every lot protected or closed, every open order of ours confirmed by its
 * exchange order id; bounded), stop it with SIGTERM and compare
 * the emulator's ledger with the store (ledger-checks.ts).
 *
 * Invariants:
 * - The kill points and the signals come from a seeded Rng: the seed is in the result and in every
 *   failure message.
 * - The phase of a kill is read from the store after the process is gone: it is exactly what the
 *   process had committed when it died.
 * - Within the protection deadline after the last restart every filled entry is protected, closed
 *   or being flattened (FLATTENING, `protection.failed` raised); at the end every lot is CLOSED or
 *   PROTECTED with live legs (ledger-checks.ts).
 * - The waits are real (the processes and the emulator are real); each is bounded.
 */
import { Rng } from "../../src/emulator/rng.js";
import { isFinalOrder } from "../../src/store/vocabulary.js";
import { inboxTrace } from "../../src/trading/inbox.js";
import type { CliBundle } from "../helpers/cli-bundle.js";
import { AtpProcess } from "./atp-process.js";
import { awaitKillPoint, type KillTarget, planKill } from "./kill-points.js";
import { crashViolations } from "./ledger-checks.js";
import { CRASH_PHASES, type CrashPhase, phasesOf, readSnapshot, type StoreSnapshot } from "./snapshot.js";
import {
  CRASH_STALE_MS as ATTEMPT_STALE_MS,
  CRASH_PROTECTION,
  CRASH_SYMBOL,
  type CrashWorld,
} from "./world.js";

export interface CrashRunResult {
  seed: number;
  kills: number;
  /** How many kills landed in each phase (a kill may show several phases). */
  phases: Record<CrashPhase, number>;
  signals: { BUY: number; SELL: number };
  /** Per target: how many kills aimed at it, and how many saw it in the store before the kill. */
  targets: Record<KillTarget, { aimed: number; reached: number }>;
  readyMs: number[];
  /** From the last `ready` to every filled entry protected or closed. */
  lotsMs: number;
  /** From the last `ready` to a settled store (every intent final, nothing in doubt). */
  settleMs: number;
  /** Attempts in doubt when the lots were settled (they wait for their stale instant). */
  inDoubt: number;
  /** Lots being flattened (not yet closed) when the lots were settled. */
  flattening: number;
  stopCode: number | null;
  wallMs: number;
  violations: string[];
  /** The last process's output (evidence). */
  lastOutput: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const inDoubt = (o: { status: string }) => o.status === "PENDING_SUBMIT" || o.status === "UNKNOWN";

/**
 * By the deadline every lot whose entry filled is protected, closed, or being flattened (FLATTENING:
 * `protection.failed` raised, the market sell under way — it may have to wait for an attempt in
 * doubt to turn stale first; `settled()` then requires it CLOSED). An entry in doubt is not filled yet.
 */
function lotsSettled(s: StoreSnapshot): boolean {
  return s.lots.every(
    (l) =>
      l.status === "CLOSED" ||
      l.status === "OPENING" ||
      (l.status === "OPEN" && (l.protection === "PROTECTED" || l.protection === "FLATTENING")),
  );
}

/**
 * Every intent final, nothing in doubt, every lot closed or protected, and every open order of
 * ours confirmed (its exchange order id known: an OCO's answer names only its list, the legs' ids
 * come with their first update or poll) — what the ledger check then compares.
 */
function settled(s: StoreSnapshot): boolean {
  if ([...s.intents.values()].some((i) => !["BLOCKED", "DONE", "FAILED"].includes(i.status))) return false;
  if (s.orders.some(inDoubt)) return false;
  if (s.orders.some((o) => !o.external && !isFinalOrder(o) && !o.exchangeOrderId)) return false;
  return s.lots.every((l) => l.status === "CLOSED" || (l.status === "OPEN" && l.protection === "PROTECTED"));
}

async function signal(world: CrashWorld, side: "BUY" | "SELL"): Promise<string> {
  const row = await world.store.signals.insert({
    symbol: CRASH_SYMBOL,
    side,
    source: "cli",
    strategy: "manual",
    trace: inboxTrace({ amountUsd: "50", actor: "operator:crash-test" }),
  });
  return row.id;
}

export async function crashRun(world: CrashWorld, bundle: CliBundle, kills: number): Promise<CrashRunResult> {
  const t0 = performance.now();
  const rng = new Rng(world.seed, "crash-kills");
  const phases = Object.fromEntries(CRASH_PHASES.map((p) => [p, 0])) as Record<CrashPhase, number>;
  const signals = { BUY: 0, SELL: 0 };
  const targets = Object.fromEntries(
    (["placement", "confirmation", "protection", "exit", "resume"] as const).map((t) => [
      t,
      { aimed: 0, reached: 0 },
    ]),
  ) as Record<KillTarget, { aimed: number; reached: number }>;
  const readyMs: number[] = [];
  const offset = rng.int(0, 7);
  for (let k = 0; k < kills; k++) {
    const plan = planKill(rng, k, offset);
    const p = AtpProcess.spawn(bundle, world.env);
    readyMs.push(await p.ready());
    let signalId: string | undefined;
    if (plan.side) {
      signalId = await signal(world, plan.side);
      signals[plan.side]++;
    }
    const { reached } = await awaitKillPoint(world.store, signalId, plan);
    targets[plan.target].aimed++;
    if (reached) targets[plan.target].reached++;
    await p.kill();
    const shown = phasesOf(await readSnapshot(world.store));
    for (const ph of shown) phases[ph]++;
    if (process.env.ATP_CRASH_TRACE)
      console.log(
        `kill ${k}: ready ${Math.round(readyMs[k] ?? 0)} ms, aimed ${plan.target}${reached ? "" : " (not reached)"} +${plan.delayMs} ms, store showed ${[...shown].join("+")}; ${p.output.split("\n").find((l) => l.includes("ready ("))}`,
      );
  }
  const last = AtpProcess.spawn(bundle, world.env);
  readyMs.push(await last.ready());
  const tReady = Date.now();
  // A: every filled entry protected or closed, within the protection deadline (+ a margin for I/O)
  const lotsBy = tReady + CRASH_PROTECTION.deadlineS * 1000 + 2_000;
  let snap = await readSnapshot(world.store);
  while (!lotsSettled(snap) && Date.now() < lotsBy + 10_000) {
    await sleep(100);
    snap = await readSnapshot(world.store);
  }
  const lotsMs = Date.now() - tReady;
  const flattening = snap.lots.filter((l) => l.status === "OPEN" && l.protection === "FLATTENING").length;
  // B: everything final; an attempt in doubt is called absent only at its stale instant, and what
  // waited for it (a flatten, an entry's failure) follows; the bound is generous (a passing run
  // ends as soon as the store is settled)
  const doubt = snap.orders.filter(inDoubt).length;
  const cap = lotsBy + ATTEMPT_STALE_MS + 20_000;
  while (!settled(snap) && Date.now() < cap) {
    await sleep(100);
    snap = await readSnapshot(world.store);
  }
  const settleMs = Date.now() - tReady;
  const stopCode = await last.stop();
  const violations = crashViolations(world.emulator.admin.orders(), await readSnapshot(world.store));
  if (tReady + lotsMs > lotsBy)
    violations.push(
      `filled entries were not all protected or closed within the protection deadline (${CRASH_PROTECTION.deadlineS} s) after the last restart: ${lotsMs} ms`,
    );
  return {
    seed: world.seed,
    kills,
    phases,
    signals,
    targets,
    readyMs,
    lotsMs,
    settleMs,
    inDoubt: doubt,
    flattening,
    stopCode,
    wallMs: performance.now() - t0,
    violations,
    lastOutput: last.output,
  };
}

/** One line for the log: figures of a run. */
export function crashSummary(dialect: string, r: CrashRunResult): string {
  const sorted = [...r.readyMs].sort((a, b) => a - b);
  const q = (f: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))] ?? 0);
  const ph = CRASH_PHASES.map((p) => `${p} ${r.phases[p]}`).join(", ");
  const aimed = Object.entries(r.targets)
    .map(([t, v]) => `${t} ${v.reached}/${v.aimed}`)
    .join(", ");
  return `crash ${dialect}: seed ${r.seed}, ${r.kills} kills (store showed: ${ph}; targets reached/aimed: ${aimed}), signals BUY ${r.signals.BUY} SELL ${r.signals.SELL}, start-to-ready p50 ${q(0.5)} ms p90 ${q(0.9)} ms max ${q(1)} ms, lots settled ${r.lotsMs} ms and everything ${r.settleMs} ms after the last start (then ${r.inDoubt} attempts in doubt, ${r.flattening} lots flattening), wall ${Math.round(r.wallMs / 1000)} s`;
}
