/**
 * What the services return for reading: positions (a lot with its protection orders) and the
 * settings as one object. Read-only shapes; money stays `Dec`.
 */
import type { Lot, OrderRecord, SettingRead, SwitchRead } from "../../store/types.js";

export interface PositionView {
  lot: Lot;
  /** The lot's take-profit and stop-loss legs (the newest of each), when placed. */
  takeProfit: OrderRecord | undefined;
  stopLoss: OrderRecord | undefined;
  /** Every order of the lot (entry, legs, exits), oldest first. */
  orders: OrderRecord[];
}

export interface TradingSettingsView {
  liveTrading: SwitchRead;
  killSwitch: SwitchRead;
  limits: SettingRead<"limits">;
  lossProtection: SettingRead<"loss_protection">;
  protection: SettingRead<"protection">;
}

/** The lot with its legs: the newest order of each protective role. */
export function positionViewOf(lot: Lot, orders: OrderRecord[]): PositionView {
  const sorted = [...orders].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  const newest = (role: OrderRecord["role"]) => sorted.filter((o) => o.role === role).at(-1);
  return { lot, takeProfit: newest("TAKE_PROFIT"), stopLoss: newest("STOP_LOSS"), orders: sorted };
}
