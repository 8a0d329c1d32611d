import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LIMITS, rateLimitFor } from "../../../src/exchange/cryptocom/endpoints.js";
import { MAX_HOLD_MS, RateLimiter } from "../../../src/exchange/cryptocom/rate-limiter.js";

describe("RateLimiter (fake clock)", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("queues calls FIFO, drops none, and never lets more than `limit` through in any window", async () => {
    const limiter = new RateLimiter({
      now: () => Date.now(),
      marginRatio: 0,
      limitFor: () => ({ limit: 3, windowMs: 100 }),
    });
    const granted: { i: number; t: number }[] = [];
    const all = Array.from({ length: 10 }, (_, i) =>
      limiter.acquire("private/user-balance").then(() => granted.push({ i, t: Date.now() })),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all(all);
    expect(granted.map((g) => g.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const g of granted) {
      const inWindow = granted.filter((h) => h.t > g.t - 100 && h.t <= g.t).length;
      expect(inWindow).toBeLessThanOrEqual(3);
    }
    // 10 calls at 3 per 100 ms need at least 300 ms.
    expect(granted[9]!.t - granted[0]!.t).toBeGreaterThanOrEqual(300);
  });

  it("a held token comes back a window after its release (the answer), not after it was taken", async () => {
    // a request that left late (the event loop busy) must not share a server window with the
    // `limit` requests after it: the window counts from the answer
    const limiter = new RateLimiter({
      now: () => Date.now(),
      marginRatio: 0,
      limitFor: () => ({ limit: 3, windowMs: 100 }),
    });
    const t0 = Date.now();
    const releases = await Promise.all([1, 2, 3].map(() => limiter.acquire("m", { held: true })));
    let fourthAt: number | undefined;
    void limiter.acquire("m", { held: true }).then(() => {
      fourthAt = Date.now() - t0;
    });
    await vi.advanceTimersByTimeAsync(90);
    for (const r of releases) r(); // the answers arrive at +90 ms
    releases[0]!(); // a second release changes nothing
    await vi.advanceTimersByTimeAsync(99);
    expect(fourthAt).toBeUndefined(); // an unheld token would have been back at +100
    await vi.advanceTimersByTimeAsync(2);
    expect(fourthAt).toBe(190);
  });

  it("a held token never released comes back after MAX_HOLD_MS: a lost release never stalls a method", async () => {
    const limiter = new RateLimiter({
      now: () => Date.now(),
      marginRatio: 0,
      limitFor: () => ({ limit: 1, windowMs: 100 }),
    });
    await limiter.acquire("m", { held: true }); // never released
    let next = false;
    void limiter.acquire("m").then(() => {
      next = true;
    });
    await vi.advanceTimersByTimeAsync(MAX_HOLD_MS - 1);
    expect(next).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(next).toBe(true);
  });

  it("keeps methods in separate buckets", async () => {
    const limiter = new RateLimiter({
      now: () => Date.now(),
      limitFor: () => ({ limit: 1, windowMs: 1000 }),
    });
    await limiter.acquire("a");
    let b = false;
    void limiter.acquire("b").then(() => {
      b = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(b).toBe(true);
    let a2 = false;
    void limiter.acquire("a").then(() => {
      a2 = true;
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(a2).toBe(false);
    expect(limiter.queued()).toEqual({ a: 1 });
    await vi.advanceTimersByTimeAsync(600);
    expect(a2).toBe(true);
  });

  it("closes a bucket after a 42901 and grows the back-off while 42901s repeat", async () => {
    const limiter = new RateLimiter({
      now: () => Date.now(),
      random: () => 0.5,
      limitFor: () => ({ limit: 100, windowMs: 1000 }),
    });
    expect(limiter.onRateLimited("m")).toBe(1000);
    let done = false;
    void limiter.acquire("m").then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(990);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(20);
    expect(done).toBe(true);
    expect(limiter.onRateLimited("m")).toBe(2000);
    limiter.onSuccess("m");
    expect(limiter.onRateLimited("m")).toBe(1000);
  });

  it("tryAcquire hands the token at once when one is there, never past a queue, and counts the waits", async () => {
    const limiter = new RateLimiter({
      now: () => Date.now(),
      marginRatio: 0,
      limitFor: () => ({ limit: 2, windowMs: 100 }),
    });
    const first = limiter.tryAcquire("m", true);
    expect(first).toBeTypeOf("function");
    expect(limiter.tryAcquire("m")).toBeTypeOf("function");
    expect(limiter.tryAcquire("m")).toBeUndefined(); // both tokens out: the caller must queue
    expect(limiter.waits).toBe(0); // asking is not waiting
    let queued = false;
    void limiter.acquire("m").then(() => {
      queued = true;
    });
    expect(limiter.waits).toBe(1);
    await vi.advanceTimersByTimeAsync(100); // the unheld token is back…
    expect(queued).toBe(true); // …and goes to the call that queued for it
    first!(); // the held one comes back a window after its release
    expect(limiter.tryAcquire("m")).toBeUndefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(limiter.tryAcquire("m")).toBeTypeOf("function");
    expect(limiter.waits).toBe(1);
  });

  it("a disabled limiter hands every token at once and never waits", () => {
    const limiter = new RateLimiter({ enabled: false, limitFor: () => ({ limit: 1, windowMs: 1000 }) });
    for (let i = 0; i < 5; i++) expect(limiter.tryAcquire("m", true)).toBeTypeOf("function");
    expect(limiter.waits).toBe(0);
  });

  it("uses the endpoint table's classes", () => {
    expect(rateLimitFor("private/create-order")).toBe(LIMITS.orderEntry);
    expect(rateLimitFor("private/get-order-history")).toBe(LIMITS.history);
    expect(rateLimitFor("public/get-book")).toBe(LIMITS.public);
  });
});
