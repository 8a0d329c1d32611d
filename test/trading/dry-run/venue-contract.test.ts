/**
 * The venue contract the trader relies on (`Venue` = ExchangeClient + OrderUpdateSource), run
 * identically against both venues on the emulator over loopback: the live client with its user
 * stream, and the dry-run broker (whose market data is the same emulator). Same requests, same
 * outcome shapes, same update events:
 * a market BUY by notional is accepted and seen FILLED through the updates; re-placing the same
 * intent is the same order (probed); an OCO is accepted, both legs are seen working, `cancelOco`
 * cancels both and both are seen CANCELED; a SELL beyond the balance is rejected with 306
 * (insufficient_funds); an unknown cancel is not_found.
 */
import { afterAll, describe, expect, it } from "vitest";
import { UserStream } from "../../../src/exchange/cryptocom/ws/user-stream.js";
import type { ExchangeClient, OrderUpdateSource } from "../../../src/exchange/types.js";
import { DryRunBroker } from "../../../src/trading/dry-run/broker.js";
import { ManualTime } from "../../../src/util/clock.js";
import { floorToStep } from "../../../src/util/decimal.js";
import { DEMO, useEmulator } from "../../exchange/client/helpers/emulator.js";
import { recordUpdates, until } from "./helpers.js";

const fx = useEmulator({ rate_limits: false });
const S = "BTC_USD";
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

interface VenueUnderTest {
  client: ExchangeClient;
  updates: OrderUpdateSource;
}

const VENUES: [string, () => Promise<VenueUnderTest>][] = [
  [
    "live: CryptoComClient + UserStream",
    async () => {
      const client = fx.client();
      const stream = new UserStream({ url: fx.emu.wsUserUrl, ...DEMO, rest: client, warmupMs: 50 });
      cleanups.push(() => stream.stop());
      let ready = false;
      stream.on("ready", () => {
        ready = true;
      });
      stream.start();
      await until(() => ready, "user stream ready");
      return { client, updates: stream };
    },
  ],
  [
    "dry run: DryRunBroker",
    async () => {
      const broker = new DryRunBroker({ market: fx.client(), time: new ManualTime() });
      cleanups.push(() => broker.close());
      await broker.start();
      return { client: broker, updates: broker.updates };
    },
  ],
];

describe.each(VENUES)("venue contract — %s", (name, make) => {
  const id = (s: string) => `${name.split(":")[0]}-${s}`;

  it("market BUY by notional → FILLED; OCO → both legs working → cancelOco → both CANCELED", async () => {
    const { client, updates } = await make();
    const log = recordUpdates(updates);
    expect(updates.connected).toBe(true);
    const inst = (await client.getInstrument(S))!;

    const buyReq = { intentId: id("e:1"), symbol: S, side: "BUY", type: "MARKET", notional: "500" } as const;
    const buy = await client.placeOrder(buyReq);
    expect(buy).toMatchObject({
      status: "accepted",
      clientOid: client.clientOidFor(id("e:1")),
      probed: false,
    });
    if (buy.status !== "accepted") return;
    await until(() => log.last(buy.clientOid)?.status === "FILLED", "entry FILLED");
    expect(log.orders.filter(([o]) => o.orderId === buy.orderId).every(([, s]) => s === "stream")).toBe(true);
    expect(log.fills.some((f) => f.orderId === buy.orderId)).toBe(true);
    const filled = (await client.getOrder({ orderId: buy.orderId }))!;
    expect(filled).toMatchObject({ status: "FILLED", type: "MARKET", side: "BUY", clientOid: buy.clientOid });
    expect(filled.filledValue.lte(500) && filled.filledValue.gt(499)).toBe(true);

    const again = await client.placeOrder(buyReq);
    expect(again).toMatchObject({ status: "accepted", orderId: buy.orderId, probed: true });

    const qty = floorToStep(filled.filledQuantity.sub(filled.fee), inst.qtyTickSize);
    const px = filled.avgPrice!;
    const oco = await client.placeOco({
      intentId: id("p:1"),
      symbol: S,
      legs: [
        {
          type: "LIMIT",
          side: "SELL",
          quantity: qty,
          price: floorToStep(px.mul("1.04"), inst.priceTickSize),
        },
        {
          type: "STOP_LOSS",
          side: "SELL",
          quantity: qty,
          refPrice: floorToStep(px.mul("0.97"), inst.priceTickSize),
        },
      ],
    });
    expect(oco).toMatchObject({ status: "accepted", probed: false });
    if (oco.status !== "accepted") return;
    expect(oco.clientOids).toEqual([
      client.clientOidFor(`${id("p:1")}/leg0`),
      client.clientOidFor(`${id("p:1")}/leg1`),
    ]);
    const [tp, sl] = oco.clientOids;
    await until(
      () => log.last(tp)?.status === "ACTIVE" && log.last(sl)?.status === "PENDING",
      "legs working",
    );
    const open = await client.getOpenTriggerOrders(S);
    expect(
      open
        .filter((o) => o.listId === oco.listId)
        .map((o) => o.clientOid)
        .sort(),
    ).toEqual([tp, sl].sort());

    await client.cancelOco(oco.listId);
    await until(
      () => log.last(tp)?.status === "CANCELED" && log.last(sl)?.status === "CANCELED",
      "both CANCELED",
    );
    expect(log.triggers.filter(([o]) => o.listId === oco.listId).every(([, s]) => s === "stream")).toBe(true);
    expect((await client.getOpenTriggerOrders(S)).filter((o) => o.listId === oco.listId)).toEqual([]);
  });

  it("a SELL beyond the balance is rejected with 306 by code and category; an unknown cancel is not_found", async () => {
    const { client } = await make();
    const out = await client.placeOrder({
      intentId: id("x:1"),
      symbol: S,
      side: "SELL",
      type: "MARKET",
      quantity: "1000",
    });
    expect(out).toMatchObject({
      status: "rejected",
      error: { code: 306, category: "insufficient_funds", ambiguous: false },
      orderId: expect.any(String),
    });
    await expect(client.cancelOrder({ orderId: "42" })).rejects.toMatchObject({ category: "not_found" });
  });
});
