/**
 * Shutdown of a real `atp start` (the demo: no credentials, nothing configured), and signals sent
 * to the `npm start` process that runs it. The npm case runs npm itself on a throw-away package
 * whose "start" script is package.json's own text with the esbuild bundle in place of bin/atp.js,
 * so what npm (and the shell it runs scripts with) does with signals is what a user gets: atp must
 * stop and free its port for SIGTERM and SIGINT to npm alone, and when npm is killed outright
 * (SIGKILL: nothing is forwarded, atp sees itself orphaned).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv } from "../helpers/cli.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { freePort, getJson, portInUse, StartedAtp, stopAllPlatform, until } from "./proc.js";

let bundle: CliBundle;
const dirs: string[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "atp-start-signals-"));
  dirs.push(d);
  return d;
}

beforeAll(async () => {
  bundle = await bundleCli({ packages: "external" });
});

afterAll(async () => {
  await stopAllPlatform();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Pids of live processes whose command line names the bundle (this file's atp children). */
function atpPids(): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .filter((l) => l.includes(bundle.file) && !l.includes("npm"))
    .map((l) => Number(l.trim().split(/\s+/)[0]))
    .filter((n) => Number.isInteger(n) && n > 0);
}

describe("atp start: the demo and its shutdown", () => {
  it("is ready (engine running, API answering) fast; SIGINT stops it in order within 10 s, exit 0, port freed; a second signal exits at once", async () => {
    const port = await freePort();
    const cwd = tempDir();
    const t0 = performance.now();
    const atp = new StartedAtp(bundle.spawn(["start"], { PORT: String(port) }, cwd));
    await atp.line(
      /^atp start: ready \(store sqlite .*data\/demo\/atp\.db, live venue DEMO, leader\)$/,
      20_000,
    );
    const readyMs = performance.now() - t0;
    const health = await getJson(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    console.info(`atp start (demo): ready ${readyMs.toFixed(0)} ms after spawn`);
    expect(atp.lines.some((l) => /dashboard: http:\/\/127\.0\.0\.1:\d+\/login\?code=\S+/.test(l))).toBe(true);
    expect(atp.lines).toContain("  stop: Ctrl-C (or SIGTERM)");
    expect(atp.stderr).toMatch(/CRYPTO_COM_OUTBOUND_IP: 127\.0\.0\.1/);
    expect(atp.stderr.match(/CRYPTO_COM_OUTBOUND_IP: /g)).toHaveLength(1);
    expect(readFileSync(join(cwd, "data", "demo", "api-token"), "utf8").trim().length).toBeGreaterThan(20);

    const stopAt = performance.now();
    atp.child.kill("SIGINT");
    const exit = await atp.exited(12_000);
    const stopMs = performance.now() - stopAt;
    console.info(`atp start (demo): stopped ${stopMs.toFixed(0)} ms after SIGINT`);
    expect(exit.code).toBe(0);
    expect(stopMs).toBeLessThan(10_000);
    expect(await portInUse(port)).toBe(false);

    // a second start on the same demo store: not re-seeded; the same signal twice at once (what one
    // Ctrl-C under `npm start` delivers: the group's and npm's forward) is one orderly stop, exit 0
    const again = new StartedAtp(bundle.spawn(["start"], { PORT: String(port) }, cwd));
    await again.line(/^atp start: ready \(/, 20_000);
    expect(again.lines.some((l) => /seeded/.test(l))).toBe(false);
    again.child.kill("SIGTERM");
    again.child.kill("SIGTERM");
    const second = await again.exited(10_000);
    expect(second.code).toBe(0);
    expect(again.stderr).not.toMatch(/again: exiting at once/);
  }, 60_000);
});

describe("atp start under npm start", () => {
  async function npmStart(): Promise<{ npm: ReturnType<typeof spawn>; port: number; cwd: string }> {
    const cwd = tempDir();
    const ours = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      scripts: { start: string };
    };
    expect(ours.scripts.start).toMatch(/\bnode .*bin\/atp\.js start$/);
    const start = ours.scripts.start.replace("bin/atp.js", bundle.file);
    writeFileSync(
      join(cwd, "package.json"),
      JSON.stringify({ name: "atp-npm-start-probe", private: true, scripts: { start } }),
    );
    const port = await freePort();
    const npm = spawn("npm", ["start"], {
      cwd,
      env: cleanEnv({ PORT: String(port), npm_config_update_notifier: "false" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    npm.stdout?.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    await until("the demo ready under npm start", 30_000, async () =>
      /atp start: ready \(/.test(out) ? true : undefined,
    );
    await until("the API answering", 10_000, async () =>
      (await getJson(`http://127.0.0.1:${port}/api/health`)).status === 200 ? true : undefined,
    );
    return { npm, port, cwd };
  }

  for (const signal of ["SIGTERM", "SIGINT", "SIGKILL"] as const) {
    it(`${signal} to the npm process (not its group) stops atp and frees its port`, async () => {
      const { npm, port } = await npmStart();
      const before = atpPids();
      expect(before.length).toBeGreaterThan(0);
      npm.kill(signal);
      await until("atp gone and its port free", 15_000, async () =>
        atpPids().length === 0 && !(await portInUse(port)) ? true : undefined,
      );
    }, 60_000);
  }
});
