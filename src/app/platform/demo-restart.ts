/**
 * The demo after a restart: its store (./data/demo) outlives the in-process emulator, whose account
 * and orders lived in memory. Before the engine starts, the store's open DEMO work is brought in line
 * with the new emulator, as a dry run's is with its new simulated account
 * (trading/resume/venue-restart.ts): the old emulator's open orders CANCELED and open intents FAILED
 * with `DEMO_RESTART` (audited), open positions carried over (protection NONE, so the trader
 * protects them again at once) and their base quantity credited to the new emulator's account.
 * The new emulator's order ids start above every id an earlier one gave (demo-setup.ts).
 */
import type { EmulatorAdmin } from "../../emulator/index.js";
import type { Store } from "../../store/types.js";
import { restartVenueWork, type VenueRestart } from "../../trading/resume/venue-restart.js";
import { DEMO_ACCOUNT } from "./demo-setup.js";

export const DEMO_RESTART = "DEMO_RESTART";

/** Brings the store's DEMO work in line with a new emulator; what it carried over and closed. */
export async function restartDemo(store: Store, admin: EmulatorAdmin): Promise<VenueRestart> {
  const held = admin.balances(DEMO_ACCOUNT);
  const totals = Object.fromEntries(Object.entries(held).map(([ccy, b]) => [ccy, b.total]));
  const r = await restartVenueWork(store, "DEMO", DEMO_RESTART, totals);
  if (r.lots > 0) admin.setBalances(DEMO_ACCOUNT, r.balances);
  return r;
}
