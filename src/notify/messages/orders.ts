/**
 * `order.placed` and `order.filled`. A fill shows price, quantity, total and fee (from the stored
 * order) and, for an exit (EXIT, TAKE_PROFIT, STOP_LOSS), the P&L against the lot's entry price
 * before fees. Money is read as `Dec` and printed exactly.
 */
import { b, code, escapeHtml, messageOf } from "../html.js";
import type { MessageRenderer } from "./types.js";
import { orQ } from "./types.js";

const EXIT_ROLES: ReadonlySet<string> = new Set(["EXIT", "TAKE_PROFIT", "STOP_LOSS"]);

export const renderOrderPlaced: MessageRenderer = async ({ p, mode, tx, event }) => {
  const id = p.str("orderId");
  const order = id ? await tx.orders.get(id) : undefined;
  const symbol = order?.symbol ?? event.symbol ?? "?";
  const lines = [
    `Role: ${escapeHtml(orQ(order?.role ?? p.str("role")))} · ${escapeHtml(orQ(order?.type))} ${escapeHtml(orQ(order?.side))}`,
  ];
  if (order?.quantity) lines.push(`Quantity: ${code(order.quantity.toFixed())}`);
  if (order?.notional) lines.push(`Notional: ${code(order.notional.toFixed())}`);
  if (order?.price) lines.push(`Price: ${code(order.price.toFixed())}`);
  const exchangeId = p.text("exchangeOrderId");
  if (exchangeId) lines.push(`Exchange order: ${code(exchangeId)}`);
  return { kind: "order.placed", text: messageOf(mode, `📝 ${b("Order created")} · ${code(symbol)}`, lines) };
};

export const renderOrderFilled: MessageRenderer = async ({ p, mode, tx, event }) => {
  const id = p.str("orderId");
  const order = id ? await tx.orders.get(id) : undefined;
  const symbol = order?.symbol ?? event.symbol ?? "?";
  const role = order?.role ?? p.str("role") ?? "?";
  const side = order?.side ?? p.str("side") ?? "?";
  const qty = order?.filledQuantity;
  const avg = order?.avgPrice;
  const lines = [
    `${escapeHtml(side)} ${escapeHtml(role)}`,
    `Price: ${code(orQ(avg?.toFixed() ?? p.str("avgPrice")))}`,
    `Quantity: ${code(orQ(qty?.toFixed() ?? p.str("filledQuantity")))}`,
    `Total: ${code(qty && avg ? qty.times(avg).toFixed() : "?")}`,
    `Fee: ${code(order ? order.fee.toFixed() : "?")}${order?.feeCurrency ? ` ${escapeHtml(order.feeCurrency)}` : ""}`,
  ];
  const lotId = order?.lotId ?? p.str("lotId");
  if (EXIT_ROLES.has(role) && lotId && qty && avg) {
    const lot = await tx.lots.get(lotId);
    if (lot?.entryPrice) {
      const pnl = avg.minus(lot.entryPrice).times(qty);
      lines.push(`P&amp;L vs entry ${code(lot.entryPrice.toFixed())}: ${code(pnl.toFixed())} (before fees)`);
    }
  }
  return { kind: "order.filled", text: messageOf(mode, `✅ ${b("Order filled")} · ${code(symbol)}`, lines) };
};

export const renderPositionClosed: MessageRenderer = async ({ p, mode, event }) => {
  const lines = [
    `Reason: ${escapeHtml(orQ(p.str("exitReason")))}`,
    `Sold: ${code(orQ(p.str("soldQuantity")))} for ${code(orQ(p.str("proceeds")))}`,
    `Fees: ${code(orQ(p.str("fees")))}`,
    `Realised P&amp;L: ${b(orQ(p.str("realisedPnl")))}`,
  ];
  const title = `🏁 ${b("Position closed")} · ${code(event.symbol ?? "?")}`;
  return { kind: "position.closed", text: messageOf(mode, title, lines) };
};
