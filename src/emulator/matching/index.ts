/**
 * The matching core, usable without HTTP (see docs/emulator.md "Matching core API"): a
 * MatchingEngine filling against any MarketView, its Ledger of balances, and wire formatters that
 * render its state as the exchange does.
 */
export {
  type EngineOptions,
  MatchingEngine,
  type OrderFilter,
  type OrderQuery,
  type SubmitOptions,
} from "./engine.js";
export { type BalanceRow, Ledger } from "./ledger.js";
export * from "./types.js";
export { accountId, balanceToWire, fillToWire, orderToWire } from "./wire.js";
