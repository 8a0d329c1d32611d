import { describe, expect, it } from "vitest";
import { ClockOffset, offsetFromDate } from "../../../src/exchange/cryptocom/clock.js";

const D = Date.parse("2026-01-02T03:04:05Z");

describe("offsetFromDate (midpoint of the Date header's second)", () => {
  it("estimates 0 when the clocks agree", () => {
    const s = offsetFromDate(new Date(D).toUTCString(), D + 400, D + 600)!;
    expect(s.lowMs).toBe(-600);
    expect(s.highMs).toBe(599);
    expect(Math.abs(s.offsetMs)).toBeLessThanOrEqual(1);
    expect(s.rttMs).toBe(200);
  });

  it("sees a local clock 90 s slow as +90 s", () => {
    const local = D - 90_000;
    const s = offsetFromDate(new Date(D).toUTCString(), local, local + 20)!;
    expect(s.offsetMs).toBeGreaterThan(89_000);
    expect(s.offsetMs).toBeLessThan(91_000);
  });

  it("ignores missing or unparsable headers", () => {
    expect(offsetFromDate(undefined, 1, 2)).toBeUndefined();
    expect(offsetFromDate("not a date", 1, 2)).toBeUndefined();
  });
});

describe("ClockOffset", () => {
  it("narrows the interval across samples", () => {
    const c = new ClockOffset();
    // true offset +250 ms; samples at different phases of the server's second
    for (const phase of [0, 300, 700, 900, 100]) {
      const local = D + phase;
      const server = local + 250;
      const header = new Date(Math.floor(server / 1000) * 1000).toUTCString();
      c.add(offsetFromDate(header, local - 2, local + 2)!);
    }
    const e = c.estimate!;
    expect(e.highMs - e.lowMs).toBeLessThan(1000);
    expect(e.lowMs).toBeLessThanOrEqual(250);
    expect(e.highMs).toBeGreaterThanOrEqual(250);
  });

  it("restarts on a clock jump (non-intersecting sample)", () => {
    const c = new ClockOffset();
    c.add(offsetFromDate(new Date(D).toUTCString(), D + 100, D + 110)!);
    const jumped = c.add(offsetFromDate(new Date(D + 120_000).toUTCString(), D + 200, D + 210)!);
    expect(jumped.offsetMs).toBeGreaterThan(119_000);
  });
});
