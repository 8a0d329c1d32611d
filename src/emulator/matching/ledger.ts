/**
 * Balances per account and currency: `total` (what the account owns) and `reserved` (held for open
 * orders). Invariant: 0 <= reserved <= total for every row the engine touches; available = total −
 * reserved. Admin writes may set a total below the reserved amount; orders then fail with 306.
 */
import { Dec } from "../../util/decimal.js";

export interface BalanceRow {
  total: Dec;
  reserved: Dec;
}

const ZERO = new Dec(0);

export class Ledger {
  private readonly accounts = new Map<string, Map<string, BalanceRow>>();

  hasAccount(account: string): boolean {
    return this.accounts.has(account);
  }

  accountNames(): string[] {
    return [...this.accounts.keys()];
  }

  ensureAccount(account: string): void {
    if (!this.accounts.has(account)) this.accounts.set(account, new Map());
  }

  private row(account: string, ccy: string): BalanceRow {
    this.ensureAccount(account);
    const rows = this.accounts.get(account)!;
    let r = rows.get(ccy);
    if (!r) {
      r = { total: ZERO, reserved: ZERO };
      rows.set(ccy, r);
    }
    return r;
  }

  /** Sets the total owned (admin); the reserved amount is kept. */
  setTotal(account: string, ccy: string, total: Dec): void {
    this.row(account, ccy).total = total;
  }

  total(account: string, ccy: string): Dec {
    return this.accounts.get(account)?.get(ccy)?.total ?? ZERO;
  }

  reserved(account: string, ccy: string): Dec {
    return this.accounts.get(account)?.get(ccy)?.reserved ?? ZERO;
  }

  available(account: string, ccy: string): Dec {
    const r = this.accounts.get(account)?.get(ccy);
    if (!r) return ZERO;
    const a = r.total.sub(r.reserved);
    return a.isNegative() ? ZERO : a;
  }

  reserve(account: string, ccy: string, amount: Dec): void {
    const r = this.row(account, ccy);
    r.reserved = r.reserved.add(amount);
  }

  release(account: string, ccy: string, amount: Dec): void {
    const r = this.row(account, ccy);
    r.reserved = Dec.max(ZERO, r.reserved.sub(amount));
  }

  /** Pays out of a reservation: both total and reserved go down. */
  spendReserved(account: string, ccy: string, amount: Dec): void {
    const r = this.row(account, ccy);
    r.reserved = Dec.max(ZERO, r.reserved.sub(amount));
    r.total = r.total.sub(amount);
  }

  /** Pays out of the available balance. */
  spend(account: string, ccy: string, amount: Dec): void {
    const r = this.row(account, ccy);
    r.total = r.total.sub(amount);
  }

  credit(account: string, ccy: string, amount: Dec): void {
    const r = this.row(account, ccy);
    r.total = r.total.add(amount);
  }

  /** Every currency row of an account (sorted by currency). */
  rows(account: string): [string, BalanceRow][] {
    const rows = this.accounts.get(account);
    if (!rows) return [];
    return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
