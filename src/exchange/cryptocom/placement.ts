/**
 * Order placement with ambiguity probing.
 *
 * Invariants:
 * - Every attempt for one placement sends the same client_oid (derived from the intent id).
 * - A request is re-sent only after a definite refusal (retry.ts `isDefinitelyUnprocessed`), at
 *   most `maxAttempts` times.
 * - When the outcome is ambiguous (written then timed out or reset, 5xx without a code, a server-side
 *   code) or the exchange says the client_oid already exists (204), nothing is re-sent: the order
 *   is looked up by client_oid (`probe`), a few times over `probeDelaysMs` because creation is
 *   asynchronous on the exchange, and the result is reported as a typed outcome.
 * - `not_found` carries `resendSafeAfter`: the local time after which the exchange would refuse the
 *   lost request as stale (its nonce + the nonce window − the measured offset + a margin). Only a
 *   probe after that instant that still finds nothing makes a re-send safe.
 */
import type { ExchangeFailure, Order, PlaceOrderOutcome } from "../types.js";
import { ExchangeError } from "./errors.js";
import { backoffDelay, isAmbiguous, isDefinitelyUnprocessed, type RetryPolicy, sleep } from "./retry.js";

export interface AttemptResult {
  ok: boolean;
  result: unknown;
  error: ExchangeError | undefined;
  /** Local ms instant after which this request can no longer be accepted by the exchange. */
  staleAfter: number;
}

export interface PlacementContext {
  /** One attempt (rate limited, signed, sent); never throws for exchange or transport failures. */
  attempt(): Promise<AttemptResult>;
  /** Looks the order up by client_oid; undefined when not found; throws ExchangeError otherwise. */
  probe(): Promise<Order | undefined>;
  /**
   * Called before re-sending after a definite refusal (rate-limit back-off, nonce re-base);
   * returns false when a re-send cannot help (e.g. a 40102 without a clock offset to apply).
   */
  beforeResend(error: ExchangeError): Promise<boolean> | boolean;
  policy: RetryPolicy;
  probeDelaysMs: readonly number[];
  random?: () => number;
}

export type AckParser = (result: unknown) => { orderId: string; clientOid?: string | undefined };

/** Places one order; `parseAck` turns a success result into the order id. */
export async function placeWithProbe(
  ctx: PlacementContext,
  clientOid: string,
  parseAck: AckParser,
  rejectedOrderId: (result: unknown) => string | undefined,
): Promise<PlaceOrderOutcome> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const r = await ctx.attempt();
    if (r.ok) {
      try {
        const ack = parseAck(r.result);
        return {
          status: "accepted",
          clientOid: ack.clientOid ?? clientOid,
          orderId: ack.orderId,
          probed: false,
          attempts,
        };
      } catch {
        // Code 0 without a readable order id: the order exists; find it by client_oid.
        const err = new ExchangeError({
          method: "ack",
          category: "unknown",
          message: "unreadable acknowledgement",
        });
        return probeOutcome(ctx, clientOid, err, r.staleAfter, attempts);
      }
    }
    const err = r.error!;
    if (err.code === 204) return probeOutcome(ctx, clientOid, err, r.staleAfter, attempts);
    if (isDefinitelyUnprocessed(err)) {
      if (attempts < ctx.policy.maxAttempts && (await ctx.beforeResend(err))) {
        if (err.category !== "rate_limit" && err.category !== "nonce") {
          await sleep(backoffDelay(attempts, ctx.policy, ctx.random));
        }
        continue;
      }
      if (err.code === undefined && (err.category === "network" || err.category === "timeout")) {
        return { status: "not_sent", clientOid, error: err, attempts };
      }
      return { status: "rejected", clientOid, error: err, attempts };
    }
    if (isAmbiguous(err)) return probeOutcome(ctx, clientOid, err, r.staleAfter, attempts);
    return { status: "rejected", clientOid, error: err, orderId: rejectedOrderId(err.result), attempts };
  }
}

async function probeOutcome(
  ctx: PlacementContext,
  clientOid: string,
  error: ExchangeFailure,
  staleAfter: number,
  attempts: number,
): Promise<PlaceOrderOutcome> {
  let probes = 0;
  for (const delay of ctx.probeDelaysMs) {
    if (delay > 0) await sleep(delay);
    probes += 1;
    try {
      const order = await ctx.probe();
      if (order) {
        return { status: "accepted", clientOid, orderId: order.orderId, probed: true, order, attempts };
      }
    } catch (e) {
      const probeError =
        e instanceof ExchangeError
          ? e
          : new ExchangeError({ method: "probe", category: "unknown", message: String(e), cause: e });
      return { status: "unknown", clientOid, error, probeError, resendSafeAfter: staleAfter, attempts };
    }
  }
  return { status: "not_found", clientOid, error, probes, resendSafeAfter: staleAfter, attempts };
}
