/**
 * Crash safety (issue 10, "Crash safety and failover"): `atp start` is killed with SIGKILL at random
 * points during placement, confirmation and protection — ATP_CRASH_KILLS times per store (default 3
 * in `npm test`; `npm run test:crash` runs 50) — against an emulator that loses responses, delays and answers 5xx; restarted each time;
 * then the emulator's ledger is compared with the store: no intent led to two exchange orders,
 * every exchange order is in the store, every filled entry is protected or closed within the
 * protection deadline after the last restart (docs/trading/crash-safety.md).
 *
 * Invariants: the seed (ATP_CRASH_SEED, default random) is printed with the figures and in every
 * failure; the kills must have landed in placement, confirmation and protection — each at least
 * max(1, kills / 10) times, as the store showed it after the kill.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { DIALECTS } from "../store/helpers.js";
import { crashRun, crashSummary } from "./crash-run.js";
import { crashWorld } from "./world.js";

// npm test: a short run per store; `npm run test:crash` (CI) runs 50 per store
const KILLS = Number(process.env.ATP_CRASH_KILLS ?? 3);
/** Kills each of placement, confirmation and protection must have landed in. */
const MIN_PER_PHASE = Math.max(1, Math.floor(KILLS / 10));
const SEED = Number(process.env.ATP_CRASH_SEED ?? Math.floor(Math.random() * 1_000_000));

let bundle: CliBundle;
beforeAll(async () => {
  bundle = await bundleCli();
});

describe.each(DIALECTS)("crash safety on %s", (dialect) => {
  it(
    `survives ${KILLS} SIGKILLs during placement, confirmation and protection`,
    async () => {
      const world = await crashWorld(dialect, SEED);
      try {
        const r = await crashRun(world, bundle, KILLS);
        const summary = crashSummary(dialect, r);
        console.log(summary);
        const context = `${summary}\n(replay with ATP_CRASH_SEED=${r.seed})`;
        expect(r.violations, `${context}\n${r.violations.join("\n\n")}\n${r.lastOutput}`).toEqual([]);
        expect(r.stopCode, `${context}\nSIGTERM must stop atp with 0\n${r.lastOutput}`).toBe(0);
        // the phase coverage is a property of the long run (CI's 50 kills per store); a short run
        // of a few kills checks the ledger and the store, wherever its kills happened to land
        if (KILLS >= 20) {
          expect(r.phases.placement, context).toBeGreaterThanOrEqual(MIN_PER_PHASE);
          expect(r.phases.confirmation, context).toBeGreaterThanOrEqual(MIN_PER_PHASE);
          expect(r.phases.protection, context).toBeGreaterThanOrEqual(MIN_PER_PHASE);
        }
      } finally {
        await world.dispose();
      }
    },
    KILLS * 6_000 + 60_000,
  );
});
