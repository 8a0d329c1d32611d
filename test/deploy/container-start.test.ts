/**
 * The container's command line, run here: the Dockerfile's CMD (`node <flags> bin/atp.js start`) with the
 * image's ENV and the compose backend's environment, minus what only exists inside compose
 * (DATABASE_URL's `postgres` host; the SQLite store in a temp ATP_DATA_DIR instead) and no
 * credentials; the exchange is an emulator on loopback (EXCHANGE_CUSTOM_BASE_URL, OUTBOUND_IP_URL),
 * since the build machines have no network (on this branch `atp start` without credentials still
 * reads the real exchange's public data). bin/atp.js runs dist/ (built in the image); here the same main() runs from the
 * current src/ as one esbuild bundle (test/helpers/cli-bundle.ts).
 * Waits for the ready line, then for GET /api/health as the HEALTHCHECK asks it — when this
 * branch's `atp start` serves the API (it prints its URL); otherwise that step is skipped.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { cleanEnv } from "../helpers/cli.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The runtime stage's ENV of the Dockerfile. */
function imageEnv(): Record<string, string> {
  const text = readFileSync(join(ROOT, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  const envLines = text.split("\n").filter((l) => l.startsWith("ENV "));
  const last = envLines.at(-1)!.slice(4);
  return Object.fromEntries([...last.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
}

/** The node flags of the image's CMD (between `node` and `bin/atp.js`). */
function imageNodeFlags(): string[] {
  const text = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(text)![1]!) as string[];
  return cmd.slice(1, cmd.indexOf("bin/atp.js"));
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let bundle: CliBundle;
let child: ChildProcess | undefined;
let dir: string;
let stdout = "";
let stderr = "";
let port: number;
let exit: Promise<number | null>;
let emu: EmulatorHandle;

beforeAll(async () => {
  bundle = await bundleCli();
  dir = mkdtempSync(join(tmpdir(), "atp-container-"));
  port = await freePort();
  emu = await startEmulator({ market_tick_ms: 0 });
  const env = {
    ...imageEnv(),
    PORT: String(port),
    ATP_DATA_DIR: join(dir, "var-lib-atp"),
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
  };
  child = spawn(process.execPath, [...imageNodeFlags(), bundle.file, "start"], {
    cwd: dir,
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (c) => {
    stdout += String(c);
  });
  child.stderr!.on("data", (c) => {
    stderr += String(c);
  });
  exit = new Promise((r) => child!.on("exit", (code) => r(code)));
}, 60_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await Promise.race([exit, pause(15_000)]);
  }
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    if (child?.exitCode !== null)
      throw new Error(`atp start exited (${child?.exitCode}) before ${what}\n${stdout}\n${stderr}`);
    await pause(50);
  }
  throw new Error(`never happened: ${what}\n${stdout}\n${stderr}`);
}

describe("the container's command line (node bin/atp.js start, the image's env, no credentials)", () => {
  it("starts and prints its ready line", async () => {
    await until(() => stdout.includes("atp start: ready"), "the ready line");
    expect(stdout).toMatch(/atp start: ready \(store sqlite /);
  }, 40_000);

  it("answers GET /api/health (the HEALTHCHECK) once atp start serves the API", async () => {
    await until(() => /dashboard: http:\/\/[^\s:]+:\d+\//.test(stdout), "the dashboard line");
    // the port atp says it serves: the free port this test chose may have been taken meanwhile by
    // another test (atp then says so and binds a free one)
    const served = Number(/dashboard: http:\/\/[^\s:]+:(\d+)\//.exec(stdout)?.[1] ?? port);
    let status = 0;
    await until(
      async () => {
        status = await fetch(`http://127.0.0.1:${served}/api/health`).then(
          (r) => r.status,
          () => 0,
        );
        return status === 200;
      },
      "GET /api/health → 200",
      20_000,
    );
    expect(status).toBe(200);
  }, 40_000);

  it("stops in order on SIGTERM (docker stop) and exits 0", async () => {
    child!.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(stdout).toContain("atp start: stopping");
  }, 30_000);
});
