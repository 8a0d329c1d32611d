/**
 * A checked webhook signal into the store's inbox, and what became of it.
 *
 * Invariants:
 * - The signal row id is deterministic: `wh-<name>-<sha256(signal_id) first 32 hex>`, so the same
 *   `signal_id` on the same webhook is one row, one intent (idempotency key `signal:<row id>`), at
 *   most one order — however often or concurrently it is sent. Without a `signal_id` each call is new.
 * - Only watchlist symbols with trading on enter the pipeline (the trading rule,
 *   trading/inbox.ts externalSignalBlock); any other is stored BLOCKED with its code, so history shows it.
 * - The trace is `inboxTrace({ amountUsd, actor })` (src/trading/inbox.ts) plus the webhook's name
 *   and signal_id; amounts and prices are exact decimal text from the body.
 * - One commit on the way to the order. With this process's trader (`accept`, the leader's
 *   `Trader.acceptSignal`) the route writes nothing: the trader commits the inbox row with its intent
 *   in one transaction, and the webhook's use is remembered and written later (webhook-usage.ts).
 *   Without one (not the leader) the route commits the inbox row and the use in ONE transaction and
 *   the leader's engine takes the row from the inbox.
 * - A signal handed to the trader and not yet committed is in `inFlight`: the same signal_id again
 *   meanwhile is `duplicate` (the row's primary key makes it one row in any case).
 * - The outcome is polled from the row for at most `budgetMs` with short real waits (the engine is
 *   another component): accepted (intent past its guards, or still queued: intent_id null),
 *   duplicate, or blocked with the guard's code. With the trader, the first read waits for it (or
 *   one poll step), so the polls do not compete with its writes. A trader that failed before the
 *   row was stored is a 503 (retryable), never a silent "accepted". Nothing here reads the wall clock.
 */
import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "../log/logger.js";
import type { Json, NewSignal, SignalRecord, Store } from "../store/types.js";
import { externalSignalBlock, inboxTrace } from "../trading/inbox.js";
import { Dec } from "../util/decimal.js";
import type { WebhookAccepted } from "./contract/types.js";
import { ApiHttpError } from "./errors.js";
import type { WebhookSignal } from "./webhook-input.js";
import type { WebhookUsage } from "./webhook-usage.js";

export const WEBHOOK_POLL_BUDGET_MS = 2000;
const POLL_STEP_MS = 25;

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function webhookSignalRowId(name: string, signalId: string): string {
  return `wh-${name}-${sha256Hex(signalId).slice(0, 32)}`;
}

async function outcomeOf(
  store: Store,
  row: SignalRecord,
): Promise<Omit<WebhookAccepted, "signal_id"> | undefined> {
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

/**
 * Polls the row until it has an outcome, or the budget is spent (then: accepted, still queued).
 * `handedOver` (the trader's work on the signal): the first read waits for it or one poll step; once
 * it has failed and no row exists, the signal was not stored (503).
 */
export async function awaitWebhookOutcome(
  store: Store,
  id: string,
  budgetMs = WEBHOOK_POLL_BUDGET_MS,
  handedOver?: Promise<{ failed: unknown } | undefined>,
): Promise<Omit<WebhookAccepted, "signal_id">> {
  let settled: { failed: unknown } | undefined | null = handedOver ? null : undefined;
  void handedOver?.then((r) => {
    settled = r;
  });
  for (let waited = 0; ; waited += POLL_STEP_MS) {
    if (handedOver && waited === 0) await Promise.race([sleep(POLL_STEP_MS), handedOver]);
    const row = await store.signals.get(id);
    const out = row && (await outcomeOf(store, row));
    if (out) return out;
    if (!row && settled)
      throw new ApiHttpError(
        503,
        "signal_not_stored",
        "the signal was not stored (the log says why); send it again",
        {
          retryable: true,
        },
      );
    if (waited >= budgetMs)
      return { intent_id: row?.intentId ?? null, status: "accepted", reason_code: null };
    await (settled === null && handedOver
      ? Promise.race([sleep(POLL_STEP_MS), handedOver])
      : sleep(POLL_STEP_MS));
  }
}

export interface WebhookIntake {
  store: Store;
  /** This process's trader (`Trader.acceptSignal`); undefined or answering undefined: the inbox. */
  accept?: ((row: NewSignal) => Promise<unknown> | undefined) | undefined;
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

  const blocked = externalSignalBlock(await store.watchlist.get(s.symbol));
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
    let work: Promise<unknown> | undefined;
    try {
      work = w.accept(row);
    } catch (e) {
      work = Promise.reject(e);
    }
    if (work) {
      w.usage.used(name, w.now());
      const handedOver = work.then(
        () => undefined,
        (e: unknown) => {
          w.logger.error(
            { err: e instanceof Error ? e.message : String(e), signalRow: id },
            "api: the trader failed on a webhook signal",
          );
          return { failed: e };
        },
      );
      void handedOver.finally(() => w.inFlight.delete(id));
      return { signal_id: signalId, ...(await awaitWebhookOutcome(store, id, budgetMs, handedOver)) };
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
