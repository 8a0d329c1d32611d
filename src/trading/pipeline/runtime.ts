/**
 * What the pipeline's steps share with the trader that runs them: the context, the timing options,
 * the wait for an order update and the background-work tracker.
 *
 * Invariants:
 * - Every wait goes through `ctx.time` (ManualTime in tests).
 * - `act()` is false when this process is not the leader or the trader is stopping: steps check it
 *   before every side effect and stop doing anything when it is false.
 */
import type { Order } from "../../exchange/types.js";
import type { OrderRecord } from "../../store/types.js";
import type { Dec } from "../../util/decimal.js";
import type { TradingContext } from "../context.js";

export interface TraderRuntime {
  readonly ctx: TradingContext;
  readonly pollMs: number;
  readonly confirmTimeoutMs: number;
  readonly defaultSlPct: Dec;
  readonly defaultTpPct: Dec;
  /** An attempt whose outcome is in doubt counts as stale (refused by the exchange if it ever arrives) this long after it was written. */
  readonly attemptStaleMs: number;
  /** May this process act now (leader, not stopped)? */
  act(): boolean;
  /** Resolves true at the next update of one of these client_oids, false after `ms`. */
  waitUpdate(clientOids: readonly string[], ms: number): Promise<boolean>;
  /** Applies one exchange order (stream, poll or probe) through tracking. */
  apply(order: Order, record: OrderRecord): Promise<void>;
  /** Waits `ms` on ctx.time; resolves early when the trader stops. */
  sleep(ms: number): Promise<void>;
  /** Runs `fn` in the background once per key at a time; `settled()` waits for it. */
  background(key: string, fn: () => Promise<void>): void;
}

/**
 * Default of `attemptStaleMs`: Crypto.com refuses a request whose nonce is more than 60 s old, so an
 * attempt written 65 s ago can no longer be acted on (the nonce window + a margin). Lower it only for
 * an exchange (an emulator) whose window is shorter.
 */
export const DEFAULT_ATTEMPT_STALE_MS = 65_000;

/** The message of anything thrown (for logs; never contains secrets: our errors do not carry them). */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
