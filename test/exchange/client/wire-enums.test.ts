/**
 * Wire enums → closed unions: every status, order type and time in force goes through one table
 * (parsers/enums.ts). Known values and the documented alias parse; an unknown value is a shape
 * error naming the field, never a string passed through. Over loopback: a list with an unknown
 * status fails as an ExchangeError (category unknown, disposition skip), and a placement whose probe
 * finds an order in an unknown state is `unknown` (ambiguous), not `accepted`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCES } from "../../../src/domain/orders.js";
import { CryptoComClient } from "../../../src/exchange/cryptocom/client.js";
import { ExchangeError } from "../../../src/exchange/cryptocom/errors.js";
import {
  WIRE_STATUSES,
  wireOrderType,
  wireSide,
  wireStatus,
  wireTimeInForce,
} from "../../../src/exchange/cryptocom/parsers/enums.js";
import { parseOrder } from "../../../src/exchange/cryptocom/parsers/orders.js";
import { ResponseShapeError } from "../../../src/exchange/cryptocom/parsers/wire.js";
import { json, type RawServer, startRawServer } from "./helpers/raw-server.js";

const wireOrder = (over: Record<string, unknown> = {}) => ({
  order_id: "19848525",
  client_oid: "c1",
  order_type: "LIMIT",
  time_in_force: "GOOD_TILL_CANCEL",
  side: "BUY",
  quantity: "0.0100",
  limit_price: "50000.0",
  cumulative_quantity: "0.0040",
  cumulative_value: "200",
  cumulative_fee: "0",
  status: "ACTIVE",
  instrument_name: "BTC_USD",
  create_time: 1613575617173,
  update_time: 1613575617173,
  ...over,
});

describe("wire tables", () => {
  it("every domain value parses to itself", () => {
    for (const s of ORDER_STATUSES) expect(wireStatus(s, "status")).toBe(s);
    for (const t of ORDER_TYPES) expect(wireOrderType(t, "order_type")).toBe(t);
    for (const t of TIME_IN_FORCES) expect(wireTimeInForce(t, "time_in_force")).toBe(t);
    expect(wireSide("sell", "side")).toBe("SELL");
  });

  it("the alias CANCELLED is CANCELED; absent time in force is undefined", () => {
    expect(wireStatus("CANCELLED", "status")).toBe("CANCELED");
    expect(parseOrder(wireOrder({ status: "CANCELLED" })).status).toBe("CANCELED");
    expect(wireTimeInForce(undefined, "time_in_force")).toBeUndefined();
    expect(wireTimeInForce("", "time_in_force")).toBeUndefined();
    // the table holds the domain's statuses and the alias, nothing else
    expect([...WIRE_STATUSES.keys()].sort()).toEqual([...ORDER_STATUSES, "CANCELLED"].sort());
  });

  it.each([
    ["status", "PARTIALLY_FILLED"],
    ["status", "active"],
    ["status", "__proto__"],
    ["status", 3],
    ["status", undefined],
    ["order_type", "ICEBERG"],
    ["order_type", "constructor"],
    ["time_in_force", "GOOD_TILL_DATE"],
    ["side", "SIDEWAYS"],
  ])("an unknown %s %j is a shape error naming the field and the value", (field, value) => {
    let err: unknown;
    try {
      parseOrder(wireOrder({ [field]: value }), "result.data[0]");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResponseShapeError);
    const shape = err as ResponseShapeError;
    expect(shape.path).toBe(`result.data[0].${field}`);
    expect(shape.message).toContain(JSON.stringify(value) ?? "undefined");
    expect(shape.message).toMatch(/known: /);
  });
});

describe("an unknown status from the exchange (raw server over loopback)", () => {
  const servers: RawServer[] = [];
  const clients: CryptoComClient[] = [];
  afterEach(async () => {
    while (clients.length) await clients.pop()!.close();
    while (servers.length) await servers.pop()!.close();
  });

  /** Answers create-order by dropping the connection (ambiguous) and every read with `order`. */
  async function exchange(order: Record<string, unknown>): Promise<CryptoComClient> {
    const server = await startRawServer((req, res) => {
      if (req.url.includes("public/get-instruments")) {
        json(res, 200, {
          id: 1,
          method: "public/get-instruments",
          code: 0,
          result: {
            data: [
              {
                symbol: "BTC_USD",
                inst_type: "CCY_PAIR",
                base_ccy: "BTC",
                quote_ccy: "USD",
                quote_decimals: 2,
                quantity_decimals: 5,
                price_tick_size: "0.01",
                qty_tick_size: "0.00001",
                tradable: true,
              },
            ],
          },
        });
        return;
      }
      const body = JSON.parse(req.body.toString("utf8")) as { id: number; method: string };
      if (body.method === "private/create-order") {
        res.socket?.destroy();
        return;
      }
      const result = body.method === "private/get-order-detail" ? order : { data: [order] };
      json(res, 200, { id: body.id, method: body.method, code: 0, result });
    });
    servers.push(server);
    const client = new CryptoComClient({
      baseUrl: server.url,
      apiKey: "wire-key-0001",
      apiSecret: "wire-secret-0001",
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      probeDelaysMs: [0],
    });
    clients.push(client);
    return client;
  }

  it("getOpenOrders fails as ExchangeError category unknown, disposition skip, naming the field", async () => {
    const client = await exchange(wireOrder({ status: "PARTIALLY_FILLED" }));
    const err = await client.getOpenOrders().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExchangeError);
    const ex = err as ExchangeError;
    expect([ex.category, ex.disposition, ex.errorCode]).toEqual(["unknown", "skip", "exchange.unknown"]);
    expect(ex.message).toContain('result.data[0].status: not a known order status: "PARTIALLY_FILLED"');
  });

  it("a lost create whose probe finds an order in an unknown state is `unknown`, not `accepted`", async () => {
    const client = await exchange(wireOrder({ client_oid: "x", status: "PARTIALLY_FILLED" }));
    const out = await client.placeOrder({
      intentId: "wire-enum-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "LIMIT",
      quantity: "0.01",
      price: "50000.00",
    });
    expect(out.status).toBe("unknown");
    if (out.status !== "unknown") return;
    expect(out.error.ambiguous).toBe(true);
    expect(out.probeError.category).toBe("unknown");
    expect(out.probeError.message).toContain("PARTIALLY_FILLED");
  });
});
