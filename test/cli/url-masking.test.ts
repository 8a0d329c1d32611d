/**
 * Passwords (and user names standing alone) inside URL settings are never shown: check-config (text
 * and --json), test-connection (header, FAIL lines, --json), the doctor (human, JSON, markdown) and
 * backtest's source line. Through the CLI's main() in-process, against the emulator over loopback.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { runMain } from "../helpers/in-process.js";

const cwd = mkdtempSync(join(tmpdir(), "atp-urlmask-"));
const PW = "Sup3r-url-pw";
const SHORT = "pw"; // shorter than the log redactor's configured-secret minimum: masked as URL user info
let emu: EmulatorHandle;
/** A loopback port where nothing listens (bound, then closed). */
let closedPort: number;

beforeAll(async () => {
  emu = await startEmulator({
    keys: [{ api_key: "mask-key-0001", secret: "mask-secret-0001", account: "main", permissions: ["read"] }],
  });
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  closedPort = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
});
afterAll(async () => emu.close());

/** The emulator's base URL with user info added. */
function withUserinfo(url: string, info: string): string {
  return url.replace("http://", `http://${info}@`);
}

function expectHidden(text: string, ...values: string[]) {
  for (const v of values) expect(text).not.toContain(v);
}

describe("check-config", () => {
  const env = () => ({ EXCHANGE_CUSTOM_BASE_URL: withUserinfo(emu.baseUrl, `user:${PW}`) });

  it("shows the base URL with its password masked, in the listing and the summary", async () => {
    const r = await runMain(["check-config"], { cwd, env: env() });
    expect(r.code).toBe(0);
    expectHidden(r.stdout + r.stderr, PW);
    expect(r.stdout).toMatch(
      /exchange: +http:\/\/user:<len=12 fp=[0-9a-f]{8}>@127\.0\.0\.1:\d+\/exchange\/v1/,
    );
  });

  it("--json base_url and variables are masked too", async () => {
    const r = await runMain(["check-config", "--json"], { cwd, env: env() });
    expectHidden(r.stdout + r.stderr, PW);
    const out = JSON.parse(r.stdout);
    expect(out.base_url).toMatch(/^http:\/\/user:<len=12 fp=[0-9a-f]{8}>@127\.0\.0\.1:\d+\/exchange\/v1$/);
  });

  it("a refused URL setting is quoted back masked", async () => {
    const r = await runMain(["check-config"], {
      cwd,
      env: { CRYPTO_PROXY_URL: `ftp://u:${PW}@10.0.0.5:9000`, OUTBOUND_IP_URL: `http://u:${SHORT}@bad host` },
    });
    expect(r.code).toBe(1);
    expectHidden(r.stdout + r.stderr, PW, `:${SHORT}@`);
  });
});

describe("test-connection", () => {
  it("masks the proxy URL in its header and every FAIL line", async () => {
    const env = {
      EXCHANGE_CUSTOM_API_KEY: "mask-key-0001",
      EXCHANGE_CUSTOM_API_SECRET: "mask-secret-0001",
      EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
      OUTBOUND_IP_URL: emu.ipEchoUrl,
      USE_CRYPTO_PROXY: "true",
      CRYPTO_PROXY_URL: `http://u:${SHORT}@127.0.0.1:${closedPort}`,
      CRYPTO_PROXY_TOKEN: "proxy-token-0001",
    };
    const text = await runMain(["test-connection"], { cwd, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^atp test-connection → .* \(proxy http:\/\/u:<len=2 fp=[0-9a-f]{8}>@127\.0\.0\.1:\d+\)/,
    );
    const fails = text.stdout.split("\n").filter((l) => l.startsWith("FAIL"));
    expect(fails).toHaveLength(3);
    for (const line of fails) expect(line).toMatch(/u:<len=2 fp=[0-9a-f]{8}>@127\.0\.0\.1/);
    expectHidden(text.stdout + text.stderr, `u:${SHORT}@`);
  });

  it("masks the base URL's user info in --json", async () => {
    const r = await runMain(["test-connection", "--json"], {
      cwd,
      env: {
        EXCHANGE_CUSTOM_BASE_URL: withUserinfo(emu.baseUrl, `user:${PW}`),
        OUTBOUND_IP_URL: emu.ipEchoUrl,
      },
    });
    expectHidden(r.stdout + r.stderr, PW);
    expect(JSON.parse(r.stdout).base_url).toMatch(/^http:\/\/user:<len=12 fp=[0-9a-f]{8}>@/);
  });
});

describe("doctor", () => {
  it("masks URL passwords in its human output, JSON and markdown report", async () => {
    const env = {
      EXCHANGE_CUSTOM_API_KEY: "mask-key-0001",
      EXCHANGE_CUSTOM_API_SECRET: "mask-secret-0001",
      EXCHANGE_CUSTOM_BASE_URL: withUserinfo(emu.baseUrl, `user:${SHORT}`),
      OUTBOUND_IP_URL: emu.ipEchoUrl,
      USE_CRYPTO_PROXY: "true",
      CRYPTO_PROXY_URL: `http://u:${SHORT}@127.0.0.1:${closedPort}`,
      CRYPTO_PROXY_TOKEN: "proxy-token-0001",
    };
    for (const args of [["doctor"], ["doctor", "--json"], ["doctor", "--markdown"]]) {
      const r = await runMain(args, { cwd, env });
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stdout + r.stderr, args.join(" ")).toMatch(/u:<len=2 fp=[0-9a-f]{8}>@127\.0\.0\.1/);
      expectHidden(r.stdout + r.stderr, `:${SHORT}@`);
    }
  });
});

describe("backtest", () => {
  it("shows a --base-url with user info masked as its source", async () => {
    const r = await runMain(
      [
        "backtest",
        "--symbol",
        "BTC_USD",
        "--timeframe",
        "1h",
        "--base-url",
        withUserinfo(emu.baseUrl, `user:${PW}`),
        "--json",
      ],
      { cwd },
    );
    expectHidden(r.stdout + r.stderr, PW);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).source).toMatch(/^rest http:\/\/user:<len=12 fp=[0-9a-f]{8}>@127\.0\.0\.1/);
  });
});
