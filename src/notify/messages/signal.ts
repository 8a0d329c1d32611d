/**
 * `signal.received` → "BUY/SELL signal": price, change since the symbol's previous signal, the
 * reasons. The payload names the stored signal (`signalId`); the row is read in the transaction.
 */
import { dec } from "../../util/decimal.js";
import { b, code, escapeHtml, messageOf } from "../html.js";
import type { MessageRenderer } from "./types.js";

export const renderSignal: MessageRenderer = async ({ p, mode, tx, event }) => {
  const id = p.str("signalId");
  const row = id ? await tx.signals.get(id) : undefined;
  const symbol = row?.symbol ?? p.str("symbol") ?? event.symbol ?? "?";
  const side = row?.side ?? p.str("side") ?? "?";
  const price = row?.price?.toFixed() ?? p.str("price");
  const reasons = p.strings("reasons");
  if (reasons.length === 0 && row) {
    const trace = row.trace;
    if (trace && typeof trace === "object" && !Array.isArray(trace) && Object.hasOwn(trace, "reasons")) {
      const r = trace.reasons;
      if (Array.isArray(r)) reasons.push(...r.filter((x): x is string => typeof x === "string"));
    }
  }
  const lines = [`Price: ${code(price ?? "?")}`];
  const previous = row
    ? (await tx.signals.list({ symbol, limit: 10 })).find(
        (s) => s.id !== row.id && s.receivedAt <= row.receivedAt,
      )
    : undefined;
  if (previous?.price && row?.price && !previous.price.isZero()) {
    const pct = row.price.minus(previous.price).div(previous.price).times(dec("100"));
    const sign = pct.isNegative() ? "" : "+";
    lines.push(
      `Change since the last signal (${escapeHtml(previous.side)} at ${code(previous.price.toFixed())}): ${sign}${pct.toDecimalPlaces(2).toFixed(2)} %`,
    );
  } else {
    lines.push("Change since the last signal: first signal");
  }
  const strategy = row?.strategy ?? p.str("strategy");
  if (strategy) lines.push(`Strategy: ${escapeHtml(strategy)}`);
  if (reasons.length > 0) lines.push("Reasons:", ...reasons.map((r) => `• ${escapeHtml(r)}`));
  const icon = side === "BUY" ? "🟢" : side === "SELL" ? "🔻" : "•";
  return { kind: "signal", text: messageOf(mode, `${icon} ${b(`${side} signal`)} · ${code(symbol)}`, lines) };
};
