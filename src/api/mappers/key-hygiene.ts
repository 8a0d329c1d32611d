/**
 * The dashboard's `key_hygiene` (ApiKeyHygiene): the engine status's start-up key hygiene reading
 * (src/app/platform/key-hygiene-gate.ts), or "not checked" when the process has none.
 *
 * Invariants: never throws (the dashboard answer must not fail because of it: a source that throws
 * is shown as unknown, with why); `trading_refused` is true exactly when the source says live
 * orders are refused, so the banner and GET /api/trading never disagree.
 */
import type { ApiKeyHygiene } from "../contract/types.js";
import type { EngineStatus } from "../deps.js";

const NOT_CHECKED: ApiKeyHygiene = {
  key_can_withdraw: null,
  via: null,
  detail: "not checked in this process",
  trading_refused: false,
};

export function keyHygieneOf(engine: Pick<EngineStatus, "keyHygiene" | "liveRefusal">): ApiKeyHygiene {
  try {
    const reading = engine.keyHygiene?.();
    if (!reading) return { ...NOT_CHECKED };
    return { ...reading, trading_refused: engine.liveRefusal?.() !== undefined };
  } catch (e) {
    return {
      ...NOT_CHECKED,
      detail: `key hygiene not available: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
