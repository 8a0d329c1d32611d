/** `atp doctor` as a user runs it (child process, real loopback emulator): flags, exit codes, outputs. */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_IDS } from "../../src/diagnostics/index.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { runMain as runCli } from "../helpers/in-process.js";

const KEY = "cliKeyQ1w2E3r4T5y6U7i8O9";
const SECRET = "cliSecretA1s2D3f4G5h6J7k8L9z0";
let emu: EmulatorHandle;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({
    market_tick_ms: 0,
    keys: [{ api_key: KEY, secret: SECRET, account: "main", ip_whitelist: ["127.0.0.1"] }],
  });
  cwd = mkdtempSync(join(tmpdir(), "atp-doctor-cli-"));
  env = {
    EXCHANGE_CUSTOM_API_KEY: KEY,
    EXCHANGE_CUSTOM_API_SECRET: SECRET,
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
  };
});
afterAll(async () => {
  await emu?.close();
});

function noSecrets(...texts: string[]): void {
  for (const t of texts) {
    expect(t).not.toContain(KEY);
    expect(t).not.toContain(SECRET);
  }
}

describe("atp doctor", () => {
  it("--json on a healthy set-up: exit 0 and exactly the report contract", async () => {
    const r = await runCli(["doctor", "--json"], { cwd, env });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual([
      "verdict",
      "causes",
      "checks",
      "warnings",
      "outbound_ip",
      "clock_offset_ms",
      "base_url",
      "via_proxy",
    ]);
    expect(json.verdict).toBe("ok");
    expect(json.causes).toEqual([]);
    expect(json.checks.map((c: { id: string }) => c.id)).toEqual([...CHECK_IDS]);
    expect(Object.keys(json.checks[0])).toEqual(["id", "status", "detail", "duration_ms"]);
    expect(json.outbound_ip).toBe("127.0.0.1");
    expect(r.stderr).toMatch(/CRYPTO_COM_OUTBOUND_IP: 127\.0\.0\.1/);
    noSecrets(r.stdout, r.stderr);
  });

  it("the seed's order with --markdown FILE: exit 1, the human summary on stdout, the report in the file", async () => {
    const file = join(cwd, "report.md");
    const order =
      '{"instrument_name":"BTC_USD","side":"SELL","type":"MARKET","amount":"10.00","quantity":"0.00011119"}';
    const r = await runCli(["doctor", "--order", order, "--markdown", file], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Most likely cause: order_rejected \[confirmed\]/);
    const md = readFileSync(file, "utf8");
    expect(md).toMatch(/^# 🔍 Diagnosis: Order invalid/);
    expect(md).toMatch(/## Failing order/);
    expect(md).toMatch(/atp would send instead: SELL MARKET BTC_USD quantity 0\.00011/);
    expect(md).toMatch(/## Checklist/);
    expect(md).toMatch(/## Verify/);
    noSecrets(r.stdout, r.stderr, md);
  });

  it("a refused key: exit 1 with the cause in the human summary", async () => {
    const r = await runCli(["doctor"], {
      cwd,
      env: { ...env, EXCHANGE_CUSTOM_API_SECRET: "WrongSecret0123456789abc" },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Most likely cause: key_invalid_or_revoked/);
    noSecrets(r.stdout, r.stderr);
    expect(r.stdout).not.toContain("WrongSecret0123456789abc");
  });

  it("runs on a broken configuration and reports it (exit 1, not 2)", async () => {
    const r = await runCli(["doctor", "--json"], {
      cwd,
      env: { ...env, EXCHANGE_CUSTOM_API_SECRET: "two words", PORT: "eighty" },
    });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.causes[0].id).toBe("credentials_malformed");
    expect(json.checks[0].status).toBe("fail");
    expect(json.checks[0].detail).toMatch(/PORT/);
  });

  it("usage errors exit 2 and name the flag", async () => {
    const bad = await runCli(["doctor", "--order", "{not json"], { cwd, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--order is not valid JSON/);
    const noSide = await runCli(["doctor", "--order", '{"instrument_name":"BTC_USD","quantity":"1"}'], {
      cwd,
      env,
    });
    expect(noSide.code).toBe(2);
    expect(noSide.stderr).toMatch(/--order: the order's "side" must be BUY or SELL/);
    const both = await runCli(["doctor", "--json", "--markdown"], { cwd, env });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --markdown a FILE/);
    const help = await runCli(["doctor", "--help"], { cwd, env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--markdown \[FILE\]/);
  });
});
