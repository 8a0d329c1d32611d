/** Parser for private/user-balance (reference §5.2) and the user.balance channel (§7). */
import type { AccountBalance, CurrencyBalance } from "../../types.js";
import { arr, dataArray, decOpt, decOr0, obj, str } from "./wire.js";

/*
 * private/user-balance → result (one row per account; user.balance pushes the same rows)
 * {"data":[{"instrument_name":"USD","total_available_balance":"4721.05","total_margin_balance":"7595.42",
 *   "total_initial_margin":"2874.37","total_maintenance_margin":"1437.18","total_position_cost":"0",
 *   "total_cash_balance":"7595.42","total_collateral_value":"7595.42","total_session_unrealized_pnl":"0",
 *   "total_session_realized_pnl":"0","is_liquidating":false,"total_effective_leverage":"0",
 *   "position_limit":"3000000","used_position_limit":"0",
 *   "position_balances":[{"instrument_name":"BTC","quantity":"0.25","market_value":"12750.00",
 *     "collateral_eligible":"true","haircut":"0.5","collateral_amount":"12500.00",
 *     "max_withdrawal_balance":"0.24","reserved_qty":"0.01"}]}]}
 */
export function parseBalanceRow(v: unknown, path = "balance"): AccountBalance {
  const r = obj(v, path);
  const rows = arr(r.position_balances ?? [], `${path}.position_balances`);
  const currencies: CurrencyBalance[] = rows.map((pv, i) => {
    const p = obj(pv, `${path}.position_balances[${i}]`);
    const at = `${path}.position_balances[${i}]`;
    const total = decOr0(p.quantity, `${at}.quantity`);
    const reserved = decOr0(p.reserved_qty, `${at}.reserved_qty`);
    return {
      currency: str(p.instrument_name, `${at}.instrument_name`),
      total,
      reserved,
      available: total.minus(reserved),
      marketValue: decOpt(p.market_value, `${at}.market_value`),
      maxWithdrawal: decOpt(p.max_withdrawal_balance, `${at}.max_withdrawal_balance`),
    };
  });
  return {
    totalAvailable: decOr0(r.total_available_balance, `${path}.total_available_balance`),
    totalCash: decOpt(r.total_cash_balance, `${path}.total_cash_balance`),
    totalMargin: decOpt(r.total_margin_balance, `${path}.total_margin_balance`),
    currencies,
  };
}

export function parseUserBalance(result: unknown): AccountBalance {
  const rows = dataArray(result, "result");
  if (rows.length === 0) {
    return {
      totalAvailable: decOr0(undefined, ""),
      totalCash: undefined,
      totalMargin: undefined,
      currencies: [],
    };
  }
  return parseBalanceRow(rows[0], "result.data[0]");
}
