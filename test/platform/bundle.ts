/**
 * The CLI bundled with esbuild, for the platform tests that start `atp start` as a real process
 * (copied from test/helpers/cli-bundle.ts on the crash branch):
 * `node <bundle>` starts in a fraction of the time `node --import tsx` takes (no per-file
 * transpilation), and never runs a stale `dist/`.
 *
 * Invariants:
 * - The bundle is built from the current `src/` each time `bundleCli()` is called (one build per
 *   test file), into its own file, so parallel test files never overwrite each other's bundle.
 * - The file sits two directories below the repository root (`tmp/platform-bundle/`, ignored by git):
 *   package imports (kept external) resolve from the repository's node_modules, and the few
 *   `new URL("../../…", import.meta.url)` paths of src/ resolve to the same files as from source.
 * - `dispose()` removes the file; spawned processes get `cleanEnv` (test/helpers/cli.ts) plus what
 *   the test passes, never the developer's own settings.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { cleanEnv } from "../helpers/cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "tmp", "platform-bundle");

export interface CliBundle {
  /** Absolute path of the bundled CLI (an ES module). */
  file: string;
  /** How long the build took (ms). */
  buildMs: number;
  /** Spawns `node <bundle> ...args` with a clean environment plus `env` in `cwd` (default the repository); stdout/stderr piped. */
  spawn(args: string[], env?: Record<string, string>, cwd?: string): ChildProcess;
  dispose(): void;
}

const ENTRY = `import { main } from "./src/cli/main.ts";\nprocess.exitCode = await main(process.argv.slice(2));\n`;

/** Bundles src/cli/main.ts (with a two-line entry that runs it) into tmp/platform-bundle/. */
export async function bundleCli(): Promise<CliBundle> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `atp-cli-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
  const t0 = performance.now();
  await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: "atp-bundle-entry.ts", loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: file,
    logLevel: "silent",
  });
  const buildMs = performance.now() - t0;
  return {
    file,
    buildMs,
    spawn: (args, env = {}, cwd = ROOT) =>
      spawn(process.execPath, [file, ...args], {
        cwd,
        env: cleanEnv(env),
        stdio: ["ignore", "pipe", "pipe"],
      }),
    dispose: () => rmSync(file, { force: true }),
  };
}
