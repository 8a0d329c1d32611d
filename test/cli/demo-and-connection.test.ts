import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { cleanEnv, sharedCliBundle } from "../helpers/cli.js";
import { runMain as runCli } from "../helpers/in-process.js";

const cwd = mkdtempSync(join(tmpdir(), "atp-demo-"));
let emu: EmulatorHandle;

beforeAll(async () => {
  emu = await startEmulator({
    keys: [
      {
        api_key: "conn-key-0001",
        secret: "conn-secret-0001",
        account: "main",
        permissions: ["read", "trade"],
      },
      {
        api_key: "walled-key-01",
        secret: "walled-secret-1",
        account: "main",
        permissions: ["read"],
        ip_whitelist: ["203.0.113.9"],
      },
    ],
  });
});
afterAll(async () => emu.close());

function env(key: string, secret: string): Record<string, string> {
  return {
    EXCHANGE_CUSTOM_API_KEY: key,
    EXCHANGE_CUSTOM_API_SECRET: secret,
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
  };
}

describe("atp test-connection against the emulator over loopback", () => {
  it("passes every step, logging the outbound IP with CRYPTO_COM_OUTBOUND_IP first", async () => {
    const r = await runCli(["test-connection"], { cwd, env: env("conn-key-0001", "conn-secret-0001") });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^PASS /gm)).toHaveLength(4);
    expect(r.stderr).toContain("CRYPTO_COM_OUTBOUND_IP: 127.0.0.1");
    expect(r.stdout + r.stderr).not.toContain("conn-secret-0001");
  });

  it("fails the signed steps with the exchange code, name and meaning for a wrong secret", async () => {
    const r = await runCli(["test-connection", "--json"], {
      cwd,
      env: env("conn-key-0001", "wrong-secret-000"),
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.steps[0]).toMatchObject({ step: "public ticker", pass: true });
    expect(out.steps[1]).toMatchObject({
      step: "signed balance",
      pass: false,
      code: 40101,
      code_name: "UNAUTHORIZED",
    });
    expect(out.steps[1].meaning).toMatch(/signature/);
  });

  it("refuses an invalid configuration with exit 2, listing every problem at once", async () => {
    const r = await runCli(["test-connection"], {
      cwd,
      env: { PORT: "99999", EXCHANGE_CUSTOM_BASE_URL: "nope" },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/2 problem/);
    expect(r.stderr).toContain("PORT");
    expect(r.stderr).toContain("EXCHANGE_CUSTOM_BASE_URL");
  });

  it("reports 40103 IP_ILLEGAL for a key whitelisted elsewhere", async () => {
    const r = await runCli(["test-connection"], { cwd, env: env("walled-key-01", "walled-secret-1") });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}signed balance .* 40103 IP_ILLEGAL/);
  });
});

describe("atp demo (the demo's market view)", () => {
  it("starts the emulator, passes the connection test and stops cleanly on Ctrl-C", async () => {
    const cli = (await sharedCliBundle()).file;
    const child = spawn(process.execPath, [cli, "demo", "--port", "0", "--interval", "1"], {
      cwd,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    const watching = new Promise<void>((resolve) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (/\d{2}:\d{2}:\d{2} {2}BTC_USD/.test(stdout)) resolve();
      });
    });
    await watching;
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    expect(stdout).toContain("all steps passed");
    expect(stdout).toContain("stopped cleanly");
  }, 40_000);

  it("refuses a live start without credentials", async () => {
    const r = await runCli(["demo", "--live", "--port", "0"], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing a live start without API credentials/);
  });
});
