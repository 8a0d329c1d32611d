/**
 * The matching core's events as the user channels carry them (reference §7.2): `user.order`,
 * `user.advanced.order`, `user.trade` and `user.balance` messages for one account. An advanced
 * (trigger or OCO) order updates `user.advanced.order`, and once triggered `user.order` too; a
 * plain order updates `user.order`. VenueOrder and trade payloads carry `transaction_time` (and `_ns`).
 */
import { fillToWire, orderToWire, type VenueFill, type VenueOrder } from "./matching/index.js";

/** One message for the user channel `channel` of `account` (filtered by `instrument` when set). */
export type UserPush = { account: string; channel: string; instrument?: string | undefined; data: unknown[] };

/** The user-channel messages of an order's new state. */
export function orderPushes(o: VenueOrder): UserPush[] {
  const data = [
    { ...orderToWire(o), transaction_time: o.updateTime, transaction_time_ns: `${o.updateTime}000000` },
  ];
  const instrument = o.instrument.symbol;
  if (o.origin !== "advanced") return [{ account: o.account, channel: "user.order", instrument, data }];
  const pushes: UserPush[] = [{ account: o.account, channel: "user.advanced.order", instrument, data }];
  if (o.triggered) pushes.push({ account: o.account, channel: "user.order", instrument, data });
  return pushes;
}

/** The `user.trade` message of a fill. */
export function fillPush(f: VenueFill): UserPush {
  return {
    account: f.account,
    channel: "user.trade",
    instrument: f.instrument.symbol,
    data: [{ ...fillToWire(f), transaction_time: f.time }],
  };
}

/** The `user.balance` message of an account (its one summary row). */
export function balancePush(account: string, row: Record<string, unknown>): UserPush {
  return { account, channel: "user.balance", data: [row] };
}
