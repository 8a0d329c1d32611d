import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: "forks",
    // Workers, chosen rather than left to vitest's default (cores − 1, which is ONE on the 2-core CI
    // machine: files ran one after another, ~140 s). Most files wait on loopback sockets, child
    // processes and timers rather than compute, so two workers on two cores take ~86 s; on bigger
    // machines vitest's default applies. Tests assert on injected clocks and events, not on how long
    // something took, so the extra load of a second worker does not change their outcome.
    // `npx vitest run --maxWorkers=1 …` still runs one file at a time.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
