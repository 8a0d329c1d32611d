/**
 * A dry run after a restart. The broker's simulated account lives in memory only, so at start the
 * store's open DRY_RUN work is brought back into a consistent state before the trader resumes
 * (resume/venue-restart.ts: orders CANCELED and intents FAILED with `DRY_RUN_RESTART`, open lots
 * back to protection NONE, the virtual account = the configured balances plus what the open lots
 * still hold).
 */
import type { Store } from "../../store/types.js";
import { restartVenueWork } from "../resume/venue-restart.js";

export const DRY_RUN_RESTART = "DRY_RUN_RESTART";

/** Restores the store's DRY_RUN state; returns the balances the broker starts with. */
export async function restoreDryRun(
  store: Store,
  balances: Readonly<Record<string, string>>,
): Promise<Record<string, string>> {
  return (await restartVenueWork(store, "DRY_RUN", DRY_RUN_RESTART, balances)).balances;
}
