/** A sha256 over the trade list: two backtests with equal trades have equal fingerprints. */
import { createHash } from "node:crypto";
import type { Trade } from "./run.js";

/** Field order is fixed here (not taken from object layout), so the hash is stable across refactors. */
const FIELDS = [
  "signalTime",
  "entryTime",
  "entryPrice",
  "quantity",
  "entryFee",
  "stopLoss",
  "takeProfit",
  "exitTime",
  "exitPrice",
  "exitFee",
  "exitReason",
  "pnl",
] as const satisfies readonly (keyof Trade)[];

export function fingerprintTrades(trades: readonly Trade[]): string {
  const h = createHash("sha256");
  for (const t of trades) h.update(`${FIELDS.map((f) => String(t[f])).join(",")}\n`);
  return h.digest("hex");
}
