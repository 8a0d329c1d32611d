/** Incremental O(1) indicators (analytics only: plain numbers, never sent to the exchange). */
export { Atr } from "./atr.js";
export { Ema } from "./ema.js";
export { IndicatorSet, type Reading } from "./indicator-set.js";
export { Rsi } from "./rsi.js";
export { Sma } from "./sma.js";
export {
  type IndicatorKind,
  type IndicatorSpec,
  specKey,
  specLabel,
  specNeeded,
  specWarmup,
} from "./spec.js";
export { VolumeRatio } from "./volume-ratio.js";
