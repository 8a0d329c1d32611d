/**
 * `atp proxy`: refuses to start without the key and secret or a 32+ character CRYPTO_PROXY_TOKEN
 * (saying how to make one), and — started as a process with a good configuration — listens, signs
 * for a client, reports /health and stops on SIGTERM.
 */
import type { ChildProcess } from "node:child_process";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { bundleCli, type CliBundle } from "../helpers/cli-bundle.js";
import { runMain } from "../helpers/in-process.js";
import { PROXY_KEY, PROXY_SECRET, PROXY_TOKEN, postPrivate } from "./helpers.js";

const creds = { EXCHANGE_CUSTOM_API_KEY: PROXY_KEY, EXCHANGE_CUSTOM_API_SECRET: PROXY_SECRET };

describe("atp proxy refuses to start", () => {
  it("without CRYPTO_PROXY_TOKEN, or with one under 32 characters: exit 2 and how to generate one", async () => {
    for (const token of [undefined, "short-token-0123456789"]) {
      const r = await runMain(["proxy", "--port", "0"], {
        env: { ...creds, ...(token ? { CRYPTO_PROXY_TOKEN: token } : {}) },
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("CRYPTO_PROXY_TOKEN");
      expect(r.stderr).toContain("openssl rand -hex 32");
      expect(r.stderr).toContain("randomBytes(32)");
      if (token) expect(r.stderr).not.toContain(token);
    }
  });

  it("without the exchange key and secret", async () => {
    const r = await runMain(["proxy", "--port", "0"], { env: { CRYPTO_PROXY_TOKEN: PROXY_TOKEN } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/EXCHANGE_CUSTOM_API_KEY and EXCHANGE_CUSTOM_API_SECRET/);
  });

  it("with a method in CRYPTO_PROXY_ALLOW_METHODS it cannot allow, or half a TLS pair", async () => {
    const env = { ...creds, CRYPTO_PROXY_TOKEN: PROXY_TOKEN };
    const a = await runMain(["proxy", "--port", "0"], {
      env: { ...env, CRYPTO_PROXY_ALLOW_METHODS: "private/get-accounts" },
    });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/CRYPTO_PROXY_ALLOW_METHODS: private\/get-accounts is not a private method/);
    const b = await runMain(["proxy", "--port", "0"], {
      env: { ...env, CRYPTO_PROXY_TLS_CERT: "/nonexistent.crt" },
    });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/set both CRYPTO_PROXY_TLS_CERT and CRYPTO_PROXY_TLS_KEY/);
  });
});

describe("atp proxy as a process", () => {
  let bundle: CliBundle;
  let emu: EmulatorHandle;
  let child: ChildProcess;
  let stdout = "";
  let stderr = "";

  beforeAll(async () => {
    emu = await startEmulator({
      market_tick_ms: 0,
      keys: [{ api_key: PROXY_KEY, secret: PROXY_SECRET, account: "main" }],
    });
    bundle = await bundleCli();
    child = bundle.spawn(["proxy", "--port", "0"], {
      ...creds,
      CRYPTO_PROXY_TOKEN: PROXY_TOKEN,
      EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
      OUTBOUND_IP_URL: emu.ipEchoUrl,
      CRYPTO_AUTH_DIAG: "true",
    });
    child.stdout!.on("data", (c) => {
      stdout += String(c);
    });
    child.stderr!.on("data", (c) => {
      stderr += String(c);
    });
  }, 30_000);
  afterAll(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await emu?.close();
  });

  it("listens, signs, reports /health, logs CRYPTO_COM_OUTBOUND_IP without secrets, and stops on SIGTERM", async () => {
    for (let i = 0; i < 300 && !/listening on (\S+)/.test(stdout); i++)
      await new Promise((r) => setTimeout(r, 50));
    const url = /listening on (\S+)/.exec(stdout)?.[1];
    expect(url, stderr).toBeDefined();
    const r = await postPrivate(url!, { method: "private/user-balance", params: {} }, { passthrough: true });
    expect(r.status).toBe(200);
    expect(r.json.code).toBe(0);
    const h = (await (await request(`${url}/health`)).body.json()) as Record<string, unknown>;
    expect(h).toMatchObject({ status: "healthy", outbound_ip: "127.0.0.1", key_can_withdraw: false });
    const exited = new Promise<number | null>((res) => child.on("exit", (c) => res(c)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain("atp proxy: stopped");
    expect(stderr).toContain("CRYPTO_COM_OUTBOUND_IP: 127.0.0.1");
    expect(stderr).toContain("CRYPTO_AUTH_DIAG");
    for (const s of [PROXY_SECRET, PROXY_TOKEN]) expect(stdout + stderr).not.toContain(s);
  }, 30_000);
});
