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
  it("refuses an order_id_base that would not keep ids at 19 digits, naming the field", () => {
    expect(problems({ order_id_base: "9500000000000000000" }).join("\n")).toMatch(/order_id_base.*19 digits/);
    expect(problems({ order_id_base: "61429" }).join("\n")).toMatch(/order_id_base/);
    expect(problems({ order_id_base: "6144705895000000000" })).toEqual([]);
  });

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

describe("values the configuration refuses, naming the field and the fix", () => {
  const instrument = {
    symbol: "AAA_USD",
    base_ccy: "AAA",
    quote_ccy: "USD",
    price_tick_size: "0.1",
    qty_tick_size: "1",
    initial_price: "5",
  };
  const inst = (over: Record<string, unknown>) => problems({ instruments: [{ ...instrument, ...over }] });

  it.each([
    ["price_tick_size", "0", /^instruments\[0\]\.price_tick_size: must be greater than 0, e\.g\. "0\.01"/],
    ["price_tick_size", "0.000", /^instruments\[0\]\.price_tick_size: must be greater than 0/],
    [
      "price_tick_size",
      "-1",
      /^instruments\[0\]\.price_tick_size: must be a positive decimal string like "0\.01"/,
    ],
    ["qty_tick_size", "-0.5", /^instruments\[0\]\.qty_tick_size: must be a positive decimal string/],
    ["qty_tick_size", "1e-5", /^instruments\[0\]\.qty_tick_size: must be a positive decimal string/],
    [
      "initial_price",
      "abc",
      /^instruments\[0\]\.initial_price: must be a positive decimal string like "65000"/,
    ],
    ["initial_price", 5, /^instruments\[0\]\.initial_price: must be a positive decimal string/],
  ])("%s %j: exactly one problem, with the field path", (field, value, message) => {
    const p = inst({ [field]: value });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(message);
  });

  it.each([
    ["10.0.0.0/99", /prefix length after "\/" must be 0 to 32/],
    ["10.0.0.0/", /prefix length/],
    ["10.0.0.0/8/8", /prefix length/],
    ["not-an-ip", /is not an IP address/],
    ["300.1.1.1", /is not an IP address/],
    ["10.0.0/8", /"10\.0\.0" is not an IPv4 address/],
    ["fe80::/10", /IPv6 CIDR blocks are not supported/],
    ["", /is not an IP address/],
  ])("ip_whitelist entry %j is refused", (entry, why) => {
    const p = problems({
      keys: [{ api_key: "k", secret: "s", account: "main", ip_whitelist: ["127.0.0.1", entry] }],
    });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^keys\[0\]\.ip_whitelist\[1\]: /);
    expect(p[0]).toMatch(why);
  });

  it("accepts exact IPv4 and IPv6 addresses and IPv4 CIDR blocks", () => {
    const entries = [
      "127.0.0.1",
      "::1",
      "2001:db8::7",
      "10.0.0.0/8",
      "0.0.0.0/0",
      "192.168.1.7/32",
      "::ffff:10.1.2.3",
    ];
    expect(
      problems({ keys: [{ api_key: "k", secret: "s", account: "main", ip_whitelist: entries }] }),
    ).toEqual([]);
  });

  it("refuses a __proto__ currency or account instead of dropping it", () => {
    const json = '{"accounts":{"main":{"balances":{"USD":"1","__proto__":"5"}},"__proto__":{"balances":{}}}}';
    expect(problems(JSON.parse(json))).toEqual([
      'accounts.main.balances.__proto__: "__proto__" cannot be used as a name; rename it',
      'accounts.__proto__: "__proto__" cannot be used as a name; rename it',
    ]);
  });

  it("an account named like an Object property exists only when the config defines it", () => {
    for (const account of ["toString", "constructor", "hasOwnProperty"]) {
      expect(problems({ keys: [{ api_key: "k", secret: "s", account }] })).toEqual([
        `keys[0].account: no account named "${account}" in accounts`,
      ]);
    }
    const c = parseEmulatorConfig({
      accounts: { constructor: { balances: { USD: "1" } } },
      keys: [{ api_key: "k", secret: "s", account: "constructor" }],
    });
    expect(Object.entries(c.accounts)).toContainEqual(["constructor", { balances: { USD: "1" } }]);
  });

  it("currency codes of instruments are upper-case letters and digits", () => {
    expect(inst({ symbol: "aaa_USD", base_ccy: "aaa" }).join("\n")).toMatch(
      /instruments\[0\]\.base_ccy: currency codes are upper-case letters and digits/,
    );
  });

  it.each([
    [
      { faults: [{ kind: "latency", ms: 2_147_483_648 }] },
      /^faults\[0\]\.ms: must be at most 2147483647 ms \(about 24\.8 days/,
    ],
    [{ faults: [{ kind: "latency", ms: -1 }] }, /^faults\[0\]\.ms: must be at least 0 ms/],
    [
      { faults: [{ kind: "latency", ms: 1.5 }] },
      /^faults\[0\]\.ms: must be an integer number of milliseconds/,
    ],
    [
      { faults: [{ kind: "ws_drop", every_ms: 1e12 }] },
      /^faults\[0\]\.every_ms: must be at most 2147483647 ms/,
    ],
    [
      { faults: [{ kind: "clock_jump", ms: 1000, after_ms: 2 ** 31 }] },
      /^faults\[0\]\.after_ms: must be at most/,
    ],
    [
      { faults: [{ kind: "clock_jump", ms: 1e15 }] },
      /^faults\[0\]\.ms: must be at most 315576000000 ms \(ten years ahead\)/,
    ],
    [{ heartbeat_ms: 2 ** 31 }, /^heartbeat_ms: must be at most 2147483647 ms/],
    [{ heartbeat_deadline_ms: 0 }, /^heartbeat_deadline_ms: must be at least 1 ms/],
    [{ market_tick_ms: 3e9 }, /^market_tick_ms: must be at most/],
    [{ order_latency_ms: -5 }, /^order_latency_ms: must be at least 0 ms/],
    [{ clock_offset_ms: -1e13 }, /^clock_offset_ms: must be at least -315576000000 ms/],
    [{ limits: { max_request_bytes: 10 } }, /^limits\.max_request_bytes: must be at least 1024 bytes/],
    [{ limits: { order_log_size: 0 } }, /^limits\.order_log_size: /],
    [{ limits: { max_final_orders: 0 } }, /^limits\.max_final_orders: /],
  ])("durations and sizes are range-checked: %j", (input, message) => {
    const p = problems(input);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(message);
  });

  it("defaults the request size limit, the order log size and the final orders kept", () => {
    const c = parseEmulatorConfig({});
    expect(c.limits).toMatchObject({
      max_request_bytes: 1_048_576,
      order_log_size: 100_000,
      max_final_orders: 10_000,
    });
  });
});
