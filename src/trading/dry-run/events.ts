/**
 * The matching core's events as the user stream carries them: `order` (plain orders, and
 * advanced ones once triggered), `triggerOrder` (trigger orders and OCO legs), `trade` (each
 * fill) and `balance` (the whole account after each operation) — the emulator's own mapping of
 * `user.order`, `user.advanced.order`, `user.trade` and `user.balance` (src/emulator/user-push.ts).
 *
 * Invariant: payloads are converted when the event happens (snapshots), so a later change of the
 * core's order object never alters an update already queued.
 */
import type { EngineEvent } from "../../emulator/matching/index.js";
import type { AccountBalance } from "../../exchange/types.js";
import { fillFromVenue, orderFromVenue } from "./convert.js";
import type { DryRunUpdateHub } from "./updates.js";

export function publishEngineEvent(
  e: EngineEvent,
  hub: DryRunUpdateHub,
  balanceOf: (account: string) => AccountBalance,
  now: () => number,
): void {
  switch (e.type) {
    case "order": {
      const order = orderFromVenue(e.order);
      if (e.order.origin === "advanced") hub.emit("triggerOrder", order, "stream");
      if (e.order.origin !== "advanced" || e.order.triggered) hub.emit("order", order, "stream");
      return;
    }
    case "fill":
      hub.emit("trade", fillFromVenue(e.fill));
      return;
    case "balance":
      hub.emit("balance", { balance: balanceOf(e.account), time: now() });
      return;
    default:
      return; // public trades and forgotten orders are not account updates
  }
}
