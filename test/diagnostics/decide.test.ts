/** decide(): rules that no emulator configuration can trigger, on hand-built observations. */
import { describe, expect, it } from "vitest";
import type { Outcome } from "../../src/diagnostics/calls.js";
import { assessCredentials } from "../../src/diagnostics/credentials.js";
import { decide } from "../../src/diagnostics/decide.js";
import { classifyBaseUrl } from "../../src/diagnostics/environment.js";
import type { Observations } from "../../src/diagnostics/observations.js";
import { ExchangeError } from "../../src/exchange/cryptocom/errors.js";
import { configFrom } from "./helpers.js";

const BASE = "https://api.crypto.com/exchange/v1";
const ok = (method: string): Outcome => ({
  kind: "ok",
  method,
  via: "direct",
  httpStatus: 200,
  result: {},
  latencyMs: 5,
});
const refused = (method: string, code: number): Outcome => ({
  kind: "error",
  method,
  via: "direct",
  error: new ExchangeError({ method, code, httpStatus: 401 }),
  latencyMs: 5,
});

function healthy(over: Partial<Observations> = {}): Observations {
  const config = configFrom({
    EXCHANGE_CUSTOM_API_KEY: "Xq7LmN2pR8sT4vW6yZ0b",
    EXCHANGE_CUSTOM_API_SECRET: "Hd93Jf0Kq2Lm5Np8Qr1St4",
  });
  return {
    baseUrl: BASE,
    env: classifyBaseUrl(BASE),
    viaProxy: false,
    proxyUrl: undefined,
    proxyToken: undefined,
    liveTrading: false,
    localAddress: undefined,
    outboundIpUrl: "https://api.ipify.org",
    creds: assessCredentials(config),
    otherErrors: [],
    otherWarnings: [],
    selfTest: { failedVectors: [], vectorCount: 8, roundTripProblem: undefined },
    hazards: [],
    directIp: { ip: "203.0.113.7", problem: undefined, failure: undefined },
    proxyIp: undefined,
    dns: undefined,
    publicProbe: ok("public/get-tickers"),
    clock: { offsetMs: 120, uncertaintyMs: 300, samples: 3 },
    proxyClockOffsetMs: undefined,
    proxyHealth: undefined,
    read: ok("private/user-balance"),
    tradeProbe: refused("private/cancel-order", 212),
    probeOrderId: "9000000123456789012",
    swapped: { skipped: "n/a" },
    nonceRetry: { skipped: "n/a" },
    direct: { skipped: "n/a" },
    order: undefined,
    orderProblem: undefined,
    engine: undefined,
    serverErrors: [],
    deadlineHit: false,
    ...over,
  };
}

describe("decide", () => {
  it("a healthy observation gives no cause", () => {
    expect(decide(healthy())).toEqual([]);
  });

  it("a failing signing self-test is signature_mismatch (confirmed)", () => {
    const causes = decide(
      healthy({
        selfTest: { failedVectors: ["nested-order-list"], vectorCount: 8, roundTripProblem: undefined },
      }),
    );
    expect(causes.map((c) => [c.id, c.confidence])).toEqual([["signature_mismatch", "confirmed"]]);
    expect(causes[0]!.evidence[0]).toMatch(/1\/8 known-answer vectors fail: nested-order-list/);
  });

  it("the engine's 40101 that the doctor cannot reproduce is only possible", () => {
    const engine = {
      method: "private/create-order",
      code: 40101,
      httpStatus: 401,
      category: "auth" as const,
      codeName: "UNAUTHORIZED",
    };
    const causes = decide(healthy({ engine }));
    expect(causes.map((c) => [c.id, c.confidence])).toEqual([["key_invalid_or_revoked", "possible"]]);
    expect(causes[0]!.evidence.join("\n")).toMatch(/not reproduced/);
  });

  it("the engine's 40103 from elsewhere is a possible ip_not_whitelisted", () => {
    const engine = {
      method: "private/create-order",
      code: 40103,
      httpStatus: 401,
      category: "ip_not_whitelisted" as const,
      codeName: "IP_ILLEGAL",
    };
    expect(decide(healthy({ engine })).map((c) => [c.id, c.confidence])).toEqual([
      ["ip_not_whitelisted", "possible"],
    ]);
  });

  it("a 40101 with the clock unmeasured stays likely", () => {
    const causes = decide(
      healthy({
        read: refused("private/user-balance", 40101),
        tradeProbe: { skipped: "x" },
        clock: undefined,
        swapped: refused("private/user-balance", 40101),
      }),
    );
    expect(causes.map((c) => [c.id, c.confidence])).toEqual([["key_invalid_or_revoked", "likely"]]);
  });

  it("a single 5xx is a possible maintenance, two are likely", () => {
    expect(decide(healthy({ serverErrors: ["a: HTTP 502"] }))[0]!.confidence).toBe("possible");
    expect(decide(healthy({ serverErrors: ["a: HTTP 502", "b: HTTP 503"] }))[0]!.confidence).toBe("likely");
  });

  it("a 30-60 s offset with a working read is a likely clock_skew", () => {
    const causes = decide(healthy({ clock: { offsetMs: -40_000, uncertaintyMs: 200, samples: 3 } }));
    expect(causes.map((c) => [c.id, c.confidence])).toEqual([["clock_skew", "likely"]]);
    expect(causes[0]!.summary).toMatch(/ahead of the exchange/);
  });
});
