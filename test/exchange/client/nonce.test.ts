import { describe, expect, it } from "vitest";
import { NonceSource } from "../../../src/exchange/cryptocom/nonce.js";

describe("NonceSource", () => {
  it("is strictly increasing even when the wall clock steps back", () => {
    let wall = 1_700_000_000_000;
    const n = new NonceSource(() => wall);
    const a = n.next();
    expect(a).toBe(wall);
    wall -= 3_600_000; // NTP steps the clock back one hour
    const b = n.next();
    const c = n.next();
    expect(b).toBe(a + 1);
    expect(c).toBe(a + 2);
    wall += 3_600_000 + 10;
    expect(n.next()).toBe(a + 10);
  });

  it("never repeats within the same millisecond", () => {
    const n = new NonceSource(() => 1_000);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(n.next());
    expect(seen.size).toBe(1000);
    expect(Math.max(...seen)).toBe(1_999);
  });

  it("ids increase and are seeded from the start time", () => {
    const n = new NonceSource(() => 5_000);
    expect(n.nextId()).toBe(5_001);
    expect(n.nextId()).toBe(5_002);
  });

  it("adds the applied offset, still monotonic", () => {
    let wall = 100_000;
    const n = new NonceSource(() => wall);
    n.setOffset(90_000);
    expect(n.next()).toBe(190_000);
    n.setOffset(0); // a smaller offset must not make the nonce go back
    wall += 1;
    expect(n.next()).toBe(190_001);
  });

  it("rebase() lets the nonce go back to the corrected clock only when asked", () => {
    const wall = 1_000_000;
    const n = new NonceSource(() => wall);
    n.setOffset(0);
    expect(n.next()).toBe(1_000_000);
    n.setOffset(-90_000); // exchange is 90 s behind: our nonces are in its future
    expect(n.next()).toBe(1_000_001);
    expect(n.rebase()).toBe(90_001);
    expect(n.next()).toBe(910_000);
    expect(n.rebase()).toBe(0);
  });
});
