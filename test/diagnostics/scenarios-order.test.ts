/**
 * Doctor scenarios with a failing order, on the emulator: non-auth rejections (the seed's
 * 0.00011119 SELL, 308 price, 415 minimum, 306 balance, 209/309 instrument) must come out as
 * `order_rejected` with the field, the rule and the corrected value, never as an auth cause, even
 * when the engine mislabelled them 40101. Also the signature hazards of numbers in params.
 */

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JsonNumberText } from "../../src/domain/json-text.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { ExchangeError } from "../../src/exchange/cryptocom/errors.js";
import {
  authCauseIds,
  check,
  configFrom,
  evidenceText,
  expectNoSecrets,
  expectWithinBudget,
  ids,
  runDoctor,
} from "./helpers.js";

let emu: EmulatorHandle;
let n = 0;
let env: Record<string, string>;
let key: string;
let secret: string;

beforeAll(async () => {
  // Scenarios run back to back far faster than any user would run the doctor, and the emulator's
  // public limit (100/s per IP) spans scenarios: limits off here. The doctor's own pacing and call
  // budget are asserted for every run; scenarios-proxy keeps the emulator's limits on.
  emu = await startEmulator({ market_tick_ms: 0, keys: [], rate_limits: false });
});
afterAll(async () => {
  await emu?.close();
});

function freshKey(permissions: ("read" | "trade")[] = ["read", "trade"]): void {
  n += 1;
  key = `ok${n}Aa1Bb2Cc3Dd4Ee5Ff6Gg7`;
  secret = `os${n}Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6`;
  emu.admin.setKeys([{ api_key: key, secret, account: "main", permissions, ip_whitelist: ["127.0.0.1"] }]);
  env = {
    EXCHANGE_CUSTOM_API_KEY: key,
    EXCHANGE_CUSTOM_API_SECRET: secret,
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
  };
}

beforeEach(() => {
  freshKey();
  emu.admin.setBalances("main", { USD: "10000", BTC: "0.25", ETH: "2" });
  emu.admin.setTradable("SOL_USD", true);
  emu.admin.setPrice("BTC_USD", "89936");
});

const SEED = {
  instrument_name: "BTC_USD",
  side: "SELL",
  type: "MARKET",
  amount: "10.00",
  quantity: "0.00011119",
};

describe("the seed's order: SELL BTC_USD $10.00 sent as 0.00011119", () => {
  it("is order_rejected (213) with the corrected quantity 0.00011, even when the engine called it 40101", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: SEED,
      error: new ExchangeError({ method: "private/create-order", code: 40101, httpStatus: 401 }),
    });
    const r = run.report;
    expect(r.verdict).toBe("problem");
    expect(r.causes[0]!.id).toBe("order_rejected");
    expect(r.causes[0]!.confidence).toBe("confirmed");
    expect(authCauseIds(r)).toEqual([]);
    const text = evidenceText(r, "order_rejected");
    expect(text).toMatch(/quantity: 0\.00011119 is not a multiple of qty_tick_size 0\.00001/);
    expect(text).toMatch(/213 INVALID_ORDERQTY/);
    expect(text).toMatch(/atp would send instead: SELL MARKET BTC_USD quantity 0\.00011$/m);
    expect(text).toMatch(
      /amount 10\.00 USD at 89\d{3}(\.\d+)? is 0\.0001112\d* BTC, floored to the 0\.00001 tick: 0\.00011/,
    );
    expect(text).toMatch(
      /the engine reported 40101 UNAUTHORIZED, but .* pass with the same credentials: the failure is the order/,
    );
    expect(text).toContain(
      `atp doctor --order '{"instrument_name":"BTC_USD","side":"SELL","type":"MARKET","quantity":"0.00011"}'`,
    );
    expect(check(r, "signed_read").status).toBe("pass");
    expect(check(r, "trade_permission").status).toBe("pass");
    expect(check(r, "order").status).toBe("fail");
    expect(run.outputs.markdown).toMatch(/\| BTC_USD \| SELL \| MARKET \| 10\.00 \| 0\.00011119 \|/);
    expectWithinBudget(run.calls);
    expectNoSecrets(run, [key, secret]);
    expect(emu.admin.orders()).toEqual([]);
  });

  it("with the real code 213 from the engine: the same answer", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: SEED,
      error: { method: "private/create-order", code: 213, httpStatus: 400 },
    });
    expect(ids(run.report)).toEqual(["order_rejected"]);
    expect(evidenceText(run.report, "order_rejected")).toMatch(/the exchange answered the order with 213/);
  });

  it("handed over as the failing request (create-order params) instead of an order", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      request: {
        method: "private/create-order",
        params: { instrument_name: "BTC_USD", side: "SELL", type: "MARKET", quantity: "0.00011119" },
      },
    });
    expect(ids(run.report)).toEqual(["order_rejected"]);
    expect(evidenceText(run.report, "order_rejected")).toMatch(/quantity 0\.00011/);
  });

  it("the corrected order passes: verdict ok", async () => {
    const run = await runDoctor({ config: configFrom(env), order: { ...SEED, quantity: "0.00011" } });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.causes).toEqual([]);
    expect(check(run.report, "order").status).toBe("pass");
  });
});

describe("other non-auth order failures", () => {
  it("308: a limit price off the tick, corrected in the safe direction (BUY rounds down)", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        price: "89000.005",
        quantity: "0.001",
      },
      error: { method: "private/create-order", code: 308 },
    });
    expect(run.report.causes[0]!.id).toBe("order_rejected");
    expect(authCauseIds(run.report)).toEqual([]);
    const text = evidenceText(run.report, "order_rejected");
    expect(text).toMatch(/price: 89000\.005 is not a multiple of price_tick_size 0\.01/);
    expect(text).toMatch(/atp would send instead: BUY LIMIT BTC_USD quantity 0\.001 price 89000\.00/);
  });

  it("415: $0.20 of BTC is below the minimum quantity", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: { instrument_name: "BTC_USD", side: "SELL", amount: "0.20" },
      error: { method: "private/create-order", code: 415 },
    });
    expect(run.report.causes[0]!.id).toBe("order_rejected");
    expect(authCauseIds(run.report)).toEqual([]);
    expect(evidenceText(run.report, "order_rejected")).toMatch(/below the minimum 0\.00001/);
  });

  it("306: the balance read by the doctor is short (likely), confirmed by the engine's 306", async () => {
    emu.admin.setBalances("main", { USD: "10000", BTC: "0.00005" });
    const order = { instrument_name: "BTC_USD", side: "SELL", quantity: "0.0001" };
    const likely = await runDoctor({ config: configFrom(env), order });
    expect(likely.report.causes[0]!.id).toBe("order_rejected");
    expect(likely.report.causes[0]!.confidence).toBe("likely");
    expect(evidenceText(likely.report, "order_rejected")).toMatch(
      /available BTC: 0\.00005, the order needs 0\.0001/,
    );
    freshKey();
    const confirmed = await runDoctor({
      config: configFrom(env),
      order,
      error: { method: "private/create-order", code: 306 },
    });
    expect(confirmed.report.causes[0]!.id).toBe("order_rejected");
    expect(confirmed.report.causes[0]!.confidence).toBe("confirmed");
    expect(authCauseIds(confirmed.report)).toEqual([]);
  });

  it("209: an unknown instrument, with the exact name to use", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: { instrument_name: "BTCUSD", side: "BUY", type: "MARKET", notional: "10.00" },
      error: { method: "private/create-order", code: 209 },
    });
    expect(run.report.causes[0]!.id).toBe("order_rejected");
    expect(authCauseIds(run.report)).toEqual([]);
    const text = evidenceText(run.report, "order_rejected");
    expect(text).toMatch(/unknown instrument BTCUSD/);
    expect(text).toMatch(/BTC_USD/);
  });

  it("309: an instrument that is not tradable", async () => {
    emu.admin.setTradable("SOL_USD", false);
    const run = await runDoctor({
      config: configFrom(env),
      order: { instrument_name: "SOL_USD", side: "BUY", type: "MARKET", notional: "10.00" },
    });
    expect(run.report.causes[0]!.id).toBe("order_rejected");
    expect(evidenceText(run.report, "order_rejected")).toMatch(/SOL_USD is not tradable/);
    expect(authCauseIds(run.report)).toEqual([]);
  });

  it("an order code without a local rule (315 far-away price) is still order_rejected by its code", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: { instrument_name: "BTC_USD", side: "BUY", type: "LIMIT", price: "1000.00", quantity: "0.001" },
      error: { method: "private/create-order", code: 315 },
    });
    expect(ids(run.report)).toEqual(["order_rejected"]);
    expect(evidenceText(run.report, "order_rejected")).toMatch(/315 FAR_AWAY_LIMIT_PRICE/);
  });
});

describe("combined: an invalid order on a read-only key", () => {
  it("missing_trade_permission first (the exchange checks permission before params), then order_rejected", async () => {
    freshKey(["read"]);
    const run = await runDoctor({ config: configFrom(env), order: SEED });
    expect(ids(run.report)).toEqual(["missing_trade_permission", "order_rejected"]);
    expect(evidenceText(run.report, "order_rejected")).toMatch(/0\.00011$/m);
  });
});

describe("signature_mismatch: numbers in the failing request's params", () => {
  it("an order id sent as a JSON number beyond 2^53", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      request: {
        method: "private/get-order-detail",
        params: { order_id: new JsonNumberText("6530219466434763521") },
      },
      error: { method: "private/get-order-detail", code: 40101, httpStatus: 401 },
    });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("signature_mismatch");
    expect(c.confidence).toBe("confirmed");
    expect(c.evidence.join("\n")).toMatch(/params\.order_id is the JSON number 6530219466434763521/);
    expect(c.evidence.join("\n")).toMatch(/JavaScript String\(n\) → 6530219466434764000/);
    expect(c.fix.join("\n")).toMatch(/order_id: "6530219466434763521"/);
    expect(check(run.report, "signing").status).toBe("fail");
  });

  it("a price with trailing zeros sent as a number (8000.000 is re-serialised as 8000)", async () => {
    const run = await runDoctor({
      config: configFrom(env),
      order: {
        instrument_name: "BTC_USD",
        side: "BUY",
        type: "LIMIT",
        price: new JsonNumberText("89000.000"),
        quantity: "0.001",
      },
    });
    expect(run.report.causes[0]!.id).toBe("signature_mismatch");
    expect(evidenceText(run.report, "signature_mismatch")).toMatch(/Java BigDecimal plain → 89000/);
    expect(ids(run.report)).not.toContain("order_rejected"); // the values themselves are on the ticks
  });
});
