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
  /** May this process act now (leader, not stopped)? */
  act(): boolean;
  /** Resolves true at the next update of one of these client_oids, false after `ms`. */
  waitUpdate(clientOids: readonly string[], ms: number): Promise<boolean>;
  /** When the stream last delivered an update of this client_oid (time ms), if ever. */
  lastStreamUpdate(clientOid: string): number | undefined;
  /** Applies one exchange order (stream, poll or probe) through tracking. */
  apply(order: Order, record: OrderRecord): Promise<void>;
  /** Waits `ms` on ctx.time; resolves early when the trader stops. */
  sleep(ms: number): Promise<void>;
  /** Runs `fn` in the background once per key at a time; `settled()` waits for it. */
  background(key: string, fn: () => Promise<void>): void;
}

/** Attempts left from before a restart are stale this long after they were written (nonce window + margin). */
export const ATTEMPT_STALE_MS = 65_000;

/** The message of anything thrown (for logs; never contains secrets: our errors do not carry them). */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
