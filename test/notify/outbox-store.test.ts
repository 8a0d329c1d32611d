/** The outbox's sender states on both dialects: claim (compare-and-set), markUnknown, pending order, retry back to PENDING. */
import { afterEach, describe, expect, it } from "vitest";
import { DIALECTS, type StoreHome, storeHome } from "../store/helpers.js";

let home: StoreHome | undefined;
afterEach(async () => home?.dispose());

describe.each(DIALECTS)("outbox sender states (%s)", (dialect) => {
  it("claims once, records unknown outcomes, lists pending in id order and retries as PENDING", async () => {
    home = await storeHome(dialect);
    const store = await home.open();
    const a = (
      await store.outbox.enqueue({
        dedupKey: "a",
        channel: "telegram",
        payload: 1,
        nextAt: home.clock.now() + 1000,
      })
    ).message;
    const b = (await store.outbox.enqueue({ dedupKey: "b", channel: "telegram", payload: 2 })).message;
    expect((await store.outbox.pending()).map((r) => r.dedupKey)).toEqual(["a", "b"]);
    expect(await store.outbox.claim(a.id)).toBe(true);
    expect(await store.outbox.claim(a.id)).toBe(false);
    expect((await store.outbox.get(a.id))?.state).toBe("SENDING");
    expect((await store.outbox.inState("SENDING")).map((r) => r.id)).toEqual([a.id]);
    await store.outbox.markFailed(a.id, home.clock.now() + 5);
    expect((await store.outbox.get(a.id))?.state).toBe("PENDING");
    expect(await store.outbox.claim(b.id)).toBe(true);
    expect(await store.outbox.markUnknown(b.id)).toBe(true);
    expect(await store.outbox.markUnknown(b.id)).toBe(false);
    expect((await store.outbox.get(b.id))?.state).toBe("UNKNOWN");
    expect((await store.outbox.pending()).map((r) => r.dedupKey)).toEqual(["a"]);
  });
});
