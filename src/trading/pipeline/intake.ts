/**
 * Intake: a request becomes an intent (unique idempotency key), and blocking an intent.
 *
 * Invariants:
 * - The intent is committed before anything is sent, and durable before any request leaves: the
 *   intake commit is flushed by the attempt (or block, or failure) commit that follows it, which
 *   every path makes before it sends (one flush on the way to the request); the same key twice is the same intent
 *   ("duplicate"), and its signal row says ACCEPTED or DUPLICATE in the same transaction.
 * - An engine signal (`intakeSignal`) is written with its intent in ONE transaction: the inbox row
 *   (inserted, then ACCEPTED with its intent) and the intent commit together, so a crash before the
 *   commit loses only a signal nothing was done for, and one after it leaves both (resume acts).
 * - The mode is resolved once here and kept in the intent (and in its guard trace with the reason).
 * - A block is one transaction: intent BLOCKED with its reason code and trace, the signal BLOCKED
 *   with the same code, and the `intent.blocked` event.
 */
import type { Intent, Json, NewIntent, NewSignal, Tx } from "../../store/types.js";
import { type ModeDecision, resolveMode } from "../context.js";
import type { GuardVerdict } from "../guards/types.js";
import { inboxRequest } from "../inbox.js";
import type { TradeRequest } from "../requests.js";
import type { TraderRuntime } from "./runtime.js";

export async function intake(
  rt: TraderRuntime,
  req: TradeRequest,
): Promise<{ created: boolean; intent: Intent }> {
  const mode = await resolveMode(rt.ctx);
  return rt.ctx.store.transaction((tx) => createIntent(tx, req, mode), INTAKE_DURABILITY);
}

/** The inbox row of a signal and its intent, in one transaction (the engine's path). */
export async function intakeSignal(
  rt: TraderRuntime,
  signal: NewSignal,
): Promise<{ created: boolean; intent: Intent; req: TradeRequest }> {
  const mode = await resolveMode(rt.ctx);
  return rt.ctx.store.transaction(async (tx) => {
    const row = await tx.signals.insert(signal);
    await appendSignalEvent(tx, row.id, row.symbol, mode.mode);
    const req = inboxRequest(row);
    return { ...(await createIntent(tx, req, mode)), req };
  }, INTAKE_DURABILITY);
}

/**
 * The intake commit is flushed by the pipeline's next commit (store TransactionOptions): every
 * path after intake commits again before any request leaves (the attempt row, a block, a failure),
 * and that commit's flush covers the intake. A crash of the process keeps it either way.
 */
const INTAKE_DURABILITY = { durability: "with-next" } as const;

/** `signal.received` (notifications, the dashboard's feed) in the transaction that stores the signal. */
export async function appendSignalEvent(
  tx: Tx,
  signalId: string,
  symbol: string,
  mode: string,
): Promise<void> {
  await tx.events.append({ kind: "signal.received", symbol, payload: { mode, signalId } });
}

/** The intent's first trace: its mode and why, and where the request came from. */
export function intakeTrace(req: TradeRequest, mode: ModeDecision): Json {
  return {
    mode: mode.mode,
    modeReason: mode.reason,
    source: req.source,
    strategy: req.strategy ?? null,
    ...(mode.detail ? { modeDetail: mode.detail } : {}),
  };
}

/** The intent `req` opens in `mode` (NEW, its first trace). */
export function newIntentOf(req: TradeRequest, mode: ModeDecision): NewIntent {
  return {
    idempotencyKey: req.idempotencyKey,
    kind: req.side === "BUY" ? "ENTRY" : "EXIT",
    symbol: req.symbol,
    side: req.side,
    mode: mode.mode,
    amountUsd: req.amountUsd,
    signalId: req.signalId,
    actor: req.actor,
    guardTrace: intakeTrace(req, mode),
  };
}

/** The intent of `req` in `tx` (or the one that holds its key), its signal ACCEPTED or DUPLICATE. */
async function createIntent(
  tx: Tx,
  req: TradeRequest,
  mode: ModeDecision,
): Promise<{ created: boolean; intent: Intent }> {
  const r = await tx.intents.create(newIntentOf(req, mode));
  const intent = r.created ? r.intent : r.existing;
  if (req.signalId) {
    await tx.signals.updateStatus(req.signalId, {
      status: r.created ? "ACCEPTED" : "DUPLICATE",
      intentId: intent.id,
    });
  }
  return { created: r.created, intent };
}

export function traceWith(intent: Intent, extra: { [k: string]: Json }): Json {
  return traceOver(intent.guardTrace, extra);
}

/** `base` (an object trace, or anything else kept under `prior`) with `extra`'s fields. */
export function traceOver(base: Json, extra: { [k: string]: Json }): Json {
  const obj = base && typeof base === "object" && !Array.isArray(base) ? base : { prior: base };
  return { ...obj, ...extra };
}

export function verdictJson(v: GuardVerdict): Json {
  return {
    ok: v.ok,
    reasonCode: v.reasonCode ?? null,
    checks: v.checks.map((c) => ({ code: c.code, ok: c.ok, detail: c.detail })),
  };
}

export async function blockIntent(
  rt: TraderRuntime,
  intent: Intent,
  reasonCode: string,
  detail: string,
  verdict?: GuardVerdict,
): Promise<Intent> {
  return rt.ctx.store.transaction(async (tx) => {
    const trace = traceWith(intent, { verdict: verdict ? verdictJson(verdict) : null, blockDetail: detail });
    const t = await tx.intents.transition(intent.id, { to: "BLOCKED", reasonCode, guardTrace: trace });
    if (intent.signalId) await tx.signals.updateStatus(intent.signalId, { status: "BLOCKED", reasonCode });
    await appendBlockedEvent(tx, intent, reasonCode, detail);
    return t.ok ? t.intent : (t.current ?? intent);
  });
}

/** `intent.blocked` (notifications, the dashboard's feed) in the transaction that blocks the intent. */
export async function appendBlockedEvent(
  tx: Tx,
  intent: Intent,
  reasonCode: string,
  detail: string,
): Promise<void> {
  await tx.events.append({
    kind: "intent.blocked",
    symbol: intent.symbol,
    payload: { mode: intent.mode, intentId: intent.id, kind: intent.kind, reasonCode, detail },
  });
}

export async function failIntent(rt: TraderRuntime, intent: Intent, reasonCode: string): Promise<Intent> {
  const t = await rt.ctx.store.intents.transition(intent.id, { to: "FAILED", reasonCode });
  return t.ok ? t.intent : (t.current ?? intent);
}
