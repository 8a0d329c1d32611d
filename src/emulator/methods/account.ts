/**
 * Account and wallet methods (reference §5.2): balances, currency networks (read, so that
 * third-party clients can load markets with a trade-only key) and withdrawals (withdraw permission;
 * the emulator debits the balance and records nothing else) and deposit addresses (withdraw
 * permission, as on the exchange: a key without it gets `missing_permission_code`, checked before
 * any handler runs; one fixed address per account and currency).
 */
import { createHash } from "node:crypto";
import { dec } from "../../util/decimal.js";
import type { Handler } from "../exchange.js";
import { fail, ok } from "../http/envelope.js";
import { ParamError, reqString } from "./params.js";

/* {"result":{"data":[{"instrument_name":"USD","total_available_balance":"…",…,"position_balances":[…]}]}} */
const userBalance: Handler = (ex, ctx) => ok({ data: [ex.balanceRow(ctx.key!.account)] });

/* {"result":{"update_time":…,"currency_map":{"BTC":{"full_name":"BTC","default_network":"BTC","network_list":[…]}}}} */
const getCurrencyNetworks: Handler = (ex) => {
  const ccys = new Set<string>();
  for (const i of ex.engine.instrumentList()) {
    ccys.add(i.baseCcy);
    ccys.add(i.quoteCcy);
  }
  const currency_map: Record<string, unknown> = {};
  for (const c of [...ccys].sort()) {
    currency_map[c] = {
      full_name: c,
      default_network: c,
      network_list: [
        {
          network_id: c,
          withdrawal_fee: "0",
          withdraw_enabled: true,
          min_withdrawal_amount: "0",
          deposit_enabled: true,
          confirmation_required: "1",
        },
      ],
    };
  }
  return ok({ update_time: ex.clock.now(), currency_map });
};

/* {"result":{"id":2220,"amount":1,"fee":0,"symbol":"BTC","address":"…","client_wid":"…","create_time":…}} */
const createWithdrawal: Handler = (ex, ctx) => {
  const currency = reqString(ctx.params, "currency");
  const amountText = reqString(ctx.params, "amount");
  const address = reqString(ctx.params, "address");
  let amount: ReturnType<typeof dec>;
  try {
    amount = dec(amountText);
  } catch {
    throw new ParamError(40004, `Invalid amount: ${amountText}`);
  }
  if (amount.lte(0)) throw new ParamError(40004, "Invalid amount: must be positive");
  const account = ctx.key!.account;
  const available = ex.engine.ledger.available(account, currency);
  if (amount.gt(available)) {
    return fail(30024, `amount ${amountText} is above max_withdrawal_balance ${available.toFixed()}`);
  }
  const current = ex.engine.ledger.total(account, currency);
  ex.engine.setBalances(account, { [currency]: current.sub(amount).toFixed() });
  return ok({
    // A small number as in the sample, from the seeded id sequence (reproducible, unlike the clock).
    id: Number(BigInt(ex.engine.newId()) % 1_000_000_000n),
    amount: amountText,
    fee: "0",
    symbol: currency,
    address,
    client_wid: ctx.params.client_wid ?? null,
    create_time: ex.clock.now(),
  });
};

/* {"result":{"deposit_address_list":[{"currency":"BTC","create_time":…,"id":"…","address":"…","status":"1","network":"BTC"}]}} */
const getDepositAddress: Handler = (ex, ctx) => {
  const currency = reqString(ctx.params, "currency");
  const account = ctx.key!.account;
  const digest = createHash("sha256").update(`${account}/${currency}`).digest("hex");
  return ok({
    deposit_address_list: [
      {
        currency,
        create_time: ex.clock.now(),
        id: String(Number.parseInt(digest.slice(0, 8), 16)),
        address: `emu-${currency.toLowerCase()}-${digest.slice(0, 32)}`,
        status: "1",
        network: currency,
      },
    ],
  });
};

export const ACCOUNT_METHODS: ReadonlyArray<readonly [string, Handler]> = [
  ["private/user-balance", userBalance],
  ["private/get-currency-networks", getCurrencyNetworks],
  ["private/create-withdrawal", createWithdrawal],
  ["private/get-deposit-address", getDepositAddress],
];
