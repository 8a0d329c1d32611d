/**
 * The webhooks' deferred last-use times (src/api/webhook-usage.ts): written in one transaction once
 * the webhooks are quiet, or at the cap during a steady stream; never back in time; a failed write
 * is kept for the next one and never thrown; `close` writes what is pending.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WebhookUsage } from "../../../src/api/webhook-usage.js";
import type { Store } from "../../../src/store/types.js";
import { type ApiTestDeps, apiTestDeps } from "../../helpers/api-deps.js";

let d: ApiTestDeps | undefined;
afterEach(async () => {
  await d?.dispose();
  d = undefined;
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function hooks(): Promise<ApiTestDeps> {
  const x = await apiTestDeps();
  for (const name of ["a", "b"]) await x.store.webhooks.create({ name, secretHash: "0".repeat(64) });
  return x;
}

const lastUsed = async (store: Store, name: string) => (await store.webhooks.get(name))?.lastUsedAt;

describe("webhook last-use times, written off the signal path", () => {
  it("waits for a quiet moment, then writes every pending use in one go", async () => {
    d = await hooks();
    const u = new WebhookUsage(d.store, d.deps.logger, 60, 10_000);
    u.used("a", 1_000);
    await pause(30);
    u.used("b", 2_000); // the quiet period starts again
    u.used("a", 900); // older: kept at 1000
    await pause(40);
    expect(await lastUsed(d.store, "a")).toBeUndefined(); // not quiet for 60 ms yet
    expect(u.pendingUse("a")).toBe(1_000);
    await pause(60);
    expect([await lastUsed(d.store, "a"), await lastUsed(d.store, "b")]).toEqual([1_000, 2_000]);
    expect(u.pendingUse("a")).toBeUndefined();
    await u.close();
  });

  it("a steady stream is written at the cap", async () => {
    d = await hooks();
    const u = new WebhookUsage(d.store, d.deps.logger, 50, 120);
    for (let i = 1; i <= 9; i++) {
      u.used("a", i);
      await pause(20);
    }
    // never quiet for 50 ms, yet written (at the 120 ms cap) before the stream ended
    expect(await lastUsed(d.store, "a")).toBeGreaterThanOrEqual(1);
    await u.close();
    expect(await lastUsed(d.store, "a")).toBe(9);
  });

  it("a failed write is kept and retried, never thrown; close writes the rest", async () => {
    d = await hooks();
    let fail = true;
    const store = new Proxy(d.store, {
      get(t, p) {
        if (p === "transaction" && fail) return () => Promise.reject(new Error("database is locked"));
        return Reflect.get(t, p, t);
      },
    });
    const u = new WebhookUsage(store, d.deps.logger, 10_000, 60_000);
    u.used("a", 5_000);
    await expect(u.flush()).resolves.toBeUndefined();
    expect(u.pendingUse("a")).toBe(5_000);
    fail = false;
    await u.close();
    expect(await lastUsed(d.store, "a")).toBe(5_000);
  });
});
