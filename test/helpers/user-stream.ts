/**
 * The live venue's user stream for the trading harness: a real UserStream over WebSocket to the
 * harness's emulator (demo key, the harness's clock for its auth nonce), started and ready.
 */
import { UserStream } from "../../src/exchange/cryptocom/ws/user-stream.js";
import type { TradingHarness } from "./trading.js";

/** Polls `read` with short real waits (loopback frames arrive on their own schedule) until it gives a value. */
export async function untilValue<T>(
  what: string,
  read: () => Promise<T | undefined>,
  ms = 5_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A started UserStream on `h`'s emulator, once it is ready; stop it when done. */
export async function readyUserStream(h: TradingHarness): Promise<UserStream> {
  const stream = new UserStream({
    ...{ url: h.emu.wsUserUrl, apiKey: "demo-key", apiSecret: "demo-secret" },
    ...{ rest: h.client, now: () => h.time.now(), warmupMs: 50 },
  });
  let ready = false;
  stream.on("ready", () => {
    ready = true;
  });
  stream.start();
  try {
    await untilValue("the user stream ready", async () => (ready ? true : undefined));
  } catch (e) {
    await stream.stop();
    throw e;
  }
  return stream;
}
