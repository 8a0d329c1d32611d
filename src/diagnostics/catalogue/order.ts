/** Catalogue: the order is invalid (not an authentication problem). */
import type { CodeInfo } from "../../exchange/cryptocom/error-codes.js";
import type { OrderFields } from "../../exchange/cryptocom/instruments.js";
import type { Dec } from "../../util/decimal.js";
import { describeOrder, fmt, type NormalisedOrder, orderJson } from "../order-check.js";
import { entry } from "./entry.js";
import { codeText, sentence } from "./phrases.js";

const NOT_AUTH = "not an authentication failure";

export const ORDER_REJECTED = entry({
  id: "order_rejected",
  title: "Order invalid (not an authentication problem)",
  when: "The failing order is invalid for a reason that is not auth: quantity/price precision (213/308), below minimum (415), insufficient balance (306), unknown or untradable instrument (209/309).",
  found:
    "The order is validated against the instrument rules from `public/get-instruments` without being sent, and against the balance from the signed read (confirmed when a rule is broken or the engine's code says so).",
  evidence: "The field, the rule and the corrected value: what atp would send instead.",
  fix: [
    "Send the corrected order shown (atp's own order path floors quantities and rounds prices this way).",
  ],
  codes: [213, 308, 415, 306, 209, 309, 208, 315, 40004],
  text: {
    invalidSummary: (field: string, code: number, name: string | undefined) =>
      `the order is invalid (${field}: exchange code ${codeText(code, name)}), ${NOT_AUTH}`,
    balanceSummary: (currency: string) =>
      `the balance is insufficient for the order (${currency}), ${NOT_AUTH}`,
    engineSummary: (code: number | undefined, codeName: string) =>
      `the exchange rejected the order (${code} ${codeName}), ${NOT_AUTH}`,
    engineAnswer: (code: number, codeName: string, info: CodeInfo | undefined) =>
      `the exchange answered the order with ${code} ${codeName}${info ? `: ${info.meaning}` : ""} — an order problem, not authentication`,
    failing: (order: NormalisedOrder) => `failing order: ${describeOrder(order, order.amount)}`,
    violation: (
      v: { field: string; rule: string; code: number; corrected?: string | undefined },
      name: string | undefined,
    ) =>
      `${v.field}: ${v.rule} → exchange code ${codeText(v.code, name)}${v.corrected ? `; corrected: ${v.corrected}` : ""}`,
    similar: (names: readonly string[]) => `instruments with a similar name: ${names.join(", ")}`,
    mislabelled: (code: number, codeName: string, probePassed: boolean) =>
      `the engine reported ${code} ${codeName}, but the doctor's signed read${probePassed ? " and trade-permission probe" : ""} pass with the same credentials: the failure is the order, not authentication`,
    shortfall: (s: { currency: string; available: Dec; needed: Dec }) =>
      `available ${s.currency}: ${fmt(s.available)}, the order needs ${fmt(s.needed)} → exchange code 306 INSUFFICIENT_AVAILABLE_BALANCE`,
    instead: (corrected: OrderFields) => `atp would send instead: ${describeOrder(corrected)}`,
    sendCorrected: (corrected: OrderFields) =>
      `Send ${describeOrder(corrected)} (atp's order path floors quantities to the tick and rounds prices safely).`,
    checkIt: (x: OrderFields) =>
      `Check it before sending: atp doctor --order '${orderJson(x)}' (the order check must pass).`,
    exactName: (name: string) =>
      `Use an exact instrument name from public/get-instruments, e.g. ${name} (case-sensitive).`,
    /** A finding's own fix ("floor the quantity to …") as a sentence. */
    findingFix: (fix: string) => `${sentence(fix)}.`,
    fund: (s: { currency: string; available: Dec; needed: Dec }) =>
      `Fund the account with at least ${fmt(s.needed.minus(s.available))} ${s.currency} more, or reduce the order; balances reserved by open orders are not available.`,
    alternative: (order: OrderFields, why: string) => `Or send ${describeOrder(order)}: ${why}.`,
    noOrderFits: (why: string) => `No order fits: ${why}.`,
  },
});
