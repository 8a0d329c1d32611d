/**
 * Doctor scenarios on the emulator: credentials, environment, IP whitelist, clock, permissions,
 * healthy set-ups and combined faults. One emulator for the file, reconfigured through its admin
 * API before each scenario; each scenario uses its own key so per-key rate limits never interact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyInput } from "../../src/emulator/config.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import {
  check,
  configFrom,
  evidenceText,
  expectNoSecrets,
  expectWithinBudget,
  hostsLookup,
  ids,
  type Run,
  runDoctor,
} from "./helpers.js";

let emu: EmulatorHandle;
let n = 0;

beforeAll(async () => {
  // Scenarios run back to back far faster than any user would run the doctor, and the emulator's
  // public limit (100/s per IP) spans scenarios: limits off here. The doctor's own pacing and call
  // budget are asserted for every run; scenarios-proxy keeps the emulator's limits on.
  emu = await startEmulator({ market_tick_ms: 0, keys: [], rate_limits: false });
});
afterAll(async () => {
  await emu?.close();
});

interface Setup {
  permissions?: ("read" | "trade")[];
  whitelist?: string[];
  enabled?: boolean;
  clockOffsetMs?: number;
  /** Emulator key and secret differ from what is configured. */
  configured?: (key: string, secret: string) => Record<string, string>;
  env?: Record<string, string>;
}

/** Configures a fresh key on the emulator and returns the env atp would run with. */
function setup(s: Setup = {}): { key: string; secret: string; env: Record<string, string> } {
  n += 1;
  const key = `ak${n}Xq7LmN2pR8sT4vW6yZ0bC`;
  const secret = `sk${n}Hd93Jf0Kq2Lm5Np8Qr1St4Uv7Wx0Yz3`;
  const k: KeyInput = {
    api_key: key,
    secret,
    account: "main",
    permissions: s.permissions ?? ["read", "trade"],
    ip_whitelist: s.whitelist ?? ["127.0.0.1"],
    enabled: s.enabled ?? true,
  };
  emu.admin.setKeys([k]);
  emu.admin.setClockOffset(s.clockOffsetMs ?? 0);
  emu.admin.clearFaults();
  const creds = s.configured
    ? s.configured(key, secret)
    : { EXCHANGE_CUSTOM_API_KEY: key, EXCHANGE_CUSTOM_API_SECRET: secret };
  return {
    key,
    secret,
    env: { EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl, OUTBOUND_IP_URL: emu.ipEchoUrl, ...creds, ...s.env },
  };
}

function common(run: Run, secrets: string[]): void {
  expectWithinBudget(run.calls);
  expectNoSecrets(run, secrets);
  expect(run.report.checks.map((c) => c.id)).toHaveLength(13);
}

/**
 * Key and secret swapped: the key variable holds the real secret, so nothing of it may be shown,
 * not even the last 4 characters a key gets (JSON, human and the shareable markdown).
 */
function expectNoSecretTail(run: Run, secret: string): void {
  const tail = secret.slice(-4);
  for (const [name, text] of Object.entries(run.outputs)) {
    expect(text.includes(tail), `the secret's last 4 (${tail}) appear in the ${name} output`).toBe(false);
  }
}

describe("healthy set-ups: verdict ok, no cause", () => {
  it("direct, whitelisted, in sync, read + trade", async () => {
    const s = setup();
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.causes).toEqual([]);
    expect(run.report.outbound_ip).toBe("127.0.0.1");
    expect(Math.abs(run.report.clock_offset_ms!)).toBeLessThanOrEqual(1_000);
    expect(check(run.report, "signed_read").status).toBe("pass");
    expect(check(run.report, "trade_permission").status).toBe("pass");
    expect(check(run.report, "signing").status).toBe("pass");
    common(run, [s.key, s.secret]);
    expect(emu.admin.orders()).toEqual([]); // the doctor never places an order
  });

  it("a pasted trailing CR and quotes are cleaned: a warning, still ok", async () => {
    const s = setup({
      configured: (key, secret) => ({
        EXCHANGE_CUSTOM_API_KEY: `"${key}"`,
        EXCHANGE_CUSTOM_API_SECRET: `${secret}\r`,
      }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.causes).toEqual([]);
    expect(check(run.report, "config").status).toBe("warn");
    expect(check(run.report, "config").detail).toMatch(/carriage return/);
    common(run, [s.key, s.secret]);
  });

  it("the CRYPTO_COM_API_* alias pair works the same", async () => {
    const s = setup({
      configured: (key, secret) => ({ CRYPTO_COM_API_KEY: key, CRYPTO_COM_API_SECRET: secret }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(check(run.report, "config").detail).toMatch(/CRYPTO_COM_API_\*/);
  });

  it("both credential pairs set and different: the config check warns which pair is used", async () => {
    const s = setup({
      configured: (key, secret) => ({
        EXCHANGE_CUSTOM_API_KEY: key,
        EXCHANGE_CUSTOM_API_SECRET: secret,
        CRYPTO_COM_API_KEY: "OtherKey0123456789abc",
        CRYPTO_COM_API_SECRET: "OtherSecret0123456789abcdef",
      }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes).toEqual([]);
    expect(check(run.report, "config").status).toBe("warn");
    expect(check(run.report, "config").detail).toMatch(
      /CRYPTO_COM_API_KEY: both EXCHANGE_CUSTOM_API_\* and CRYPTO_COM_API_\* are set and differ/,
    );
  });

  it("a small clock offset (3 s) passes", async () => {
    const s = setup({ clockOffsetMs: 3_000 });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.clock_offset_ms!).toBeGreaterThan(1_500);
    expect(run.report.clock_offset_ms!).toBeLessThan(4_500);
  });
});

describe("credentials", () => {
  it("credentials_missing: nothing configured", async () => {
    const s = setup({ configured: () => ({}) });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("problem");
    expect(run.report.causes[0]!.id).toBe("credentials_missing");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "credentials_missing")).toMatch(/EXCHANGE_CUSTOM_API_KEY: not set/);
    expect(check(run.report, "signed_read").status).toBe("skip");
    common(run, []);
  });

  it("credentials_missing: the secret is still the .env.example placeholder", async () => {
    const s = setup({
      configured: (key) => ({ EXCHANGE_CUSTOM_API_KEY: key, EXCHANGE_CUSTOM_API_SECRET: "your_api_secret" }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("credentials_missing");
    expect(evidenceText(run.report, "credentials_missing")).toMatch(/placeholder/);
  });

  it("credentials_malformed: a space inside the secret", async () => {
    const s = setup({
      configured: (key, secret) => ({
        EXCHANGE_CUSTOM_API_KEY: key,
        EXCHANGE_CUSTOM_API_SECRET: `${secret.slice(0, 10)} ${secret.slice(10)}`,
      }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("credentials_malformed");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "credentials_malformed")).toMatch(
      /EXCHANGE_CUSTOM_API_SECRET: contains whitespace/,
    );
    expect(ids(run.report)).not.toContain("key_invalid_or_revoked");
    common(run, [s.key, s.secret, `${s.secret.slice(0, 10)} ${s.secret.slice(10)}`]);
  });

  it("credentials_malformed: a look-alike (Cyrillic) letter in the key, refused with 40101", async () => {
    const s = setup({
      configured: (key, secret) => ({
        EXCHANGE_CUSTOM_API_KEY: key.replace("a", "а"),
        EXCHANGE_CUSTOM_API_SECRET: secret,
      }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("credentials_malformed");
    expect(run.report.causes[0]!.confidence).toBe("likely");
    expect(evidenceText(run.report, "credentials_malformed")).toMatch(/U\+0430/);
    expect(ids(run.report)).toContain("key_invalid_or_revoked"); // the alternative, ranked after
  });

  it("credentials_swapped: the read works with key and secret exchanged", async () => {
    const s = setup({
      configured: (key, secret) => ({ EXCHANGE_CUSTOM_API_KEY: secret, EXCHANGE_CUSTOM_API_SECRET: key }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("credentials_swapped");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "credentials_swapped")).toMatch(/exchanged → code 0/);
    expect(ids(run.report)).not.toContain("key_invalid_or_revoked");
    expect(check(run.report, "swapped_credentials").status).toBe("fail");
    expect(check(run.report, "config").detail).toMatch(/EXCHANGE_CUSTOM_API_KEY len=\d+ fp=[0-9a-f]{8}/);
    expectNoSecretTail(run, s.secret);
    common(run, [s.key, s.secret]);
  });

  it("key_invalid_or_revoked: a disabled key (40101 on a correctly signed, timed read)", async () => {
    const s = setup({ enabled: false });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("key_invalid_or_revoked");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    const text = evidenceText(run.report, "key_invalid_or_revoked");
    expect(text).toMatch(/40101 UNAUTHORIZED/);
    expect(text).toMatch(/self-test passes/);
    expect(text).toContain(`ending in …${s.key.slice(-4)}`);
    expect(check(run.report, "swapped_credentials").status).toBe("pass");
    expect(ids(run.report)).not.toContain("wrong_environment"); // a local emulator is not a wrong environment
    common(run, [s.key, s.secret]);
  });

  it("key_invalid_or_revoked: the secret does not belong to the key", async () => {
    const s = setup({
      configured: (key) => ({
        EXCHANGE_CUSTOM_API_KEY: key,
        EXCHANGE_CUSTOM_API_SECRET: "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2",
      }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("key_invalid_or_revoked");
    expect(run.report.causes).toHaveLength(1);
    common(run, [s.key, s.secret, "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2"]);
  });
});

describe("environment", () => {
  it("wrong_environment: the UAT sandbox host refuses a production key", async () => {
    const s = setup();
    const port = new URL(emu.baseUrl).port;
    // The emulator plays UAT; the key configured is one it does not know (a production key).
    const run = await runDoctor({
      config: configFrom({
        ...s.env,
        EXCHANGE_CUSTOM_BASE_URL: `http://uat-api.3ona.co:${port}/exchange/v1`,
        EXCHANGE_CUSTOM_API_KEY: "ProdKey0123456789abcdef",
        EXCHANGE_CUSTOM_API_SECRET: "ProdSecret0123456789abcdefgh",
      }),
      lookup: hostsLookup({ "uat-api.3ona.co": "127.0.0.1" }),
    });
    expect(run.report.causes[0]!.id).toBe("wrong_environment");
    expect(evidenceText(run.report, "wrong_environment")).toMatch(/UAT sandbox/);
    expect(evidenceText(run.report, "wrong_environment")).toMatch(/https:\/\/api\.crypto\.com\/exchange\/v1/);
    expect(check(run.report, "reachability").detail).toMatch(/DNS uat-api\.3ona\.co → 127\.0\.0\.1/);
    common(run, ["ProdKey0123456789abcdef", "ProdSecret0123456789abcdefgh"]);
  });

  it("UAT with a UAT key is fine (a warning, not a cause)", async () => {
    const s = setup();
    const port = new URL(emu.baseUrl).port;
    const run = await runDoctor({
      config: configFrom({
        ...s.env,
        EXCHANGE_CUSTOM_BASE_URL: `http://uat-api.3ona.co:${port}/exchange/v1`,
      }),
      lookup: hostsLookup({ "uat-api.3ona.co": "127.0.0.1" }),
    });
    expect(run.report.verdict).toBe("ok");
    expect(check(run.report, "config").status).toBe("warn");
  });

  it("wrong_environment: a legacy /v2 base URL", async () => {
    const s = setup();
    const origin = new URL(emu.baseUrl).origin;
    const run = await runDoctor({
      config: configFrom({ ...s.env, EXCHANGE_CUSTOM_BASE_URL: `${origin}/v2` }),
    });
    expect(run.report.causes[0]!.id).toBe("wrong_environment");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "wrong_environment")).toMatch(/legacy Spot v2/);
    common(run, [s.key, s.secret]);
  });
});

describe("IP whitelist", () => {
  it("ip_not_whitelisted: 40103 with the outbound IP to whitelist", async () => {
    const s = setup({ whitelist: ["203.0.113.10"] });
    const run = await runDoctor({ config: configFrom(s.env) });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("ip_not_whitelisted");
    expect(c.confidence).toBe("confirmed");
    expect(c.evidence.join("\n")).toMatch(/40103 IP_ILLEGAL/);
    expect(c.fix.join("\n")).toMatch(/Add exactly 127\.0\.0\.1/);
    expect(run.report.outbound_ip).toBe("127.0.0.1");
    common(run, [s.key, s.secret]);
  });

  it("ip_not_whitelisted: EXCHANGE_LOCAL_ADDRESS changes the IP the exchange sees", async () => {
    const s = setup({ whitelist: ["127.0.0.1"], env: { EXCHANGE_LOCAL_ADDRESS: "127.0.0.2" } });
    const run = await runDoctor({ config: configFrom(s.env) });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("ip_not_whitelisted");
    expect(c.fix.join("\n")).toMatch(/Add exactly 127\.0\.0\.2/);
    expect(c.evidence.join("\n")).toMatch(/bound to 127\.0\.0\.2/);
    expect(run.report.outbound_ip).toBe("127.0.0.2");
  });

  it("the same binding, whitelisted: ok", async () => {
    const s = setup({ whitelist: ["127.0.0.2"], env: { EXCHANGE_LOCAL_ADDRESS: "127.0.0.2" } });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.outbound_ip).toBe("127.0.0.2");
  });
});

describe("clock", () => {
  it("clock_skew: the exchange clock is 90 s ahead (40102), confirmed by the corrected-nonce read", async () => {
    const s = setup({ clockOffsetMs: 90_000 });
    const run = await runDoctor({ config: configFrom(s.env) });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("clock_skew");
    expect(c.confidence).toBe("confirmed");
    expect(Math.abs(run.report.clock_offset_ms! - 90_000)).toBeLessThanOrEqual(1_000);
    expect(c.evidence.join("\n")).toMatch(/40102 INVALID_NONCE/);
    expect(c.evidence.join("\n")).toMatch(/nonce corrected by the measured offset .* succeeds/);
    expect(c.summary).toMatch(/behind the exchange/);
    expect(check(run.report, "nonce_window").status).toBe("fail");
    // once the clock is compensated the trade probe ran too, and found the permission
    expect(check(run.report, "trade_permission").status).toBe("pass");
    expect(run.report.causes).toHaveLength(1);
    common(run, [s.key, s.secret]);
  });

  it("clock_skew: this host is 2 minutes ahead", async () => {
    const s = setup({ clockOffsetMs: -120_000 });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("clock_skew");
    expect(Math.abs(run.report.clock_offset_ms! + 120_000)).toBeLessThanOrEqual(1_000);
    expect(run.report.causes[0]!.summary).toMatch(/ahead of the exchange/);
  });

  it("clock_skew (likely): 45 s off is still accepted, but without margin", async () => {
    const s = setup({ clockOffsetMs: 45_000 });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(check(run.report, "signed_read").status).toBe("pass");
    expect(run.report.causes[0]!.id).toBe("clock_skew");
    expect(run.report.causes[0]!.confidence).toBe("likely");
  });
});

describe("permissions", () => {
  it("missing_trade_permission: read works, the cancel probe is refused for auth", async () => {
    const s = setup({ permissions: ["read"] });
    const run = await runDoctor({ config: configFrom(s.env) });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("missing_trade_permission");
    expect(c.confidence).toBe("confirmed");
    expect(c.evidence.join("\n")).toMatch(/cancel-order .* 40101/);
    expect(check(run.report, "signed_read").status).toBe("pass");
    expect(emu.admin.orders()).toEqual([]);
    common(run, [s.key, s.secret]);
  });
});

describe("combined faults (precedence, docs/doctor.md)", () => {
  it("skewed clock + non-whitelisted IP: ip_not_whitelisted first, clock_skew second, both confirmed", async () => {
    const s = setup({ clockOffsetMs: 90_000, whitelist: ["203.0.113.10"] });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(ids(run.report).slice(0, 2)).toEqual(["ip_not_whitelisted", "clock_skew"]);
    expect(run.report.causes.slice(0, 2).map((c) => c.confidence)).toEqual(["confirmed", "confirmed"]);
    expect(evidenceText(run.report, "clock_skew")).toMatch(/\+\d{5} ms/);
    common(run, [s.key, s.secret]);
  });

  it("swapped credentials + non-whitelisted IP: credentials_swapped first, then ip_not_whitelisted", async () => {
    const s = setup({
      whitelist: ["203.0.113.10"],
      configured: (key, secret) => ({ EXCHANGE_CUSTOM_API_KEY: secret, EXCHANGE_CUSTOM_API_SECRET: key }),
    });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(ids(run.report).slice(0, 2)).toEqual(["credentials_swapped", "ip_not_whitelisted"]);
    expect(evidenceText(run.report, "credentials_swapped")).toMatch(/40103/);
    // the whitelist fix names the key by where it really is, not by the secret's last 4
    expect(evidenceText(run.report, "ip_not_whitelisted")).toMatch(
      /the value now in EXCHANGE_CUSTOM_API_SECRET/,
    );
    expectNoSecretTail(run, s.secret);
    common(run, [s.key, s.secret]);
  });

  it("read-only key + skewed clock: clock_skew first, missing_trade_permission found after compensating", async () => {
    const s = setup({ clockOffsetMs: -90_000, permissions: ["read"] });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(ids(run.report)).toEqual(["clock_skew", "missing_trade_permission"]);
  });
});

describe("safety", () => {
  it("the swapped experiment never sends the secret to a host that is not Crypto.com's or loopback", async () => {
    const s = setup({ enabled: false });
    const port = new URL(emu.baseUrl).port;
    const run = await runDoctor({
      config: configFrom({
        ...s.env,
        EXCHANGE_CUSTOM_BASE_URL: `http://mirror.example.com:${port}/exchange/v1`,
      }),
      lookup: hostsLookup({ "mirror.example.com": "127.0.0.1" }),
    });
    expect(run.report.causes[0]!.id).toBe("key_invalid_or_revoked");
    expect(run.report.causes[0]!.confidence).toBe("likely"); // not every hypothesis could be tested
    expect(check(run.report, "swapped_credentials").status).toBe("skip");
    expect(check(run.report, "swapped_credentials").detail).toMatch(/would send the secret as the key/);
    expect(run.calls.filter((c) => c.method === "private/user-balance")).toHaveLength(1);
    expect(ids(run.report)).not.toContain("wrong_environment"); // a mirror is not by itself a wrong environment
  });

  it("a permission refusal of the read (10002) never runs the swapped experiment", async () => {
    const s = setup();
    emu.admin.setFaults([
      { kind: "error", code: 10002, http_status: 401, methods: ["private/user-balance"] },
    ]);
    const run = await runDoctor({ config: configFrom(s.env) });
    emu.admin.clearFaults();
    // only the read: the secret was never sent as the key
    expect(run.calls.filter((c) => c.method === "private/user-balance")).toHaveLength(1);
    expect(check(run.report, "swapped_credentials").status).toBe("skip");
    expect(ids(run.report)).not.toContain("credentials_swapped");
    expect(run.report.causes[0]!.id).toBe("key_invalid_or_revoked");
    expect(run.report.causes[0]!.confidence).toBe("likely");
    expect(run.report.causes[0]!.summary).toMatch(/may not use the API \(10002 UNAUTHORIZED/);
    common(run, [s.key, s.secret]);
  });

  it("hands every finished report to onReport (the store keeps the last one)", async () => {
    const s = setup();
    const stored: unknown[] = [];
    const run = await runDoctor({ config: configFrom(s.env), onReport: (r) => void stored.push(r) });
    expect(stored).toEqual([run.report]);
  });
});
