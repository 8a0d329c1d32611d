/**
 * `order.rejected` for non-auth reasons (an auth rejection is the incident's message), e.g. 213
 * with the corrected value and the rule when the event carries them (src/trading/rejection-hint.ts),
 * or the instrument's rules when atp's rules accept the order the exchange refused; `intent.blocked` for the guards a user must
 * act on (amount not set, balance too low, size below the minimum) and loss protection tripped.
 * All of these are throttled: identical ones (same kind, symbol, code) once per window.
 */
import { CATEGORY_DISPOSITION, ERROR_CATEGORIES, type ErrorCategory } from "../../domain/errors.js";
import { b, code, escapeHtml, messageOf } from "../html.js";
import type { MessageRenderer } from "./types.js";
import { orQ } from "./types.js";

const categories: readonly string[] = ERROR_CATEGORIES;
const isFatal = (c: string | undefined) =>
  c !== undefined && categories.includes(c) && CATEGORY_DISPOSITION[c as ErrorCategory] === "fatal";

export const renderOrderRejected: MessageRenderer = async ({ p, mode, event }) => {
  const category = p.str("category");
  if (isFatal(category)) return undefined;
  const symbol = event.symbol ?? "?";
  const codeText = p.text("code") ?? p.str("reason") ?? "?";
  const lines = [
    `Exchange code ${code(codeText)}, category ${escapeHtml(orQ(category))}${p.str("role") ? `, ${escapeHtml(orQ(p.str("role")))} order` : ""}`,
  ];
  const corrected = p.str("corrected");
  const field = p.str("field");
  const rule = p.str("rule");
  if (corrected) lines.push(`Corrected ${escapeHtml(field ?? "value")}: ${code(corrected)}`);
  if (rule) lines.push(`Rule: ${escapeHtml(corrected || !field ? rule : `${field}: ${rule}`)}`);
  const known = p.str("instrumentRules");
  if (known)
    lines.push(
      `atp's rules for ${code(symbol)} accept this order (${escapeHtml(known)}): the exchange's rules may have changed. /diagnose checks it.`,
    );
  if (p.str("status") === "not_sent") lines.push("The request never reached the exchange.");
  return {
    kind: "order.rejected",
    text: messageOf(mode, `⛔ ${b("Order rejected")} · ${code(symbol)}`, lines),
    throttleKey: `order.rejected:${symbol}:${codeText}`,
  };
};

const USER_GUARDS: ReadonlyMap<string, string> = new Map([
  ["AMOUNT_NOT_SET", "Set an amount in USD for the symbol (dashboard or API watchlist)."],
  ["INSUFFICIENT_BALANCE", "Top up the account or lower the amount."],
  ["SIZE_BELOW_MINIMUM", "Raise the amount: the exchange would refuse an order this small."],
]);
const LOSS_GUARDS: ReadonlyMap<string, string> = new Map([
  ["DAILY_LOSS_LIMIT", "Today's realised loss reached the limit: no new entries until the next UTC day."],
  ["STOPLOSS_GUARD", "Too many stop-loss exits of this symbol recently: entries are paused."],
]);

export const renderIntentBlocked: MessageRenderer = async ({ p, mode, event }) => {
  const reason = p.str("reasonCode") ?? "";
  const symbol = event.symbol ?? "?";
  const loss = LOSS_GUARDS.get(reason);
  const user = USER_GUARDS.get(reason);
  if (!loss && !user) return undefined;
  const lines = [
    `Guard ${code(reason)}: ${escapeHtml(orQ(p.str("detail")))}`,
    escapeHtml((loss ?? user) as string),
  ];
  const title = loss
    ? `🛑 ${b("Loss protection tripped")} · ${code(symbol)}`
    : `⚠️ ${b("Order blocked: action needed")} · ${code(symbol)}`;
  return {
    kind: loss ? "loss.tripped" : "guard.blocked",
    text: messageOf(mode, title, lines),
    throttleKey: `intent.blocked:${symbol}:${reason}`,
  };
};
