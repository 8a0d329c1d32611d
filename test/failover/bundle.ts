/**
 * The CLI as one ESM file for the failover tests' child processes, built with esbuild from the
 * current source (never tsx, never the possibly stale dist/).
 *
 * Invariants:
 * - Built once per test file (`bundleAtp()` memoises the build of this process); every spawned
 *   `atp` runs exactly the source under test.
 * - Dependencies stay external (`packages: "external"`): the bundle loads better-sqlite3, pg, … from
 *   node_modules, so it lives under node_modules/.cache where their resolution works.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT_DIR = join(ROOT, "node_modules", ".cache", "atp-failover");

let built: Promise<string> | undefined;

/** Bundles src/cli/main.ts behind a tiny entry; resolves to the path of the .mjs to run with node. */
export function bundleAtp(): Promise<string> {
  built ??= (async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    const entry = join(OUT_DIR, `entry-${process.pid}.ts`);
    const main = join(ROOT, "src", "cli", "main.ts").replaceAll("\\", "/");
    writeFileSync(
      entry,
      `import { main } from ${JSON.stringify(main)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
    const outfile = join(OUT_DIR, `atp-${process.pid}.mjs`);
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
