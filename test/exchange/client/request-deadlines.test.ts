import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RequestDeadlines } from "../../../src/exchange/cryptocom/request-deadlines.js";

/** An entry that records when it expired (fake clock ms). */
function entry(deadlineIn: number, expired: number[], name: number) {
  return { deadline: performance.now() + deadlineIn, expire: () => expired.push(name) };
}

describe("RequestDeadlines (fake clock)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("expires each entry once at its deadline, in deadline order, on one timer", async () => {
    const d = new RequestDeadlines();
    const expired: number[] = [];
    d.add(entry(300, expired, 3));
    d.add(entry(100, expired, 1)); // earlier than the armed one: re-armed
    d.add(entry(200, expired, 2));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(99);
    expect(expired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(expired).toEqual([1]);
    await vi.advanceTimersByTimeAsync(200);
    expect(expired).toEqual([1, 2, 3]);
    expect(d.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // nothing left: the timer stops
  });

  it("an entry removed before its deadline never expires; the others still do", async () => {
    const d = new RequestDeadlines();
    const expired: number[] = [];
    const first = entry(100, expired, 1);
    d.add(first);
    d.add(entry(150, expired, 2));
    d.delete(first);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(expired).toEqual([2]);
  });

  it("adding an entry with a later deadline arms no second timer", () => {
    const d = new RequestDeadlines();
    for (let i = 0; i < 50; i++) d.add(entry(15_000 + i, [], i));
    expect(vi.getTimerCount()).toBe(1);
    d.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
