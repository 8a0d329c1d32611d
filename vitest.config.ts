import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./test/sequencer.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Timeouts catch hangs, not slowness (no test asserts on speed). A test that spawns the CLI several
    // times costs ~1.5 s of CPU per spawn; on a loaded 2-core machine (load average 7-10) one such
    // test took 20 s, so 20 s timeouts failed tests that were only slow.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Workers, chosen rather than left to vitest's default (cores − 1, which is ONE on the 2-core CI
    // machine: files ran one after another, ~140 s). Most files wait on loopback sockets, child
    // processes and timers rather than compute, so two workers on two cores take ~86 s; on bigger
    // machines vitest's default applies. No test asserts that something was fast (the few duration
    // checks are lower bounds, e.g. a paced burst takes ≥ 1.3 s, which load only makes longer), so the
    // extra load of a second worker changes how long the suite takes, not its outcome.
    // Three workers on two cores: the platform, crash and browser files mostly wait on child
    // processes and sockets (the suite spends ~240 s in tests: 2 workers took ~125 s wall).
    // `npx vitest run --maxWorkers=1 …` still runs one file at a time.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    // Test files share their worker process (and its module cache) instead of each getting a fresh
    // one: importing the source tree per file cost ~45 s of the suite's ~125 s on 2 cores. Files must
    // therefore leave no global state behind (servers closed, env and cwd restored, timers cleared);
    // `npx vitest run --isolate` runs each file alone when a leak is suspected.
    isolate: false,
    // The longest files start first (test/sequencer.ts): on a clean clone vitest knows no durations.
    sequence: { sequencer: LongestFirstSequencer },
  },
});
