/**
 * `protection.placed` (the OCO is on the exchange) and the two critical ones: `protection.failed`
 * (not confirmed in time: the lot is being closed at market) and `position.unprotected`.
 */
import { b, code, escapeHtml, messageOf } from "../html.js";
import type { MessageRenderer } from "./types.js";
import { orQ } from "./types.js";

export const renderProtectionPlaced: MessageRenderer = async ({ p, mode, event }) => {
  const lines = [
    `Quantity: ${code(orQ(p.str("quantity")))}`,
    `Take profit: ${code(orQ(p.str("tpPrice")))}`,
    `Stop loss: trigger ${code(orQ(p.str("slTrigger")))}${p.str("slLimit") ? `, limit ${code(orQ(p.str("slLimit")))}` : ""} (${escapeHtml(orQ(p.str("slType")))})`,
  ];
  const title = `🛡 ${b("Protection placed")} · ${code(event.symbol ?? "?")}`;
  return { kind: "protection.placed", text: messageOf(mode, title, lines) };
};

export const renderProtectionFailed: MessageRenderer = async ({ p, mode, event }) => {
  const lines = [
    `Why: ${escapeHtml(orQ(p.str("reason")))}`,
    `Open quantity: ${code(orQ(p.str("openQuantity")))}`,
    "atp is closing the position at market. Check it with /positions.",
  ];
  const title = `🚨 ${b("CRITICAL: protection failed")} · ${code(event.symbol ?? "?")}`;
  return { kind: "protection.failed", text: messageOf(mode, title, lines) };
};

export const renderPositionUnprotected: MessageRenderer = async ({ p, mode, event }) => {
  const lines = [
    `Why: ${escapeHtml(orQ(p.str("reason")))}`,
    `Lot: ${code(orQ(p.str("lotId")))}`,
    "The position has no stop loss on the exchange. Check it with /positions and protect or close it.",
  ];
  const title = `🚨 ${b("CRITICAL: position unprotected")} · ${code(event.symbol ?? "?")}`;
  return { kind: "position.unprotected", text: messageOf(mode, title, lines) };
};
