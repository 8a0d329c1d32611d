/**
 * UserStream is an `OrderUpdateSource` (src/exchange/types.ts): the trader takes the live stream
 * and the dry-run broker through that one interface. Type level: the assignment below compiles
 * (`tsc --noEmit` covers test/), and listeners typed by the interface get typed payloads. At run
 * time, over loopback: an order placed through the client on the emulator arrives as an 'order'
 * event through the interface, and `connected` follows authentication (and is false once stopped).
 */
import { afterAll, describe, expect, expectTypeOf, it } from "vitest";
import { UserStream } from "../../src/exchange/cryptocom/ws/user-stream.js";
import type { Order, OrderUpdateSource, UpdateSource, UserStreamEvents } from "../../src/exchange/types.js";
import { DEMO, useEmulator } from "./client/helpers/emulator.js";

const fx = useEmulator({ rate_limits: false });
const stops: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (stops.length) await stops.pop()!();
});

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("UserStream as an OrderUpdateSource", () => {
  it("is assignable to the interface, with the interface's listener types", () => {
    const stream = new UserStream({ url: "ws://127.0.0.1:9/unused", ...DEMO });
    const s: OrderUpdateSource = stream;
    expectTypeOf(stream).toMatchTypeOf<OrderUpdateSource>();
    expectTypeOf<Parameters<UserStreamEvents["order"]>>().toEqualTypeOf<[Order, UpdateSource]>();
    const listener: UserStreamEvents["order"] = () => undefined;
    expect(s.on("order", listener)).toBe(stream);
    expect(s.off("order", listener)).toBe(stream);
    expect(s.connected).toBe(false);
  });

  it("delivers an order placed through the client as 'order' events through the interface", async () => {
    const rest = fx.client();
    const stream = new UserStream({ url: fx.emu.wsUserUrl, ...DEMO, rest, warmupMs: 50 });
    stops.push(() => stream.stop());
    const src: OrderUpdateSource = stream;
    const seen: [Order, UpdateSource][] = [];
    let ready = 0;
    src.on("order", (o, from) => seen.push([o, from]));
    src.on("ready", () => ready++);
    expect(src.connected).toBe(false);
    stream.start();
    await until(() => ready === 1, "ready");
    expect(src.connected).toBe(true);
    const out = await rest.placeOrder({
      intentId: "us-1",
      symbol: "BTC_USD",
      side: "BUY",
      type: "MARKET",
      notional: "25",
    });
    expect(out.status).toBe("accepted");
    if (out.status !== "accepted") return;
    await until(() => seen.some(([o]) => o.orderId === out.orderId && o.status === "FILLED"), "FILLED");
    const filled = seen.find(([o]) => o.status === "FILLED")!;
    expect(filled[1]).toBe("stream");
    expect(filled[0].clientOid).toBe(rest.clientOidFor("us-1"));
    expect(filled[0].filledQuantity.gt(0)).toBe(true);
    // stopped: not connected any more (the trader polls again; the dashboard says so)
    await stream.stop();
    expect(src.connected).toBe(false);
  });
});
