/**
 * The matching core, usable without HTTP (see docs/emulator.md "Matching core API"): a
 * MatchingEngine filling against any MarketView, its Ledger of balances, the order predicates it
 * decides with, and wire formatters that render its state as the exchange does. It imports nothing
 * but `util/decimal` and the instrument rules of `exchange/cryptocom/instruments`: no HTTP, no
 * timers, no emulator state, so the trading engine's dry-run broker can drive it in process.
 */
export {
  type EngineOptions,
  MatchingEngine,
  type OrderFilter,
  type OrderQuery,
  type SubmitOptions,
} from "./engine.js";
export { type BalanceRow, Ledger } from "./ledger.js";
export { DEFAULT_MAX_FINAL_ORDERS } from "./order-store.js";
export {
  crosses,
  isLimitLike,
  isPostOnly,
  triggerHit,
  workingKind,
  wouldTake,
} from "./predicates.js";
export * from "./types.js";
export { accountId, balanceToWire, fillToWire, orderToWire } from "./wire.js";
