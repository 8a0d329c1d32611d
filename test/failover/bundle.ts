/**
 * The CLI as one ESM file for the failover tests' child processes, built with esbuild from the
 * current source (never tsx, never the possibly stale dist/).
 *
 * Invariants:
 * - Built once per test file (`bundleAtp()` memoises the build of this process); every spawned
 *   `atp` runs exactly the source under test.
 * - Named by this process's pid (test files in parallel workers never overwrite each other's) and
 *   removed when this process exits; bundles of processes no longer alive (a worker killed before
 *   its exit handler ran) are removed by the next build.
 * - Dependencies stay external (`packages: "external"`): the bundle loads better-sqlite3, pg, … from
 *   node_modules, so it lives under node_modules/.cache where their resolution works.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT_DIR = join(ROOT, "node_modules", ".cache", "atp-failover");

let built: Promise<string> | undefined;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the bundles (and entries) of test processes that are gone. */
function removeStale(): void {
  for (const name of readdirSync(OUT_DIR)) {
    const pid = /^(?:atp|entry)-(\d+)\.(?:mjs|ts)$/.exec(name)?.[1];
    if (pid && Number(pid) !== process.pid && !alive(Number(pid)))
      rmSync(join(OUT_DIR, name), { force: true });
  }
}

/** Bundles src/cli/main.ts behind a tiny entry; resolves to the path of the .mjs to run with node. */
export function bundleAtp(): Promise<string> {
  built ??= (async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    removeStale();
    const entry = join(OUT_DIR, `entry-${process.pid}.ts`);
    const main = join(ROOT, "src", "cli", "main.ts").replaceAll("\\", "/");
    writeFileSync(
      entry,
      `import { main } from ${JSON.stringify(main)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
    const outfile = join(OUT_DIR, `atp-${process.pid}.mjs`);
    process.once("exit", () => {
      rmSync(entry, { force: true });
      rmSync(outfile, { force: true });
    });
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile,
      logLevel: "silent",
    });
    return outfile;
  })();
  return built;
}
