/**
 * store.webhooks (migration 002) on both dialects: create once per name, put replaces the hash,
 * touch records the use (never back), remove; the secret itself is never stored (only what the caller hashed).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION } from "../../../src/store/migrations/index.js";
import type { Store } from "../../../src/store/types.js";
import { DIALECTS, type StoreHome, storeHome } from "../../store/helpers.js";

describe.each(DIALECTS)("store.webhooks on %s", (dialect) => {
  let home: StoreHome;
  let store: Store;
  beforeAll(async () => {
    home = await storeHome(dialect);
    store = await home.open();
  });
  afterAll(async () => {
    await home.dispose();
  });

  it("is migration 2 and keeps the first secret hash of a name", async () => {
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    const t0 = home.clock.now();
    const a = await store.webhooks.create({ name: "tv", secretHash: "a".repeat(64) });
    expect(a).toEqual({
      created: true,
      webhook: { name: "tv", secretHash: "a".repeat(64), createdAt: t0, lastUsedAt: undefined },
    });
    home.clock.advance(1000);
    const b = await store.webhooks.create({ name: "tv", secretHash: "b".repeat(64) });
    expect(b.created).toBe(false);
    expect(b.webhook.secretHash).toBe("a".repeat(64));
    expect(b.webhook.createdAt).toBe(t0);

    expect(await store.webhooks.touch("tv")).toBe(true);
    expect(await store.webhooks.touch("nope")).toBe(false);
    expect((await store.webhooks.get("tv"))?.lastUsedAt).toBe(t0 + 1000);
    // a use written late (the API's deferred uses) never moves the time back
    expect(await store.webhooks.touch("tv", t0 + 500)).toBe(true);
    expect((await store.webhooks.get("tv"))?.lastUsedAt).toBe(t0 + 1000);

    const put = await store.webhooks.put({ name: "tv", secretHash: "c".repeat(64) });
    expect(put).toEqual({ name: "tv", secretHash: "c".repeat(64), createdAt: t0, lastUsedAt: t0 + 1000 });
    await store.webhooks.put({ name: "default", secretHash: "d".repeat(64) });
    expect((await store.webhooks.list()).map((w) => w.name)).toEqual(["default", "tv"]);

    expect(await store.webhooks.remove("tv")).toBe(true);
    expect(await store.webhooks.remove("tv")).toBe(false);
    expect(await store.webhooks.get("tv")).toBeUndefined();
  });

  it("survives a reopen (the migration runs once)", async () => {
    await store.webhooks.create({ name: "keep", secretHash: "e".repeat(64) });
    const again = await home.open();
    expect(again.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect((await again.webhooks.get("keep"))?.secretHash).toBe("e".repeat(64));
  });
});
