/**
 * The order test files start in (vitest.config.ts `sequence.sequencer`): the files that take longest
 * first, so that no long file starts last and runs alone at the end. On a clean clone vitest knows
 * no durations and starts the largest files first; the crash test (small file, ~17 s of real
 * processes) then started at 117 s of a 134 s run, the other workers idle behind it.
 *
 * Invariants:
 * - Only the order changes: every file the run selected runs, once.
 * - The files named here come first, in this order; every other file keeps vitest's own order
 *   (the last run's durations when it has them, else the largest first).
 * - The footprint test and the browser tests are not here on purpose: the footprint's start-up
 *   bound and the browser's element waits must not meet the heaviest files all at once.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Path prefixes (from the repository root), longest first: each spawns processes, browsers or servers. */
export const LONGEST_FIRST: readonly string[] = [
  "test/platform/start-signals.test.ts",
  "test/crash/",
  "test/market/emulator-feed.integration.test.ts",
  "test/emulator/faults.test.ts",
  "test/platform/start-faults.test.ts",
  "test/failover/",
  "test/emulator/clock.test.ts",
  "test/store/leader.test.ts",
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const byVitest = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (f: TestSpecification) => {
      const path = relative(root, f.moduleId).replaceAll("\\", "/");
      const i = LONGEST_FIRST.findIndex((prefix) => path.startsWith(prefix));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    const ranked = byVitest.map((f, i) => ({ f, i, r: rank(f) }));
    ranked.sort((a, b) => a.r - b.r || a.i - b.i);
    return ranked.map((x) => x.f);
  }
}
