import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain as runCli } from "../helpers/in-process.js";

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), "atp-cli-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const SECRET = "secretKey-do-not-print";

describe("atp check-config", () => {
  it("reports a clean configuration with exit 0 and masks secrets", async () => {
    const cwd = dir({
      ".env.local": `EXCHANGE_CUSTOM_API_KEY=demo-key-WXYZ\nEXCHANGE_CUSTOM_API_SECRET=${SECRET}\n`,
    });
    const r = await runCli(["check-config", "--json"], { cwd });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(true);
    expect(out.credential_pair).toBe("EXCHANGE_CUSTOM_API_*");
    expect(out.variables.find((v: { name: string }) => v.name === "EXCHANGE_CUSTOM_API_KEY")).toMatchObject({
      source: ".env.local",
      set: true,
    });
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain("demo-key-WXYZ");
  });

  it("never refuses a broken configuration: it lists every problem and exits 1", async () => {
    const r = await runCli(["check-config"], {
      cwd: dir(),
      env: {
        USE_CRYPTO_PROXY: "true",
        LIVE_TRADING: "true",
        PORT: "0",
        EXCHANGE_CUSTOM_API_KEY: " quoted\n",
      },
    });
    expect(r.code).toBe(1);
    for (const v of ["CRYPTO_PROXY_URL", "PORT", "EXCHANGE_CUSTOM_API_SECRET", "CRYPTO_PROXY_TOKEN"]) {
      expect(r.stdout).toContain(v);
    }
    expect(r.stdout).toMatch(/EXCHANGE_CUSTOM_API_KEY: value had a line break/);
  });

  it("masks a password inside DATABASE_URL, in the listing and in --json", async () => {
    const env = { DATABASE_URL: "postgres://atp:db-Pass-w0rd-31@db.internal:5432/atp" };
    const text = await runCli(["check-config"], { cwd: dir(), env });
    const json = await runCli(["check-config", "--json"], { cwd: dir(), env });
    for (const r of [text, json]) {
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).not.toContain("db-Pass-w0rd-31");
    }
    expect(text.stdout).toMatch(
      /DATABASE_URL\s+postgres:\/\/atp:<len=15 fp=[0-9a-f]{8}>@db\.internal:5432\/atp/,
    );
    const db = JSON.parse(json.stdout).variables.find((v: { name: string }) => v.name === "DATABASE_URL");
    expect(db.value).toMatch(/^postgres:\/\/atp:<len=15 fp=[0-9a-f]{8}>@db\.internal:5432\/atp$/);
  });

  it("exits 2 on an unknown flag", async () => {
    const r = await runCli(["check-config", "--nope"], { cwd: dir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--nope/);
  });
});

describe("atp sign", () => {
  const env = { EXCHANGE_CUSTOM_API_KEY: "token", EXCHANGE_CUSTOM_API_SECRET: "secretKey" };

  it("reproduces the official JS sample signature and hides the key", async () => {
    const r = await runCli(
      [
        "sign",
        "--method",
        "private/get-order-detail",
        "--params",
        '{"order_id":"53287421324"}',
        "--id",
        "11",
        "--nonce",
        "1587846358253",
        "--json",
      ],
      { cwd: dir(), env },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.sig).toBe("02ef0a52c9428e5d3dcc5dd24d534ca39ef73f35acd3f6945f139a2364ef67a9");
    expect(out.param_string).toBe("order_id53287421324");
    // "token" is too short for its last 4 characters to be shown: one * per character
    expect(out.string_to_sign).toBe("private/get-order-detail11*****order_id532874213241587846358253");
    expect(out.api_key).toBe("*****");
    expect(r.stdout).not.toContain("secretKey");
  });

  it("signs JSON numbers by their exact text, as the exchange parses them, and warns about each", async () => {
    const r = await runCli(
      ["sign", "--method", "private/create-order", "--params", '{"quantity":1.0,"price":1e2}', "--json"],
      {
        cwd: dir(),
        env,
      },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).param_string).toBe("price1e2quantity1.0");
    expect(r.stderr).toMatch(/params\.price is a JSON number \(1e2\)/);
    expect(r.stderr).toMatch(/params\.quantity is a JSON number \(1\.0\)/);
  });

  it("rejects params that are not a JSON object with exit 2", async () => {
    const r = await runCli(["sign", "--method", "private/create-order", "--params", "[1]"], {
      cwd: dir(),
      env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--params must be a JSON object/);
  });

  it("exits 2 without credentials", async () => {
    const r = await runCli(["sign", "--method", "private/user-balance"], { cwd: dir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EXCHANGE_CUSTOM_API_KEY/);
  });
});

describe("atp <command> --help", () => {
  for (const command of [
    "demo",
    "sign",
    "test-connection",
    "check-config",
    "doctor",
    "backtest",
    "emulator",
  ]) {
    it(`${command} --help prints its usage and exits 0`, async () => {
      const r = await runCli([command, "--help"], { cwd: dir() });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/usage: atp /);
    });
  }

  it("an unknown command exits 2 with the list of commands", async () => {
    const r = await runCli(["nope"], { cwd: dir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'nope'/);
    expect(r.stderr).toMatch(/doctor/);
  });
});
