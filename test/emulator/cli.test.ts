/** `atp emulator` as a user runs it: prints the listening line, serves, stops on SIGTERM. */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cleanEnv, runCli } from "../helpers/cli.js";
import { http } from "./helpers.js";

const ENTRY = fileURLToPath(new URL("../helpers/atp-entry.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("atp emulator", () => {
  it("prints `listening on http://HOST:PORT/exchange/v1`, serves, and exits 0 on SIGTERM", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", ENTRY, "emulator", "--port", "0", "--seed", "5", "--speed", "2"],
      {
        cwd: ROOT,
        env: cleanEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 30_000);
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = /^listening on (\S+)$/m.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exchange\/v1$/);
    const r = await http(`${line}/public/get-instruments`);
    expect(r.body.code).toBe(0);
    const state = await http(`${line.replace("/exchange/v1", "")}/emulator/admin/state`);
    expect(state.body).toMatchObject({ seed: 5, speed: 2 });
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(stdout).toContain("emulator stopped");
  });

  it("names a bad flag and exits 2", async () => {
    const r = await runCli(["emulator", "--port", "eighty"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be an integer/);
    const s = await runCli(["emulator", "--speed", "0"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--speed must be a positive number/);
  });

  it("names the bad field of a config file and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    const file = join(dir, "emu.json");
    writeFileSync(file, JSON.stringify({ keys: [{ api_key: "k", secret: "s", account: "nobody" }] }));
    const r = await runCli(["emulator", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: keys[0].account: no account named "nobody"`);
  });
});
