import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  EmulatorConfigError,
  loadEmulatorConfigFile,
  parseEmulatorConfig,
} from "../../src/emulator/config.js";

function problems(input: unknown): string[] {
  try {
    parseEmulatorConfig(input);
  } catch (err) {
    if (err instanceof EmulatorConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("emulator configuration", () => {
  it("defaults to a working demo exchange", () => {
    const c = parseEmulatorConfig(undefined);
    expect(c.keys).toEqual([
      expect.objectContaining({ api_key: "demo-key", secret: "demo-secret", account: "main", enabled: true }),
    ]);
    expect(c.accounts.main?.balances).toMatchObject({ USD: "10000", BTC: "0.25", ETH: "2" });
    expect(c.nonce_window_ms).toEqual({ past: 60_000, future: 60_000 });
    expect(c.response_number_types).toBe(true);
    expect(c.missing_permission_code).toBe(40101);
    expect(c.heartbeat_ms).toBe(30_000);
    expect(c.heartbeat_deadline_ms).toBe(5_000);
    const symbols = c.instruments.map((i) => i.symbol);
    for (const s of [
      "BTC_USD",
      "BTC_USDT",
      "ETH_USD",
      "ETH_USDT",
      "SOL_USD",
      "CRO_USD",
      "DOGE_USD",
      "XRP_USD",
    ]) {
      expect(symbols).toContain(s);
    }
    expect(c.instruments.find((i) => i.symbol === "BTC_USD")?.qty_tick_size).toBe("0.00001");
  });

  it("accepts the issue's example shape verbatim", () => {
    const c = parseEmulatorConfig({
      seed: 42,
      speed: 1,
      clock_offset_ms: 0,
      nonce_window_ms: { past: 60000, future: 60000 },
      response_number_types: true,
      missing_permission_code: 40101,
      accounts: { main: { balances: { USD: "10000", BTC: "0.25", ETH: "2" } } },
      keys: [
        {
          api_key: "demo-key",
          secret: "demo-secret",
          account: "main",
          permissions: ["read", "trade"],
          ip_whitelist: ["127.0.0.1"],
          enabled: true,
        },
      ],
      instruments: "default",
      faults: [
        { kind: "error", code: 9010001, http_status: 503, methods: ["private/*"], probability: 1 },
        { kind: "error", code: 42901, http_status: 429, methods: ["private/user-balance"], count: 3 },
        { kind: "latency", ms: 2000, methods: ["*"] },
        { kind: "reset_before", methods: ["private/create-order"], count: 1 },
        { kind: "lose_response", methods: ["private/create-order"], probability: 0.1 },
        { kind: "ws_drop", every_ms: 5000 },
        { kind: "heartbeat_stall" },
        { kind: "clock_jump", ms: 90000, after_ms: 10000 },
      ],
    });
    expect(c.faults).toHaveLength(8);
  });

  it("names every bad field at once", () => {
    const p = problems({
      speed: -1,
      keys: [{ api_key: "", secret: "s", account: "nope" }],
      accounts: { main: { balances: { USD: 100 } } },
      faults: [{ kind: "explode" }],
      bogus: true,
    });
    expect(p.join("\n")).toMatch(/^speed: /m);
    expect(p.join("\n")).toMatch(/^keys\[0\]\.api_key: /m);
    expect(p.join("\n")).toMatch(/^accounts\.main\.balances\.USD: must be a decimal string/m);
    expect(p.join("\n")).toMatch(/^faults\[0\]\.kind: /m);
    expect(p.join("\n")).toMatch(/bogus/);
  });

  it("checks cross references", () => {
    expect(problems({ keys: [{ api_key: "k", secret: "s", account: "ghost" }] })).toEqual([
      'keys[0].account: no account named "ghost" in accounts',
    ]);
    expect(
      problems({
        keys: [
          { api_key: "k", secret: "s", account: "main" },
          { api_key: "k", secret: "t", account: "main" },
        ],
      }),
    ).toEqual(["keys[1].api_key: duplicate api_key"]);
  });

  it("validates custom instruments", () => {
    expect(
      problems({
        instruments: [
          {
            symbol: "AAA_USD",
            base_ccy: "AAA",
            quote_ccy: "USD",
            price_tick_size: "0",
            qty_tick_size: "1",
            initial_price: "5",
          },
        ],
      }).join("\n"),
    ).toMatch(/instruments\[0\]\.price_tick_size: must be greater than 0/);
    expect(
      problems({
        instruments: [
          {
            symbol: "AAA_EUR",
            base_ccy: "AAA",
            quote_ccy: "USD",
            price_tick_size: "0.1",
            qty_tick_size: "1",
            initial_price: "5",
          },
        ],
      }).join("\n"),
    ).toMatch(/instruments\[0\]\.symbol: symbol must be base_ccy/);
  });

  it("loads a JSON file and names the file in errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-cfg-"));
    const good = join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ seed: 7, market_tick_ms: 0 }));
    expect(loadEmulatorConfigFile(good).seed).toBe(7);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ seed: "x" }));
    expect(() => loadEmulatorConfigFile(bad)).toThrow(/bad\.json: seed: /);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{");
    expect(() => loadEmulatorConfigFile(broken)).toThrow(/broken\.json: not valid JSON/);
  });
});
