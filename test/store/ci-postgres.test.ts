/**
 * `.ci/run` starts PostgreSQL before the tests when `pg_isready` says it is not running, waits until
 * it answers, and leaves a running server alone. Runs the real script with stand-ins for npm,
 * pg_isready and pg_ctlcluster first on PATH (nothing is installed, built or started).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const RUN = new URL("../../.ci/run", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "atp-ci-pg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bin = join(dir, "bin");
mkdirSync(bin);
const tool = (name: string, body: string) => {
  writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
};
// npm: every step succeeds; `npm test` notes when it ran (after the server was started, or not)
tool(
  "npm",
  `if [ "$1" = test ]; then echo "npm test; server up: $([ -f "$STATE/started" ] && echo yes || echo no)" >> "$STATE/log"; fi; exit 0`,
);
// pg_isready: down until pg_ctlcluster ran (UP=1: up from the start), then up after one more check
tool(
  "pg_isready",
  `echo "pg_isready $*" >> "$STATE/log"
if [ "\${UP:-0}" = 1 ]; then exit 0; fi
if [ -f "$STATE/started" ]; then n=$(cat "$STATE/checks" 2>/dev/null || echo 0); echo $((n+1)) > "$STATE/checks"; [ "$n" -ge 1 ] && exit 0; fi
exit 2`,
);
tool("pg_ctlcluster", `echo "pg_ctlcluster $*" >> "$STATE/log"; touch "$STATE/started"`);

function run(up: boolean): string[] {
  const state = mkdtempSync(join(dir, "state-"));
  spawnSync("bash", [RUN], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, STATE: state, UP: up ? "1" : "0" },
    encoding: "utf8",
  });
  return existsSync(join(state, "log")) ? readFileSync(join(state, "log"), "utf8").trim().split("\n") : [];
}

describe(".ci/run and PostgreSQL", () => {
  it("starts the cluster when pg_isready fails, and runs the tests once it answers", () => {
    const log = run(false);
    const start = log.findIndex((l) => l.startsWith("pg_ctlcluster"));
    expect(log[start]).toMatch(/^pg_ctlcluster --skip-systemctl-redirect \S* ?main start$/);
    expect(log.slice(0, start)).toEqual(["pg_isready -q -h 127.0.0.1"]);
    expect(log.at(-1)).toBe("npm test; server up: yes");
    expect(log.filter((l) => l.startsWith("pg_isready")).length).toBeGreaterThanOrEqual(3); // waited for it
  });

  it("leaves a running server alone", () => {
    const log = run(true);
    expect(log.some((l) => l.startsWith("pg_ctlcluster"))).toBe(false);
    expect(log.at(-1)).toBe("npm test; server up: no");
  });
});
