/**
 * The CLI bundled with esbuild, for tests that start `atp` as a real process (crash, platform,
 * proxy, deploy, browser): `node <bundle>` starts in a fraction of the time `node --import tsx`
 * takes (no per-file transpilation), and never runs a stale `dist/`.
 *
 * Invariants:
 * - The bundle is built from the current `src/` each time `bundleCli()` is called (one build per
 *   test file), into its own file, so parallel test files never overwrite each other's bundle.
 * - The file sits two directories below the repository root (`tmp/cli-bundle/`, ignored by git):
 *   the packages kept external (native or optional ones) resolve from the repository's node_modules,
 *   and the few `new URL("../../…", import.meta.url)` paths of src/ resolve to the same files as from
 *   source.
 * - By default (`packages: "bundled"`) the pure-JS packages are bundled too: resolving and loading
 *   them one file at a time was most of a start's cost (`atp --version` ~1.1 s with them external,
 *   ~0.6 s bundled). CommonJS packages get `require`, `__filename` and `__dirname` from a banner
 *   (the bundle's own; only pino's transport resolution uses `__dirname`, and atp logs without
 *   transports). `packages: "external"` leaves every package to node_modules, loaded as
 *   `node bin/atp.js` loads them (what the platform tests use, e.g. footprint.test.ts's RSS bound).
 * - `dispose()` removes the file; spawned processes get `cleanEnv` (test/helpers/cli.ts) plus what
 *   the test passes, never the developer's own settings.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { cleanEnv } from "./cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "tmp", "cli-bundle");

export interface CliBundle {
  /** Absolute path of the bundled CLI (an ES module). */
  file: string;
  /** How long the build took (ms). */
  buildMs: number;
  /**
   * Spawns `node <bundle> ...args` with a clean environment plus `env`, in `cwd` (default the
   * repository); stdout/stderr piped.
   */
  spawn(args: string[], env?: Record<string, string>, cwd?: string): ChildProcess;
  dispose(): void;
}

export interface CliBundleOptions {
  /**
   * "bundled" (default): pure-JS packages inside the bundle, only the native and optional ones
   * left to node_modules. "external": every package loaded from node_modules.
   */
  packages?: "bundled" | "external";
}

const ENTRY = `import { main } from "./src/cli/main.ts";\nprocess.exitCode = await main(process.argv.slice(2));\n`;

/** Packages left to node_modules: native addons and optional dependencies the CLI may not have. */
const EXTERNAL = [
  "better-sqlite3",
  "pg-native",
  "bufferutil",
  "utf-8-validate",
  "fsevents",
  "playwright-core",
  "ccxt",
];
const BANNER = [
  'import { createRequire as __atpCreateRequire } from "node:module";',
  'import { fileURLToPath as __atpFileURLToPath } from "node:url";',
  "const require = __atpCreateRequire(import.meta.url);",
  "const __filename = __atpFileURLToPath(import.meta.url);",
  'const __dirname = __atpFileURLToPath(new URL(".", import.meta.url));',
].join("\n");

/** Bundles of test processes that are gone (a worker killed before its clean-up ran). */
function removeOrphans(): void {
  for (const name of readdirSync(CACHE)) {
    const pid = Number(/^atp-cli-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0); // still running: its bundle stays
    } catch {
      rmSync(join(CACHE, name), { force: true });
    }
  }
}

/** Bundles src/cli/main.ts (with a two-line entry that runs it) into tmp/cli-bundle/. */
export async function bundleCli(options: CliBundleOptions = {}): Promise<CliBundle> {
  const packages =
    options.packages === "external"
      ? { packages: "external" as const }
      : { external: EXTERNAL, banner: { js: BANNER } };
  mkdirSync(CACHE, { recursive: true });
  removeOrphans();
  const file = join(CACHE, `atp-cli-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
  const t0 = performance.now();
  await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: "atp-bundle-entry.ts", loader: "ts" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    ...packages,
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
