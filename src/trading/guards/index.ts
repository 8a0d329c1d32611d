/**
 * `runGuards(ctx, venue, request)`: every guard in order (see types.ts for the contract).
 * Placeholder until the guard list lands: only the kill switch, so the pipeline can be built
 * against the final signature.
 */
import type { TradingContext, Venue } from "../context.js";
import type { GuardCheck, GuardRequest, GuardVerdict } from "./types.js";

export * from "./types.js";

export async function runGuards(
  ctx: TradingContext,
  _venue: Venue,
  req: GuardRequest,
): Promise<GuardVerdict> {
  const checks: GuardCheck[] = [];
  if (!req.protective) {
    const ks = await ctx.store.settings.killSwitch();
    checks.push({
      code: "KILL_SWITCH",
      ok: !ks.value,
      detail: `kill switch ${ks.value ? "on" : "off"} (${ks.why})`,
    });
  }
  const failed = checks.find((c) => !c.ok);
  return { ok: !failed, reasonCode: failed?.code, checks };
}
