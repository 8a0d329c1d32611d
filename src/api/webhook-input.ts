/**
 * A TradingView webhook body, read and checked: secret, symbol (any accepted form, resolved to the
 * venue's instrument), side (`buy`/`sell` any case), optional `amount_usd` and `price` (JSON numbers
 * or decimal strings, read EXACTLY from their text), optional `signal_id`.
 *
 * Invariants:
 * - Decimals keep their text: a JSON number arrives as `JsonNumberText` (domain/json-text.ts) and is
 *   converted by `Dec` from that text (`1e3` → `1000`, `12.30000000000000000001` unchanged); a plain
 *   JS `number` (a body that went through JSON.parse) is refused, since its digits may be lost.
 * - Fields are read as own properties of a null-prototype object; every problem names its field.
 * - The secret is never echoed in a problem.
 */

import { isJsonObject, JsonNumberText, type JsonValue } from "../domain/json-text.js";
import { Dec } from "../util/decimal.js";
import { resolveSymbol } from "./mappers/symbols.js";

export interface WebhookSignal {
  secret: string;
  /** The instrument name (resolved). */
  symbol: string;
  side: "BUY" | "SELL";
  /** Exact decimal text (Dec.toFixed of the input's text). */
  amountUsd: string | undefined;
  price: string | undefined;
  signalId: string | undefined;
}

export interface WebhookProblem {
  field: string;
  problem: string;
}

export type WebhookParse = { ok: true; signal: WebhookSignal } | { ok: false; problems: WebhookProblem[] };

const PLAIN_DECIMAL = /^\d{1,30}(\.\d{1,30})?$/;
const SIGNAL_ID = /^[\x21-\x7e]{1,128}$/;

/** A positive decimal from a string or a number's text; a problem in words otherwise. */
export function webhookDecimal(v: unknown): { ok: true; text: string } | { ok: false; problem: string } {
  let text: string;
  if (v instanceof JsonNumberText) text = v.text;
  else if (typeof v === "string" && PLAIN_DECIMAL.test(v.trim())) text = v.trim();
  else if (typeof v === "string")
    return { ok: false, problem: "must be a plain decimal such as 25 or 25.50" };
  else if (typeof v === "number")
    return { ok: false, problem: "a number whose text was lost cannot be read exactly" };
  else return { ok: false, problem: "must be a decimal number or string" };
  if (text.length > 64) return { ok: false, problem: "too long" };
  const d = new Dec(text);
  if (!d.isFinite() || d.lte(0)) return { ok: false, problem: "must be greater than zero" };
  const fixed = d.toFixed();
  if (fixed.length > 64) return { ok: false, problem: "too many digits" };
  return { ok: true, text: fixed };
}

export function webhookSide(v: unknown): "BUY" | "SELL" | undefined {
  if (typeof v !== "string") return undefined;
  const s = v.trim().toLowerCase();
  return s === "buy" ? "BUY" : s === "sell" ? "SELL" : undefined;
}

function field(obj: Record<string, JsonValue>, key: string): JsonValue | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Reads the body (parsed by parseJsonValue); the symbol is resolved against `instruments`. */
export function readWebhookSignal(body: JsonValue, instruments: readonly string[]): WebhookParse {
  if (!isJsonObject(body)) return { ok: false, problems: [{ field: "", problem: "must be a JSON object" }] };
  const problems: WebhookProblem[] = [];
  const secret = field(body, "secret");
  if (typeof secret !== "string" || secret.length === 0)
    problems.push({ field: "secret", problem: "required (a string)" });

  let symbol: string | undefined;
  const rawSymbol = field(body, "symbol");
  if (typeof rawSymbol !== "string") problems.push({ field: "symbol", problem: "required (a string)" });
  else {
    const r = resolveSymbol(rawSymbol, instruments);
    if (r.ok) symbol = r.symbol;
    else
      problems.push({
        field: "symbol",
        problem: r.suggestions.length > 0 ? `${r.problem}; closest: ${r.suggestions.join(", ")}` : r.problem,
      });
  }

  const side = webhookSide(field(body, "side"));
  if (!side) problems.push({ field: "side", problem: "must be buy or sell" });

  const decimals: Record<"amount_usd" | "price", string | undefined> = {
    amount_usd: undefined,
    price: undefined,
  };
  for (const key of ["amount_usd", "price"] as const) {
    const v = field(body, key);
    if (v === undefined || v === null) continue;
    const d = webhookDecimal(v);
    if (d.ok) decimals[key] = d.text;
    else problems.push({ field: key, problem: d.problem });
  }

  const sid = field(body, "signal_id");
  let signalId: string | undefined;
  if (sid instanceof JsonNumberText) signalId = sid.text;
  else if (typeof sid === "string" && SIGNAL_ID.test(sid)) signalId = sid;
  else if (sid !== undefined && sid !== null)
    problems.push({ field: "signal_id", problem: "must be 1 to 128 printable characters without spaces" });

  if (problems.length > 0 || !symbol || !side || typeof secret !== "string") return { ok: false, problems };
  return {
    ok: true,
    signal: { secret, symbol, side, amountUsd: decimals.amount_usd, price: decimals.price, signalId },
  };
}
