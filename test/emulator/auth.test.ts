/** Authentication and the exchange's order of checks, over real loopback HTTP (reference §3.5, §9). */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonNumberText } from "../../src/domain/json-text.js";
import {
  type EmulatorConfigInput,
  type EmulatorHandle,
  ManualClock,
  startEmulator,
} from "../../src/emulator/index.js";
import { sign } from "../../src/exchange/cryptocom/signing.js";
import { http, privateCall, publicCall, signedEnvelope } from "./helpers.js";

let em: EmulatorHandle;

const KEYS = [
  {
    api_key: "demo-key",
    secret: "demo-secret",
    account: "main",
    permissions: ["read", "trade"],
    ip_whitelist: ["127.0.0.1"],
  },
  { api_key: "read-key", secret: "read-secret", account: "main", permissions: ["read"] },
  { api_key: "off-key", secret: "off-secret", account: "main", enabled: false },
  { api_key: "far-key", secret: "far-secret", account: "main", ip_whitelist: ["10.1.2.3", "192.168.0.0/16"] },
  { api_key: "cidr-key", secret: "cidr-secret", account: "main", ip_whitelist: ["127.0.0.0/30"] },
  { api_key: "wd-key", secret: "wd-secret", account: "main", permissions: ["read", "trade", "withdraw"] },
] as const;

beforeAll(async () => {
  // Rate limits off here (sequential calls would hit 3 per 100 ms); the rate-limit order test starts its own.
  em = await startEmulator({ market_tick_ms: 0, history_days: 1, rate_limits: false, keys: KEYS as never });
});
afterAll(async () => {
  await em.close();
});

/** An emulator of its own whose time stands still (rate-limit windows and nonce checks exact). */
async function frozen(config: EmulatorConfigInput): Promise<{ emu: EmulatorHandle; now: number }> {
  const now = Date.UTC(2030, 0, 1, 12);
  const emu = await startEmulator(
    { market_tick_ms: 0, history_days: 1, ...config },
    { clock: new ManualClock(now) },
  );
  return { emu, now };
}

describe("authentication failures: code and HTTP status", () => {
  it("unknown key → 40101 / 401, with the request id and method echoed", async () => {
    const r = await privateCall(em.baseUrl, "private/user-balance", {}, { apiKey: "nobody", id: 77 });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ id: 77, method: "private/user-balance", code: 40101, message: "UNAUTHORIZED" });
  });

  it("disabled (revoked) key → 40101 / 401", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      { apiKey: "off-key", secret: "off-secret" },
    );
    expect([r.status, r.body.code]).toEqual([401, 40101]);
  });

  it("caller IP not in the whitelist → 40103 / 401 (request from 127.0.0.2)", async () => {
    const r = await privateCall(em.baseUrl, "private/user-balance", {}, { localAddress: "127.0.0.2" });
    expect([r.status, r.body.code]).toEqual([401, 40103]);
    const ok = await privateCall(em.baseUrl, "private/user-balance", {}, { localAddress: "127.0.0.1" });
    expect([ok.status, ok.body.code]).toEqual([200, 0]);
  });

  it("whitelist entries may be CIDR blocks", async () => {
    const inside = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      {
        apiKey: "cidr-key",
        secret: "cidr-secret",
        localAddress: "127.0.0.2",
      },
    );
    expect(inside.body.code).toBe(0);
    const outside = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      {
        apiKey: "cidr-key",
        secret: "cidr-secret",
        localAddress: "127.0.0.5",
      },
    );
    expect(outside.body.code).toBe(40103);
  });

  it("no whitelist means any IP", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      {
        apiKey: "read-key",
        secret: "read-secret",
        localAddress: "127.0.0.9",
      },
    );
    expect(r.body.code).toBe(0);
  });

  it("nonce outside the window → 40102 / 400 (both sides), inside → accepted", async () => {
    const { emu, now } = await frozen({ rate_limits: false });
    try {
      for (const nonce of [now - 60_001, now + 60_001]) {
        const r = await privateCall(emu.baseUrl, "private/user-balance", {}, { nonce });
        expect([r.status, r.body.code]).toEqual([400, 40102]);
      }
      for (const nonce of [now - 60_000, now + 60_000]) {
        const r = await privateCall(emu.baseUrl, "private/user-balance", {}, { nonce });
        expect(r.body.code).toBe(0);
      }
    } finally {
      await emu.close();
    }
  });

  it("a nonce that is not a number → 40102", async () => {
    const r = await privateCall(em.baseUrl, "private/user-balance", {}, { nonce: "soon" });
    expect(r.body.code).toBe(40102);
  });

  it("the window is around the emulator clock (local clock + clock_offset_ms)", async () => {
    em.admin.setClockOffset(120_000);
    try {
      const local = await privateCall(em.baseUrl, "private/user-balance", {}, { nonce: Date.now() });
      expect(local.body.code).toBe(40102);
      const skewed = await privateCall(
        em.baseUrl,
        "private/user-balance",
        {},
        { nonce: Date.now() + 120_000 },
      );
      expect(skewed.body.code).toBe(0);
    } finally {
      em.admin.setClockOffset(0);
    }
  });

  it("wrong secret → 40101 / 401", async () => {
    const r = await privateCall(em.baseUrl, "private/user-balance", {}, { secret: "not-the-secret" });
    expect([r.status, r.body.code]).toEqual([401, 40101]);
  });

  it("a param changed after signing → 40101", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/get-open-orders",
      { instrument_name: "BTC_USD" },
      { mutate: (env) => (env.params = { instrument_name: "ETH_USD" }) },
    );
    expect(r.body.code).toBe(40101);
  });

  it("a missing sig → 40101", async () => {
    const r = await privateCall(em.baseUrl, "private/user-balance", {}, { mutate: (env) => delete env.sig });
    expect(r.body.code).toBe(40101);
  });

  it("accepts an upper-case hex signature (compared case-insensitively)", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      {
        mutate: (env) => (env.sig = String(env.sig).toUpperCase()),
      },
    );
    expect(r.body.code).toBe(0);
  });
});

describe("numbers are verified by their JSON text", () => {
  const signedBody = (method: string, id: number, paramsText: string, params: Record<string, unknown>) => {
    const nonce = Date.now();
    const sig = sign({ method, id, apiKey: "demo-key", params: params as never, nonce }, "demo-secret");
    return `{"id":${id},"method":"${method}","api_key":"demo-key","params":${paramsText},"nonce":${nonce},"sig":"${sig}"}`;
  };

  it("a JSON number is signed as its text (8000.000 stays 8000.000)", async () => {
    const body = signedBody("private/get-open-orders", 4, '{"limit":8000.000}', {
      limit: new JsonNumberText("8000.000"),
    });
    const r = await http(`${em.baseUrl}/private/get-open-orders`, { method: "POST", body });
    expect(r.body.code).toBe(0);
  });

  it("an integer above 2^53 keeps every digit (order_id 6142909895025252686)", async () => {
    const body = signedBody("private/get-order-detail", 5, '{"order_id":6142909895025252686}', {
      order_id: new JsonNumberText("6142909895025252686"),
    });
    const r = await http(`${em.baseUrl}/private/get-order-detail`, { method: "POST", body });
    expect(r.body.code).toBe(40401); // authenticated; the order simply does not exist
    // Signed as the nearest double's digits instead, the same body is refused.
    const rounded = signedBody("private/get-order-detail", 5, '{"order_id":6142909895025252686}', {
      order_id: new JsonNumberText(String(Number("6142909895025252686"))), // "6142909895025252000"
    });
    const bad = await http(`${em.baseUrl}/private/get-order-detail`, { method: "POST", body: rounded });
    expect(bad.body.code).toBe(40101);
  });

  it("a client that signs its own number form instead of the sent text gets 40101", async () => {
    const body = signedBody("private/get-open-orders", 6, '{"limit":8000.000}', { limit: "8000" });
    const r = await http(`${em.baseUrl}/private/get-open-orders`, { method: "POST", body });
    expect(r.body.code).toBe(40101);
  });
});

describe("the order of checks: key → IP → nonce → signature → permission → rate limit → method → params", () => {
  it("unknown key beats a bad IP", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      { apiKey: "nobody", localAddress: "127.0.0.2" },
    );
    expect(r.body.code).toBe(40101);
  });

  it("a bad IP beats a bad nonce (40103, not 40102)", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      {
        localAddress: "127.0.0.2",
        nonce: Date.now() - 3_600_000,
      },
    );
    expect([r.status, r.body.code]).toEqual([401, 40103]);
  });

  it("a bad nonce beats a bad signature (40102, not 40101)", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/user-balance",
      {},
      {
        secret: "wrong",
        nonce: Date.now() - 3_600_000,
      },
    );
    expect([r.status, r.body.code]).toEqual([400, 40102]);
  });

  it("a bad signature beats a missing permission", async () => {
    const r = await privateCall(
      em.baseUrl,
      "private/create-order",
      { instrument_name: "BTC_USD", side: "BUY", type: "MARKET", notional: "10" },
      { apiKey: "read-key", secret: "wrong" },
    );
    expect(r.body.code).toBe(40101);
    expect(r.body.message).toBe("UNAUTHORIZED");
  });

  it("a missing permission beats the rate limit (a read-only key never sees 42901 on create-order)", async () => {
    const { emu: limited, now } = await frozen({ keys: KEYS as never });
    try {
      const place = (apiKey: string, secret: string, i: number) =>
        privateCall(
          limited.baseUrl,
          "private/create-order",
          {
            instrument_name: "BTC_USD",
            side: "BUY",
            type: "MARKET",
            notional: "10",
            client_oid: `${apiKey}-${i}`,
          },
          { apiKey, secret, nonce: now },
        );
      const denied = await Promise.all(
        Array.from({ length: 25 }, (_, i) => place("read-key", "read-secret", i)),
      );
      expect(new Set(denied.map((r) => r.body.code))).toEqual(new Set([40101]));
      // The same burst from a key with the permission is rate limited (15 per 100 ms).
      const allowed = (
        await Promise.all(Array.from({ length: 25 }, (_, i) => place("demo-key", "demo-secret", i)))
      ).map((r) => r.body.code);
      expect(allowed.filter((c) => c === 0)).toHaveLength(15);
      expect(allowed.filter((c) => c === 42901)).toHaveLength(10);
    } finally {
      await limited.close();
    }
  });

  it("the rate limit beats the method check (an unknown method is still counted)", async () => {
    const { emu: limited, now } = await frozen({});
    try {
      // Other private methods: 3 per 100 ms per key and method, so 12 concurrent calls exceed it.
      const calls = Array.from({ length: 12 }, () =>
        privateCall(limited.baseUrl, "private/get-account-summary", {}, { nonce: now }),
      );
      const codes = (await Promise.all(calls)).map((r) => r.body.code);
      expect(codes.filter((c) => c === 40002)).toHaveLength(3);
      expect(codes.filter((c) => c === 42901)).toHaveLength(9);
    } finally {
      await limited.close();
    }
  });

  it("the rate limit beats bad params on a known method", async () => {
    const { emu: limited, now } = await frozen({});
    try {
      const history = () =>
        privateCall(limited.baseUrl, "private/get-order-history", { limit: "1000" }, { nonce: now });
      const first = await history();
      expect(first.body.code).toBe(40004);
      const second = await history();
      expect([second.status, second.body.code]).toEqual([429, 42901]);
    } finally {
      await limited.close();
    }
  });

  it("an unknown method beats bad params (40002)", async () => {
    const r = await privateCall(em.baseUrl, "private/no-such-method", { junk: ["x"] });
    expect([r.status, r.body.code]).toEqual([400, 40002]);
  });
});

describe("permissions", () => {
  it("read for reads, trade for orders and cancels, withdraw for wallet calls (default code 40101 / 401)", async () => {
    const ro = { apiKey: "read-key", secret: "read-secret" };
    expect((await privateCall(em.baseUrl, "private/get-open-orders", {}, ro)).body.code).toBe(0);
    const order = await privateCall(
      em.baseUrl,
      "private/create-order",
      { instrument_name: "BTC_USD", side: "BUY", type: "MARKET", notional: "10" },
      ro,
    );
    expect([order.status, order.body.code]).toEqual([401, 40101]);
    const cancel = await privateCall(em.baseUrl, "private/cancel-order", { order_id: "1" }, ro);
    expect(cancel.body.code).toBe(40101);
    const wd = { currency: "BTC", amount: "0.001", address: "bc1qtest" };
    expect((await privateCall(em.baseUrl, "private/create-withdrawal", wd)).body.code).toBe(40101);
    const ok = await privateCall(em.baseUrl, "private/create-withdrawal", wd, {
      apiKey: "wd-key",
      secret: "wd-secret",
    });
    expect(ok.body.code).toBe(0);
  });

  it("missing_permission_code is configurable (legacy 10002)", async () => {
    const other = await startEmulator({ market_tick_ms: 0, missing_permission_code: 10002 });
    try {
      const r = await privateCall(other.baseUrl, "private/create-withdrawal", {
        currency: "BTC",
        amount: "0.001",
        address: "x",
      });
      expect([r.status, r.body.code]).toEqual([401, 10002]);
    } finally {
      await other.close();
    }
  });
});

describe("envelope and transport details", () => {
  it("a body that is not JSON → 40001 / 400", async () => {
    const r = await http(`${em.baseUrl}/private/user-balance`, { method: "POST", body: "{nope" });
    expect([r.status, r.body.code]).toEqual([400, 40001]);
  });

  it("a private method without a body → 40001", async () => {
    const r = await http(`${em.baseUrl}/private/user-balance`);
    expect(r.body.code).toBe(40001);
  });

  it("the body method must match the URL → 40003", async () => {
    const env = signedEnvelope("private/get-open-orders", {});
    const r = await http(`${em.baseUrl}/private/user-balance`, { method: "POST", body: JSON.stringify(env) });
    expect(r.body.code).toBe(40003);
  });

  it("params that are not an object → 40003", async () => {
    const r = await privateCall(em.baseUrl, "private/get-open-orders", [] as never);
    expect(r.body.code).toBe(40003);
  });

  it("echoes a string id as a number and answers the method (v1 captures)", async () => {
    const r = await privateCall(em.baseUrl, "private/user-balance", {}, { id: "1686804664362" });
    expect(r.text.startsWith('{"id":1686804664362,"method":"private/user-balance","code":0,"result":')).toBe(
      true,
    );
  });

  it("response_number_types=false emits id and code as strings", async () => {
    const other = await startEmulator({ market_tick_ms: 0, response_number_types: false });
    try {
      const r = await privateCall(other.baseUrl, "private/user-balance", {}, { id: 9 });
      expect(r.body.id).toBe("9");
      expect(r.body.code).toBe("0");
      const bad = await privateCall(other.baseUrl, "private/user-balance", {}, { id: 9, secret: "x" });
      expect(bad.body.code).toBe("40101");
    } finally {
      await other.close();
    }
  });

  it("the Date header reflects the emulator clock", async () => {
    em.admin.setClockOffset(3_600_000);
    try {
      const r = await publicCall(em.baseUrl, "public/get-instruments");
      const date = Date.parse(String(r.headers.date));
      expect(Math.abs(date - (Date.now() + 3_600_000))).toBeLessThan(5_000);
    } finally {
      em.admin.setClockOffset(0);
    }
  });

  it("GET /ip answers the caller's address as plain text", async () => {
    const a = await http(em.ipEchoUrl);
    expect(a.text.trim()).toBe("127.0.0.1");
    expect(String(a.headers["content-type"])).toMatch(/text\/plain/);
    const b = await http(em.ipEchoUrl, { localAddress: "127.0.0.3" });
    expect(b.text.trim()).toBe("127.0.0.3");
  });

  it("public methods need no key; unknown public methods → 40002", async () => {
    const r = await publicCall(em.baseUrl, "public/get-tickers", { instrument_name: "BTC_USD" });
    expect(r.body).toMatchObject({ id: -1, method: "public/get-tickers", code: 0 });
    const u = await publicCall(em.baseUrl, "public/get-nothing");
    expect([u.status, u.body.code]).toEqual([400, 40002]);
  });
});

describe("Java depth-3 signature variant (switch)", () => {
  const legs = [
    {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "LIMIT",
      price: "70000.00",
      quantity: "0.001",
      exec_inst: ["POST_ONLY"],
      client_oid: "j1",
    },
    {
      instrument_name: "BTC_USD",
      side: "SELL",
      type: "STOP_LOSS",
      ref_price: "60000.00",
      quantity: "0.001",
      client_oid: "j2",
    },
  ];
  it("is refused by default; with accept_java_depth3_signature on, the OCO is placed", async () => {
    const { createHmac } = await import("node:crypto");
    const make = () => {
      const nonce = Date.now();
      const p =
        "order_list" +
        "client_oidj1exec_inst[POST_ONLY]instrument_nameBTC_USDprice70000.00quantity0.001sideSELLtypeLIMIT" +
        "client_oidj2instrument_nameBTC_USDquantity0.001ref_price60000.00sideSELLtypeSTOP_LOSS";
      const sig = createHmac("sha256", "demo-secret")
        .update(`private/advanced/create-oco1demo-key${p}${nonce}`)
        .digest("hex");
      return JSON.stringify({
        id: 1,
        method: "private/advanced/create-oco",
        api_key: "demo-key",
        params: { order_list: legs },
        nonce,
        sig,
      });
    };
    const strict = await http(`${em.baseUrl}/private/advanced/create-oco`, { method: "POST", body: make() });
    expect(strict.body.code).toBe(40101);
    const lenient = await startEmulator({
      market_tick_ms: 0,
      switches: { accept_java_depth3_signature: true } as never,
    });
    try {
      const r = await http(`${lenient.baseUrl}/private/advanced/create-oco`, {
        method: "POST",
        body: make(),
      });
      expect(r.body).toMatchObject({ code: 0, result: { list_id: expect.stringMatching(/^\d+$/) } });
    } finally {
      await lenient.close();
    }
  });
});
