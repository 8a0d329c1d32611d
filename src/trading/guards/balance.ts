/**
 * INSUFFICIENT_BALANCE: the one guard that reads the exchange (the venue's `getBalance`; the dry-run
 * broker answers with its simulated account), so it runs last.
 *
 * Invariants:
 * - A BUY entry needs the quote currency's available balance ≥ the entry amount.
 * - A spot SELL (exit) needs the base quantity: the request's quantity, else what the open lots of
 *   the symbol (same mode) hold. It is compared with the currency's total, not its available part:
 *   the lots' own protection reserves that quantity, and the exit cancels it before selling.
 * - A balance that cannot be read blocks (fail closed), the failure named by its category and code.
 * - Currencies are looked up in a Map built from the balance; a currency missing from it holds 0.
 */
import { Dec, plain } from "../../util/decimal.js";
import type { TradingGuard } from "./guard.js";
import { spotCurrencies } from "./reads.js";
import { entryAmountOf } from "./watchlist.js";

export const insufficientBalanceGuard: TradingGuard = {
  code: "INSUFFICIENT_BALANCE",
  applies: (req) => req.kind === "ENTRY" || req.kind === "EXIT",
  async check(r) {
    const { symbol, mode } = r.req;
    const ccy = spotCurrencies(symbol);
    if (!ccy) return { ok: false, detail: `${symbol} is not a spot symbol BASE_QUOTE` };
    const currencies = await r.currencies();
    if (r.req.side === "BUY") {
      const { amount } = await entryAmountOf(r);
      const need = amount ?? new Dec(0);
      const have = currencies.get(ccy.quote)?.available ?? new Dec(0);
      return {
        ok: need.gt(0) && have.gte(need),
        detail: `${plain(have)} ${ccy.quote} available, ${plain(need)} ${ccy.quote} needed`,
      };
    }
    const held = (await r.openLots()).filter((l) => l.symbol === symbol);
    const need = r.req.quantity ?? held.reduce((s, l) => s.add(l.openQuantity), new Dec(0));
    const c = currencies.get(ccy.base);
    const total = c?.total ?? new Dec(0);
    const available = c?.available ?? new Dec(0);
    return {
      ok: need.gt(0) && total.gte(need),
      detail: `${plain(total)} ${ccy.base} held (${plain(available)} available), ${plain(need)} ${ccy.base} to sell (${mode})`,
    };
  },
};
