/**
 * A checked webhook signal into the store's inbox, and what became of it.
 *
 * Invariants:
 * - The signal row id is deterministic: `wh-<name>-<sha256(signal_id) first 32 hex>`, so the same
 *   `signal_id` on the same webhook is one row, one intent (idempotency key `signal:<row id>`), at
 *   most one order — however often or concurrently it is sent. Without a `signal_id` each call is new.
 * - Only watchlist symbols with trading on enter the pipeline (the trading rule,
 *   trading/inbox.ts externalSignalBlock); any other is stored BLOCKED with its code, so history shows
 *   it. The watchlist is the API's versioned read (versioned-read.ts, current with this process's
 *   writes): a symbol it lets through goes on without a store read — the trader's guards read the
 *   row from the store again before any order (NOT_IN_WATCHLIST, TRADING_DISABLED), so a change by
 *   another process (`atp watchlist …`) still blocks it; a symbol it would block is blocked only on
 *   a read at most `WEBHOOK_READ_MAX_AGE_MS` (1 s) old (a coin just switched on is not refused).
 * - The trace is `inboxTrace({ amountUsd, actor })` (src/trading/inbox.ts) plus the webhook's name
 *   and signal_id; amounts and prices are exact decimal text from the body.
 * - One commit on the way to the order. With this process's trader (`accept`, the leader's
 *   `Trader.acceptSignal`) the route writes nothing: the trader commits the inbox row with its intent
 *   in one transaction, and the webhook's use is remembered and written later (webhook-usage.ts).
 *   Without one (not the leader) the route commits the inbox row and the use in ONE transaction and
 *   the leader's engine takes the row from the inbox.
 * - A signal handed to the trader and not settled yet is in `inFlight`: the same signal_id again
 *   meanwhile is `duplicate` (the row's primary key makes it one row in any case). Whether an id
 *   not in flight exists is the store's to say (one read): rows of earlier runs and of other
 *   processes are not in memory.
 * - The answer with the trader: its decision (`SignalHandover.decided`, awaited for at most
 *   `budgetMs`; no polling); undecided (the trader's inbox, or the budget spent): one read of the row
 *   — accepted (intent past its guards, or still queued: intent_id null), duplicate, or blocked
 *   with the guard's code. A trader that failed before the row was stored is a 503 (retryable),
 *   never a silent "accepted".
 * - Without the trader the leader is another component (maybe another process): the row is polled
 *   for at most `budgetMs` with short real waits. Timers here pace, they date nothing: nothing here
 *   reads the wall clock.
 */
import { hash, randomUUID } from "node:crypto";
import type { Logger } from "../log/logger.js";
import type { Json, NewSignal, SignalRecord, Store } from "../store/types.js";
import { externalSignalBlock, inboxTrace } from "../trading/inbox.js";
import { Dec } from "../util/decimal.js";
import type { WebhookAccepted } from "./contract/types.js";
import type { WatchlistRows } from "./dashboard-reads.js";
import type { SignalDecision, SignalHandover } from "./deps.js";
import { ApiHttpError } from "./errors.js";
import type { VersionedRead } from "./versioned-read.js";
import type { WebhookSignal } from "./webhook-input.js";
import type { WebhookUsage } from "./webhook-usage.js";

export const WEBHOOK_POLL_BUDGET_MS = 2000;
/** How old the watchlist the route checks may be (writes of other processes: `atp watchlist …`). */
export const WEBHOOK_READ_MAX_AGE_MS = 1_000;
const POLL_STEP_MS = 25;

export function sha256Hex(text: string): string {
  return hash("sha256", text, "hex");
}

export function webhookSignalRowId(name: string, signalId: string): string {
  return `wh-${name}-${sha256Hex(signalId).slice(0, 32)}`;
}

type Outcome = Omit<WebhookAccepted, "signal_id">;

async function outcomeOf(store: Store, row: SignalRecord): Promise<Outcome | undefined> {
  const intentId = row.intentId ?? null;
  switch (row.status) {
    case "PENDING":
      return undefined;
    case "DUPLICATE":
      return { intent_id: intentId, status: "duplicate", reason_code: null };
    case "BLOCKED":
      return { intent_id: intentId, status: "blocked", reason_code: row.reasonCode ?? null };
    default: {
      const intent = row.intentId ? await store.intents.get(row.intentId) : undefined;
      if (intent?.status === "NEW") return undefined; // the guards have not run yet
      if (intent?.status === "BLOCKED")
        return { intent_id: intentId, status: "blocked", reason_code: intent.reasonCode ?? null };
      return { intent_id: intentId, status: "accepted", reason_code: null };
    }
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

const notStored = () =>
  new ApiHttpError(503, "signal_not_stored", "the signal was not stored (the log says why); send it again", {
    retryable: true,
  });

/** Polls the row until it has an outcome, or the budget is spent (then: accepted, still queued). */
export async function awaitWebhookOutcome(
  store: Store,
  id: string,
  budgetMs = WEBHOOK_POLL_BUDGET_MS,
): Promise<Outcome> {
  for (let waited = 0; ; waited += POLL_STEP_MS) {
    const row = await store.signals.get(id);
    const out = row && (await outcomeOf(store, row));
    if (out) return out;
    if (waited >= budgetMs)
      return { intent_id: row?.intentId ?? null, status: "accepted", reason_code: null };
    await sleep(POLL_STEP_MS);
  }
}

type Settled =
  | { kind: "decided"; decision: SignalDecision | undefined }
  | { kind: "failed" }
  | { kind: "budget" };

/** The trader's decision, or that it failed, or that the budget was spent first. */
async function decisionWithin(
  decided: Promise<SignalDecision | undefined>,
  budgetMs: number,
): Promise<Settled> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const budget = new Promise<Settled>((r) => {
    timer = setTimeout(() => r({ kind: "budget" }), budgetMs);
  });
  try {
    return await Promise.race([
      decided.then(
        (decision): Settled => ({ kind: "decided", decision }),
        (): Settled => ({ kind: "failed" }),
      ),
      budget,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why the watchlist keeps `symbol` out: from memory when it lets it through, else from a recent read. */
async function watchlistBlock(
  watchlist: VersionedRead<WatchlistRows>,
  symbol: string,
): Promise<ReturnType<typeof externalSignalBlock>> {
  const kept = watchlist.current(Number.POSITIVE_INFINITY);
  if (kept && !externalSignalBlock(kept.value.bySymbol.get(symbol))) return undefined;
  return externalSignalBlock((await watchlist.get(WEBHOOK_READ_MAX_AGE_MS)).bySymbol.get(symbol));
}

/** The answer once the trader has the signal: its decision, else what its row says (one read). */
async function answerOfHandover(
  w: WebhookIntake,
  id: string,
  handover: SignalHandover,
  budgetMs: number,
): Promise<Outcome> {
  const settled = await decisionWithin(handover.decided, budgetMs);
  if (settled.kind === "decided" && settled.decision) {
    const d = settled.decision;
    return { intent_id: d.intentId, status: d.status, reason_code: d.reasonCode };
  }
  const row = await w.store.signals.get(id);
  if (!row && settled.kind === "failed") throw notStored();
  const out = row && (await outcomeOf(w.store, row));
  return out ?? { intent_id: row?.intentId ?? null, status: "accepted", reason_code: null };
}

export interface WebhookIntake {
  store: Store;
  /** This process's trader (`Trader.acceptSignal`); undefined or answering undefined: the inbox. */
  accept?: ((row: NewSignal) => SignalHandover | undefined) | undefined;
  /** The watchlist in memory (the API's versioned read). */
  watchlist: VersionedRead<WatchlistRows>;
  usage: WebhookUsage;
  /** Row ids handed to the trader and not settled yet. */
  inFlight: Set<string>;
  now: () => number;
  logger: Logger;
  budgetMs?: number;
}

/** Files the signal (or finds it) and answers what became of it. */
export async function intakeWebhookSignal(
  w: WebhookIntake,
  name: string,
  s: WebhookSignal,
): Promise<WebhookAccepted> {
  const { store } = w;
  const budgetMs = w.budgetMs ?? WEBHOOK_POLL_BUDGET_MS;
  const signalId = s.signalId ?? randomUUID();
  const id = webhookSignalRowId(name, signalId);
  const duplicate = (intentId: string | undefined): WebhookAccepted => ({
    signal_id: signalId,
    intent_id: intentId ?? null,
    status: "duplicate",
    reason_code: null,
  });
  if (w.inFlight.has(id)) return duplicate(undefined);
  const existing = await store.signals.get(id);
  if (existing) return duplicate(existing.intentId);

  const blocked = await watchlistBlock(w.watchlist, s.symbol);
  const actor = `webhook:${name}`;
  const trace = inboxTrace({ amountUsd: s.amountUsd, actor });
  const row = {
    id,
    symbol: s.symbol,
    side: s.side,
    source: actor,
    strategy: "external",
    ...(s.price !== undefined ? { price: new Dec(s.price) } : {}),
    trace: { ...(trace as { [k: string]: Json }), webhook: { name, signal_id: signalId } },
  };
  if (!blocked && w.accept && !w.inFlight.has(id)) {
    w.inFlight.add(id);
    let handover: SignalHandover | undefined;
    try {
      handover = w.accept(row);
    } catch (e) {
      handover = { decided: Promise.reject(e) };
    }
    if (handover) {
      w.usage.used(name, w.now());
      void handover.decided
        .catch((e: unknown) =>
          w.logger.error(
            { err: e instanceof Error ? e.message : String(e), signalRow: id },
            "api: the trader failed on a webhook signal",
          ),
        )
        .finally(() => w.inFlight.delete(id));
      return { signal_id: signalId, ...(await answerOfHandover(w, id, handover, budgetMs)) };
    }
    w.inFlight.delete(id); // no trader in this process: the inbox
  }
  try {
    // the row and the webhook's use in one commit
    await store.transaction(async (tx) => {
      await tx.signals.insert(row);
      if (blocked) await tx.signals.updateStatus(id, { status: "BLOCKED", reasonCode: blocked });
      await tx.webhooks.touch(name, w.now());
    });
  } catch (e) {
    // the same signal_id at the same moment: the other request's row stands
    const raced = await store.signals.get(id);
    if (!raced) throw e;
    return duplicate(raced.intentId);
  }
  if (blocked) return { signal_id: signalId, intent_id: null, status: "blocked", reason_code: blocked };
  return { signal_id: signalId, ...(await awaitWebhookOutcome(store, id, budgetMs)) };
}
