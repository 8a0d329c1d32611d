/**
 * The CLI bundled with esbuild, for tests that start `atp` as a real process (crash, platform,
 * proxy, deploy, browser): `node <bundle>` starts in a fraction of the time `node --import tsx`
 * takes (no per-file transpilation), and never runs a stale `dist/`.
 *
 * Invariants:
 * - A bundle is named for what it was built from: the SHA-256 of every file under `src/`, the
 *   lockfile and the build options. `bundleCli()` reuses the file of the current source when it
 *   exists (the test files and workers of one run build once, not once each: ~1 s of CPU per
 *   build) and builds it otherwise, never running a stale one. A build writes a file of its own and
 *   renames it into place, so parallel builders never see a half-written bundle.
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
 * - The file is shared by the run's test files (none removes it); a bundle unused for an hour (its
 *   time is touched at each use) is removed by the next build. Spawned processes get `cleanEnv`
 *   (test/helpers/cli.ts) plus what the test passes, never the developer's own settings.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { cleanEnv } from "./cli.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = join(ROOT, "tmp", "cli-bundle");

export interface CliBundle {
  /** Absolute path of the bundled CLI (an ES module). */
  file: string;
  /** How long getting the bundle took (ms): its build, or only the source's hash when it existed. */
  buildMs: number;
  /**
   * Spawns `node <bundle> ...args` with a clean environment plus `env`, in `cwd` (default the
   * repository); stdout/stderr piped.
   */
  spawn(args: string[], env?: Record<string, string>, cwd?: string): ChildProcess;
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

/** Bundles unused for an hour; build files of test processes that are gone. */
function removeStale(current: string): void {
  for (const name of readdirSync(CACHE)) {
    const file = join(CACHE, name);
    const pid = Number(/^build-(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid)) {
      if (pid !== process.pid && !alive(pid)) rmSync(file, { force: true });
    } else if (name !== current) {
      const at = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
      if (at !== undefined && Date.now() - at > 3_600_000) rmSync(file, { force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every file under `dir`, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The SHA-256 of what a bundle is built from: the source tree, the lockfile and the options. */
function sourceHash(options: string): string {
  const h = createHash("sha256").update(ENTRY).update(options);
  for (const file of [...filesUnder(join(ROOT, "src")), join(ROOT, "package-lock.json")]) {
    if (!existsSync(file)) continue;
    h.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return h.digest("hex").slice(0, 20);
}

/** Bundles src/cli/main.ts (with a two-line entry that runs it) into tmp/cli-bundle/, once per source. */
export async function bundleCli(options: CliBundleOptions = {}): Promise<CliBundle> {
  const kind = options.packages === "external" ? "external" : "bundled";
  const packages =
    kind === "external" ? { packages: "external" as const } : { external: EXTERNAL, banner: { js: BANNER } };
  mkdirSync(CACHE, { recursive: true });
  const t0 = performance.now();
  const name = `atp-cli-${kind}-${sourceHash(kind)}.mjs`;
  const file = join(CACHE, name);
  removeStale(name);
  if (!existsSync(file)) {
    const building = join(CACHE, `build-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
    await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: "atp-bundle-entry.ts", loader: "ts" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      ...packages,
      outfile: building,
      logLevel: "silent",
    });
    renameSync(building, file);
  } else utimesSync(file, new Date(), new Date()); // in use: not stale
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
  };
}
