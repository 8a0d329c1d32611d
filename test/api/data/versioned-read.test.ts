/**
 * A store read kept in memory (src/api/versioned-read.ts), on a real SQLite store: answered from
 * memory until this process commits a write to its tables (then the next caller reads) or it is
 * older than the caller's age; a write committed while a read runs makes the next caller read
 * again; concurrent callers share one read; a failed read is not kept.
 */
import { afterEach, describe, expect, it } from "vitest";
import { VersionedRead } from "../../../src/api/versioned-read.js";
import type { WatchlistItem } from "../../../src/store/types.js";
import { type ApiTestDeps, apiTestDeps } from "../../helpers/api-deps.js";

let d: ApiTestDeps | undefined;
afterEach(async () => {
  await d?.dispose();
  d = undefined;
});

const symbols = (items: WatchlistItem[]) => items.map((i) => i.symbol);

describe("VersionedRead", () => {
  it("answers from memory until a committed write to its tables, or its age", async () => {
    d = await apiTestDeps();
    const { store, time } = d;
    const r = new VersionedRead(store, time, ["watchlist"], () => store.watchlist.list());
    await store.watchlist.upsert({ symbol: "BTC_USD" });
    expect(r.current(1000)).toBeUndefined();
    expect(symbols(await r.get(1000))).toEqual(["BTC_USD"]);
    expect(symbols(r.current(1000)!.value)).toEqual(["BTC_USD"]);
    // a write to another table: still current
    await store.settings.set("kill_switch", true);
    await r.get(1000);
    expect(r.reads).toBe(1);
    // a write to its table: read again, in the next answer
    await store.watchlist.upsert({ symbol: "ETH_USD" });
    expect(r.current(1000)).toBeUndefined();
    expect(symbols(await r.get(1000))).toEqual(["BTC_USD", "ETH_USD"]);
    expect(r.reads).toBe(2);
    // the caller's age
    await time.advance(999);
    await r.get(1000);
    expect(r.reads).toBe(2);
    await time.advance(1);
    expect(r.current(1000)).toBeUndefined();
    await r.get(1000);
    expect(r.reads).toBe(3);
    expect(r.current(5000)).toBeDefined();
  });

  it("a write committed while the read runs: the next caller reads again", async () => {
    d = await apiTestDeps();
    const { store, time } = d;
    let first = true;
    const r = new VersionedRead(store, time, ["watchlist"], async () => {
      const items = await store.watchlist.list();
      if (first) {
        first = false;
        await store.watchlist.upsert({ symbol: "SOL_USD" }); // lands after this read's rows
      }
      return items;
    });
    expect(symbols(await r.get(1000))).toEqual([]);
    expect(r.current(1000)).toBeUndefined();
    expect(symbols(await r.get(1000))).toEqual(["SOL_USD"]);
  });

  it("concurrent callers share one read; a failed read fails them and is not kept", async () => {
    d = await apiTestDeps();
    const { store, time } = d;
    let fail = true;
    const r = new VersionedRead(store, time, ["watchlist"], async () => {
      await Promise.resolve();
      if (fail) throw new Error("disk gone");
      return store.watchlist.list();
    });
    const failed = await Promise.allSettled([r.get(1000), r.get(1000), r.get(1000)]);
    expect(failed.map((x) => x.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(r.reads).toBe(1);
    fail = false;
    await Promise.all([r.get(1000), r.get(1000)]);
    expect(r.reads).toBe(2);
    expect(r.current(1000)).toBeDefined();
  });
});
