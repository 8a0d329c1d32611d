/**
 * Where a kill lands: each kill targets a phase of the pipeline for the signal it drops into the
 * inbox, watches that signal's own intent in the store, and SIGKILLs the process a random delay
 * after the store first shows the targeted phase — so kills land in placement, confirmation and
 * protection by construction instead of by luck of a fixed delay.
 *
 * Phases of the signal's intent (the store's view, as the process commits it):
 * - placement: the intent NEW / READY / SUBMITTING, or one of its orders PENDING_SUBMIT / UNKNOWN;
 * - confirmation: the intent PLACED (accepted, not final), or its lot OPENING;
 * - protection: its lot OPEN and not PROTECTED (the OCO being placed or resolved);
 * - exit (a SELL): a lot CLOSING.
 *
 * Invariants:
 * - Every choice (target, side, delay) is drawn from the seeded Rng.
 * - Watching is bounded (`WATCH_MS`): a phase the process never shows (an entry blocked, a phase
 *   passed between two polls) ends the watch and the kill happens anyway; `reached` says which.
 * - Reading never writes; the process being killed is never waited on beyond the watch.
 */
import type { Rng } from "../../src/emulator/rng.js";
import type { Store } from "../../src/store/types.js";

export type KillTarget = "placement" | "confirmation" | "protection" | "exit" | "resume";

export interface KillPlan {
  target: KillTarget;
  /** The signal dropped into the inbox (none for `resume`: the kill hits the restart's own work). */
  side: "BUY" | "SELL" | undefined;
  /** Milliseconds between the phase showing and the SIGKILL. */
  delayMs: number;
}

/** How long a kill waits for its target phase to show before killing anyway. */
const WATCH_MS = 4_000;
const POLL_MS = 4;
/** Upper bound of the random delay after the phase shows: a placement lasts a request (~40–200 ms). */
const MAX_DELAY: Record<KillTarget, number> = {
  placement: 40,
  confirmation: 60,
  protection: 60,
  exit: 150,
  resume: 400,
};

/**
 * The targets, in turn (so even a short run covers placement, confirmation and protection twice
 * each): kill `k` aims at `CYCLE[(k + offset) % CYCLE.length]`, the offset drawn once per run.
 */
const CYCLE: readonly KillTarget[] = [
  "placement",
  "confirmation",
  "protection",
  "placement",
  "confirmation",
  "protection",
  "exit",
  "resume",
];

/** The plan of kill `k`; `offset` is drawn once per run (`rng.int(0, 7)`). */
export function planKill(rng: Rng, k: number, offset: number): KillPlan {
  const target = CYCLE[(k + offset) % CYCLE.length] as KillTarget;
  const side = target === "resume" ? undefined : target === "exit" ? "SELL" : "BUY";
  return { target, side, delayMs: rng.int(0, MAX_DELAY[target]) };
}

const NOT_PLACED = new Set(["NEW", "READY", "SUBMITTING"]);
const IN_DOUBT = new Set(["PENDING_SUBMIT", "UNKNOWN"]);

/** Does the store show `target` for the intent of signal `signalId` now? */
async function shows(store: Store, signalId: string, target: KillTarget): Promise<boolean> {
  const intent = await store.intents.findByKey(`signal:${signalId}`);
  if (!intent) return false;
  if (target === "placement") {
    if (NOT_PLACED.has(intent.status)) return true;
    return (await store.orders.listByIntent(intent.id)).some((o) => IN_DOUBT.has(o.status));
  }
  if (target === "confirmation") {
    if (intent.status === "PLACED") return true;
    const lot = intent.lotId ? await store.lots.get(intent.lotId) : undefined;
    return lot?.status === "OPENING";
  }
  if (target === "protection") {
    const lot = intent.lotId ? await store.lots.get(intent.lotId) : undefined;
    return lot?.status === "OPEN" && lot.protection !== "PROTECTED" && lot.protection !== "NOT_NEEDED";
  }
  if (target === "exit") return (await store.lots.listOpen()).some((l) => l.status === "CLOSING");
  return true;
}

/** Waits until the store shows the plan's phase for the signal (bounded), then the plan's delay. */
export async function awaitKillPoint(
  store: Store,
  signalId: string | undefined,
  plan: KillPlan,
): Promise<{ reached: boolean }> {
  let reached = signalId === undefined;
  const until = performance.now() + WATCH_MS;
  while (!reached && performance.now() < until) {
    reached = await shows(store, signalId as string, plan.target);
    if (!reached) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await new Promise((r) => setTimeout(r, plan.delayMs));
  return { reached };
}
