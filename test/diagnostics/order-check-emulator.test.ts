/**
 * `atp doctor --order` against the emulator, and the order proved by sending it: for each case of
 * issue 8 §6, the doctor does not say OK where the emulator rejects, the emulator really rejects the
 * order the doctor flags, and it accepts every order the doctor suggests (taken from the report's
 * `atp doctor --order '…'` lines). The doctor's runs place no order (its call budget is asserted by
 * runDoctor); the orders are sent by the test itself.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../src/diagnostics/index.js";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { privateCall } from "../emulator/helpers.js";
import { runCli } from "../helpers/cli.js";
import { check, configFrom, evidenceText, runDoctor } from "./helpers.js";

let emu: EmulatorHandle;
let n = 0;
let key: string;
let secret: string;
let env: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ market_tick_ms: 0, keys: [], rate_limits: false });
});
afterAll(async () => {
  await emu?.close();
});

beforeEach(() => {
  n += 1;
  key = `oc${n}Aa1Bb2Cc3Dd4Ee5Ff6Gg7`;
  secret = `os${n}Hh8Ii9Jj0Kk1Ll2Mm3Nn4Oo5Pp6`;
  emu.admin.setKeys([
    { api_key: key, secret, account: "main", permissions: ["read", "trade"], ip_whitelist: ["127.0.0.1"] },
  ]);
  env = {
    EXCHANGE_CUSTOM_API_KEY: key,
    EXCHANGE_CUSTOM_API_SECRET: secret,
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
  };
});

beforeEach(async () => {
  // orders accepted by earlier tests may rest on the book and reserve balance: none may remain
  const r = await privateCall(emu.baseUrl, "private/cancel-all-orders", {}, { apiKey: key, secret });
  expect(r.body.code).toBe(0);
  emu.admin.setBalances("main", { USD: "10000", BTC: "0.25", ETH: "2" });
  emu.admin.setPrice("BTC_USD", "89936");
});

type Order = Record<string, unknown>;
let oid = 0;

/** Sends the order to the emulator as a user would (trigger types on the advanced endpoint); its code. */
async function send(order: Order): Promise<number> {
  const trigger = /^(STOP|TAKE)/.test(String(order.type ?? ""));
  const method = trigger ? "private/advanced/create-order" : "private/create-order";
  const r = await privateCall(emu.baseUrl, method, { ...order, client_oid: `oc-${++oid}` } as never, {
    apiKey: key,
    secret,
  });
  return r.body.code;
}

/** Every order the report suggests checking: the JSON of each `atp doctor --order '…'` it prints. */
function suggested(r: DoctorReport): Order[] {
  const text = [...r.causes.flatMap((c) => c.fix), ...r.checks.map((c) => c.detail)].join("\n");
  return [...text.matchAll(/--order '(\{[^']*\})'/g)].map((m) => JSON.parse(m[1]!) as Order);
}

/** Runs the doctor on `order`; it must not say OK, and placed nothing. */
async function flagged(order: Order): Promise<{ report: DoctorReport; text: string }> {
  const before = emu.admin.orders().length;
  const run = await runDoctor({ config: configFrom(env), order });
  expect(emu.admin.orders().length).toBe(before);
  const r = run.report;
  expect(r.verdict).toBe("problem");
  expect(r.causes[0]?.id).toBe("order_rejected");
  expect(check(r, "order").status).toBe("fail");
  expect(run.outputs.human).not.toMatch(/OK, no problem found/);
  return { report: r, text: evidenceText(r, "order_rejected") };
}

/** Every suggested order is accepted by the emulator (code 0). */
async function suggestionsAccepted(r: DoctorReport): Promise<Order[]> {
  const list = suggested(r);
  for (const s of list) expect(await send(s), JSON.stringify(s)).toBe(0);
  return list;
}

const BTC = { instrument_name: "BTC_USD" };

describe("below the minimum order value (415), which get-instruments does not publish", () => {
  it("a MARKET BUY of notional 0.50: not OK, says the minimum is not published, suggests 1.00", async () => {
    const order = { ...BTC, side: "BUY", type: "MARKET", notional: "0.50" };
    const { report, text } = await flagged(order);
    expect(report.causes[0]!.confidence).toBe("likely");
    expect(text).toMatch(/the exchange does not publish a minimum order value for BTC_USD/);
    expect(text).toMatch(/orders below about 1 USD are rejected with 415/);
    expect(text).toMatch(/order value 0\.5 USD/);
    expect(await send(order)).toBe(415);
    const s = await suggestionsAccepted(report);
    expect(s).toEqual([{ ...order, notional: "1.00" }]);
  });

  it.each(["BUY", "SELL"])("a MARKET %s of quantity 0.00001 (0.90 USD at the mark)", async (side) => {
    const order = { ...BTC, side, type: "MARKET", quantity: "0.00001" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(/order value 0\.89936 USD: the exchange does not publish a minimum/);
    expect(await send(order)).toBe(415);
    const s = await suggestionsAccepted(report);
    expect(s).toEqual([{ ...order, quantity: "0.00002" }]);
  });

  it("a LIMIT at price 1 × 0.001: below the minimum and far from the market; no order at that price fits", async () => {
    const order = { ...BTC, side: "BUY", type: "LIMIT", price: "1", quantity: "0.001" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(/order value 0\.001 USD: the exchange does not publish a minimum/);
    expect(text).toMatch(/limit price 1 is 100(\.0)?% below the market 89936\.00/);
    expect(text).toMatch(/315 FAR_AWAY_LIMIT_PRICE/);
    expect(text).toMatch(/within about ±50% \(44968\.00\.\.134904\.00\)/);
    expect(await send(order)).toBe(415);
    // the doctor's band is the emulator's: a big enough order at price 1 is still refused, with 315
    expect(await send({ ...order, quantity: "2" })).toBe(315);
    expect(suggested(report)).toEqual([]);
  });

  it("a LIMIT near the market but worth 0.89 USD: the smallest quantity at that price", async () => {
    const order = { ...BTC, side: "BUY", type: "LIMIT", price: "89000.00", quantity: "0.00001" };
    const { report } = await flagged(order);
    expect(await send(order)).toBe(415);
    expect(await suggestionsAccepted(report)).toEqual([{ ...order, quantity: "0.00002" }]);
  });

  it("an order worth more than about 1 USD passes, and the pass says the minimum is assumed", async () => {
    const order = { ...BTC, side: "BUY", type: "MARKET", notional: "5.00" };
    const run = await runDoctor({ config: configFrom(env), order });
    expect(run.report.verdict).toBe("ok");
    expect(check(run.report, "order").detail).toMatch(
      /assumption: minimum order value: the exchange does not publish a minimum order value for BTC_USD; orders below about 1 USD are rejected with 415/,
    );
    expect(await send(order)).toBe(0);
  });
});

describe("advice satisfies the rules it checks", () => {
  it('"quantity":"1e-8" is not advised as 0.00000001 (off the 0.00001 step); the suggestion is accepted', async () => {
    const order = { ...BTC, side: "SELL", type: "MARKET", quantity: "1e-8" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(/quantity: 1e-8 uses exponent notation → exchange code 40004/);
    expect(text).not.toMatch(/corrected: 0\.00000001|send 0\.00000001|quantity 0\.00000001/i);
    expect(await send(order)).toBe(40004);
    expect(await send({ ...order, quantity: "0.00000001" })).toBe(213);
    expect(await suggestionsAccepted(report)).toEqual([{ ...order, quantity: "0.00002" }]);
  });
});

describe("each broken field gets its own explanation", () => {
  it('"quantity":"-1": must be positive (40004), not "increase the amount"', async () => {
    const order = { ...BTC, side: "SELL", type: "MARKET", quantity: "-1" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(/"quantity" must be a positive number of BTC \(at least 0\.00001\); -1 is not/);
    expect(text).not.toMatch(/Increase the amount/);
    expect(suggested(report)).toEqual([]);
    expect(await send(order)).toBe(40004);
  });

  it.each([
    [
      "NaN",
      { ...BTC, side: "SELL", type: "MARKET", quantity: "NaN" },
      /"quantity" must be a decimal string like "0\.001", got "NaN"/,
      40004,
    ],
    [
      "a LIMIT without a price",
      { ...BTC, side: "BUY", type: "LIMIT", quantity: "0.001" },
      /a LIMIT order needs "price" \(its limit price/,
      40004,
    ],
    [
      "type FOO",
      { ...BTC, side: "BUY", type: "FOO", quantity: "0.001" },
      /the order's "type" must be one of LIMIT, MARKET, STOP_LOSS, STOP_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT, got "FOO"/,
      218,
    ],
    [
      "a STOP_LOSS without ref_price",
      { ...BTC, side: "SELL", type: "STOP_LOSS", quantity: "0.001" },
      /a STOP_LOSS order needs "ref_price" \(the trigger price/,
      40004,
    ],
    [
      "an instrument_name array",
      { instrument_name: ["BTC_USD"], side: "SELL", type: "MARKET", quantity: "0.001" },
      /"instrument_name" must be a string like "BTC_USD", got an array/,
      40004,
    ],
  ] as const)(
    "%s: a field-level message (the order check, and exit 2 from the CLI)",
    async (_name, order, message, code) => {
      const run = await runDoctor({ config: configFrom(env), order: order as never });
      expect(run.report.verdict).toBe("problem");
      const c = check(run.report, "order");
      expect(c.status).toBe("fail");
      expect(c.detail).toMatch(message);
      expect(run.outputs.human).not.toMatch(/Increase the amount|is not a function/);
      expect(await send(order)).toBe(code);
    },
  );

  it("the CLI answers a malformed --order with exit 2 and the field, never a TypeError", async () => {
    const r = await runCli(
      ["doctor", "--order", '{"instrument_name":["BTC_USD"],"side":"SELL","quantity":"0.001"}'],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--order: "instrument_name" must be a string like "BTC_USD", got an array/);
    expect(r.stderr).not.toMatch(/is not a function|TypeError/);
  });
});

describe("an order given only by its amount", () => {
  it.each([
    [
      "SELL",
      /amount 10\.00 USD at 89927\.01 is 0\.000111201\d* BTC, floored to the 0\.00001 tick: 0\.00011; SELL MARKET BTC_USD quantity 0\.00011 passes/,
      { quantity: "0.00011" },
    ],
    [
      "BUY",
      /amount 10\.00 USD: a MARKET BUY spends it as notional 10\.00; BUY MARKET BTC_USD notional 10\.00 passes/,
      { notional: "10.00" },
    ],
  ])(
    "%s: the pass shows the sizing and the order checked, which the emulator accepts",
    async (side, detail, sized) => {
      const run = await runDoctor({ config: configFrom(env), order: { ...BTC, side, amount: "10.00" } });
      expect(run.report.verdict).toBe("ok");
      expect(check(run.report, "order").detail).toMatch(detail);
      expect(await send({ ...BTC, side, type: "MARKET", ...sized })).toBe(0);
    },
  );
});

describe("after a 306 the advice fits the balance, or says no order does", () => {
  it("0.00041234 BTC to sell with 0.0003 available: not 'atp would send 0.00041', but the 0.0003 the balance covers", async () => {
    emu.admin.setBalances("main", { USD: "10000", BTC: "0.0003" });
    const order = { ...BTC, side: "SELL", type: "MARKET", quantity: "0.00041234" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(/available BTC: 0\.0003, the order needs 0\.00041/);
    expect(text).not.toMatch(/atp would send instead/);
    expect(await send({ ...order, quantity: "0.00041" })).toBe(306); // the tick-corrected order: no
    expect(await suggestionsAccepted(report)).toEqual([{ ...order, quantity: "0.00030" }]);
  });

  it("a BUY the USD balance cannot cover: the largest LIMIT BUY it covers", async () => {
    emu.admin.setBalances("main", { USD: "50", BTC: "0" });
    const order = { ...BTC, side: "BUY", type: "LIMIT", price: "89000.00", quantity: "0.001" };
    const { report } = await flagged(order);
    expect(await send(order)).toBe(306);
    expect(await suggestionsAccepted(report)).toEqual([{ ...order, quantity: "0.00056" }]);
  });

  it("0.00001 BTC available (0.90 USD): no order fits, and none is suggested", async () => {
    emu.admin.setBalances("main", { USD: "10000", BTC: "0.00001" });
    const order = { ...BTC, side: "SELL", type: "MARKET", quantity: "0.0001" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(
      /No order fits: the available 0\.00001 BTC covers no BTC_USD order that passes the rules/,
    );
    expect(suggested(report)).toEqual([]);
    expect(await send({ ...order, quantity: "0.00001" })).toBe(415); // all the balance: below the minimum
    expect(await send(order)).toBe(306);
  });

  it("a 0.50 USD BUY with 1.50 USD available: the smallest order (1.00) is suggested and fits", async () => {
    emu.admin.setBalances("main", { USD: "1.50", BTC: "0" });
    const order = { ...BTC, side: "BUY", type: "MARKET", notional: "0.50" };
    const { report } = await flagged(order);
    expect(await suggestionsAccepted(report)).toEqual([{ ...order, notional: "1.00" }]);
  });

  it("a 0.50 USD BUY with 0.80 USD available: the smallest order does not fit, and the report says so", async () => {
    emu.admin.setBalances("main", { USD: "0.80", BTC: "0" });
    const order = { ...BTC, side: "BUY", type: "MARKET", notional: "0.50" };
    const { text, report } = await flagged(order);
    expect(text).toMatch(
      /No order fits: the smallest BTC_USD order that passes the rules \(BUY MARKET BTC_USD notional 1\.00\) needs 1 USD, and 0\.8 is available/,
    );
    expect(suggested(report)).toEqual([]);
    expect(await send({ ...order, notional: "1.00" })).toBe(306);
  });
});
