/**
 * `.ci/run` prints its closing line "tests: N passed, N failed, N skipped" in every case and exits
 * non-zero when the tests failed. Runs the real script with a stand-in `npm` first on PATH (install,
 * build and lint succeed at once; `npm test` writes a given vitest JSON report and exits with a given
 * status), so nothing is installed or built.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const RUN = new URL("../../.ci/run", import.meta.url).pathname;
const SUMMARY = new URL("../../.ci/test-summary.mjs", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "atp-ci-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FAKE_NPM = `#!/usr/bin/env bash
# stand-in for npm: only "npm test -- … --outputFile=PATH" does anything
if [ "$1" = test ]; then
  for a in "$@"; do case "$a" in --outputFile=*) out="\${a#--outputFile=}";; esac; done
  if [ -n "\${FAKE_REPORT:-}" ]; then cp "$FAKE_REPORT" "$out"; fi
  echo "fake vitest output"
  exit "\${FAKE_STATUS:-0}"
fi
exit 0
`;
const bin = join(dir, "bin");
mkdirSync(bin);
writeFileSync(join(bin, "npm"), FAKE_NPM);
chmodSync(join(bin, "npm"), 0o755);

interface Counts {
  passed: number;
  failed: number;
  skipped?: number;
  files?: { name: string; status: "passed" | "failed"; failedTests?: number }[];
}

/** A vitest JSON report with these counts (the fields test-summary.mjs reads). */
function report(c: Counts): string {
  const files = c.files ?? [{ name: join(dir, "a.test.ts"), status: c.failed > 0 ? "failed" : "passed" }];
  return JSON.stringify({
    numTotalTests: c.passed + c.failed + (c.skipped ?? 0),
    numPassedTests: c.passed,
    numFailedTests: c.failed,
    numPendingTests: c.skipped ?? 0,
    numTodoTests: 0,
    numFailedTestSuites: files.filter((f) => f.status === "failed").length,
    success: files.every((f) => f.status === "passed") && c.failed === 0,
    testResults: files.map((f) => ({
      name: f.name,
      status: f.status,
      assertionResults: Array.from(
        { length: f.failedTests ?? (f.status === "failed" ? c.failed : 0) },
        () => ({
          status: "failed",
        }),
      ),
    })),
  });
}

let n = 0;
function ciRun(opts: { report?: string; status: number }): { code: number | null; lines: string[] } {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_STATUS: String(opts.status),
  };
  delete env.FAKE_REPORT;
  if (opts.report !== undefined) {
    const file = join(dir, `report-${++n}.json`);
    writeFileSync(file, opts.report);
    env.FAKE_REPORT = file;
  }
  const r = spawnSync("bash", [RUN], { env, encoding: "utf8" });
  return { code: r.status, lines: r.stdout.trim().split("\n") };
}

describe(".ci/run", () => {
  it("tests pass: prints the closing line and exits 0", () => {
    const r = ciRun({ report: report({ passed: 5, failed: 0, skipped: 2 }), status: 0 });
    expect(r.lines.at(-1)).toBe("tests: 5 passed, 0 failed, 2 skipped");
    expect(r.code).toBe(0);
  });

  it("a test fails: still prints the closing line, and exits non-zero", () => {
    const r = ciRun({ report: report({ passed: 4, failed: 1 }), status: 1 });
    expect(r.lines).toContain("fake vitest output");
    expect(r.lines.at(-1)).toBe("tests: 4 passed, 1 failed, 0 skipped");
    expect(r.code).toBe(1);
  });

  it("a file fails outside its tests (at import): named in the closing line, non-zero", () => {
    const files = [
      { name: join(dir, "ok.test.ts"), status: "passed" as const },
      { name: join(dir, "broken.test.ts"), status: "failed" as const, failedTests: 0 },
    ];
    const r = ciRun({ report: report({ passed: 3, failed: 0, files }), status: 1 });
    expect(r.lines.at(-1)).toMatch(
      /^tests: 3 passed, 0 failed, 0 skipped; 1 file failed outside their tests \(.*broken\.test\.ts\)$/,
    );
    expect(r.code).toBe(1);
  });

  it("vitest wrote no report: a clear closing line, non-zero", () => {
    const r = ciRun({ status: 1 });
    expect(r.lines.at(-1)).toMatch(/^tests: no report \(/);
    expect(r.code).toBe(1);
  });

  it("npm test exits 0 but no test ran: non-zero", () => {
    const r = ciRun({ report: report({ passed: 0, failed: 0, files: [] }), status: 0 });
    expect(r.lines.slice(-2)).toEqual(["tests: 0 passed, 0 failed, 0 skipped", "tests: no test ran"]);
    expect(r.code).toBe(1);
  });

  it("the summary alone agrees with the report's failure even when the status said 0", () => {
    const file = join(dir, "inconsistent.json");
    writeFileSync(file, report({ passed: 2, failed: 1 }));
    const r = spawnSync("node", [SUMMARY, file], { encoding: "utf8" });
    expect(r.stdout.trim()).toBe("tests: 2 passed, 1 failed, 0 skipped");
    expect(r.status).toBe(1);
  });
});
