/** decide(): rules that no emulator configuration can trigger, on hand-built observations. */
import { describe, expect, it } from "vitest";
import { buildChecks } from "../../src/diagnostics/checks.js";
import { assessCredentials } from "../../src/diagnostics/credentials.js";
import { decide, probeVerdict, swappedWorks } from "../../src/diagnostics/decide.js";
import { classifyBaseUrl } from "../../src/diagnostics/environment.js";
import type { Observations } from "../../src/diagnostics/observations.js";
import { isServerFailure, type Outcome } from "../../src/diagnostics/outcome.js";
import { rateLimitFor } from "../../src/exchange/cryptocom/endpoints.js";
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
const refused = (method: string, code: number, httpStatus = 401): Outcome => ({
  kind: "error",
  method,
  via: "direct",
  error: new ExchangeError({ method, code, httpStatus }),
  latencyMs: 5,
});
/** An answer without an exchange code (HTML error page, bare status). */
const bare = (method: string, httpStatus: number): Outcome => ({
  kind: "error",
  method,
  via: "direct",
  error: new ExchangeError({ method, httpStatus }),
  latencyMs: 5,
});
const engineError = (code: number) => {
  const e = new ExchangeError({ method: "private/create-order", code });
  return { method: e.method, code, httpStatus: undefined, category: e.category, codeName: e.codeName };
};
const checkOf = (o: Observations, id: string) => buildChecks(o, {}).find((c) => c.id === id)!;

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

describe("decisions follow the error catalogue's categories, not code lists", () => {
  const BALANCE = "private/user-balance";

  it("a permission refusal of the read (10002) is an account/permission problem, not a bad key", () => {
    const causes = decide(healthy({ read: refused(BALANCE, 10002), tradeProbe: { skipped: "x" } }));
    expect(causes.map((c) => [c.id, c.confidence])).toEqual([["key_invalid_or_revoked", "likely"]]);
    expect(causes[0]!.summary).toMatch(/may not use the API \(10002 UNAUTHORIZED/);
  });

  it("the swapped read proves the key only by a check made after finding it (IP, nonce, permission)", () => {
    expect(swappedWorks(ok(BALANCE))).toBe(true);
    expect(swappedWorks(refused(BALANCE, 40103))).toBe(true);
    expect(swappedWorks(refused(BALANCE, 10003))).toBe(true);
    expect(swappedWorks(refused(BALANCE, 40102, 400))).toBe(true);
    expect(swappedWorks(refused(BALANCE, 10002))).toBe(true);
    expect(swappedWorks(refused(BALANCE, 40101))).toBe(false);
    for (const code of [42901, 10006, 9010001, 50001, 10001]) {
      expect(swappedWorks(refused(BALANCE, code, 500)), String(code)).toBe(false);
    }
    expect(swappedWorks(bare(BALANCE, 401))).toBe(false);
  });

  it("a rate-limited or failing swapped read does not claim credentials_swapped", () => {
    for (const code of [42901, 9010001, 50001]) {
      const o = healthy({
        read: refused(BALANCE, 40101),
        tradeProbe: { skipped: "x" },
        swapped: refused(BALANCE, code, 500),
      });
      expect(
        decide(o).map((c) => c.id),
        String(code),
      ).not.toContain("credentials_swapped");
      expect(checkOf(o, "swapped_credentials").status, String(code)).toBe("pass");
    }
  });

  it("the trade probe: not-found style answers pass, auth/permission answers refuse, others say nothing", () => {
    for (const code of [212, 316, 40401, 307, 40003, 40004])
      expect(probeVerdict(refused("p", code))).toBe("pass");
    for (const code of [40101, 10002, 40104, 10005]) expect(probeVerdict(refused("p", code))).toBe("refused");
    for (const code of [42901, 9010001, 50001]) expect(probeVerdict(refused("p", code))).toBe("inconclusive");
    expect(probeVerdict(bare("p", 401))).toBe("inconclusive");
  });

  it("missing_trade_permission: confirmed for 40101 and 10002, likely for the account tier (40104)", () => {
    const conf = (code: number) =>
      decide(healthy({ tradeProbe: refused("private/cancel-order", code) })).map((c) => [c.id, c.confidence]);
    expect(conf(40101)).toEqual([["missing_trade_permission", "confirmed"]]);
    expect(conf(10002)).toEqual([["missing_trade_permission", "confirmed"]]);
    expect(conf(40104)).toEqual([["missing_trade_permission", "likely"]]);
    expect(conf(42901)).toEqual([["rate_limited", "confirmed"]]);
  });

  it("rate limits: 42901, the legacy 10006 and a bare HTTP 429 all count", () => {
    for (const read of [refused(BALANCE, 42901, 429), refused(BALANCE, 10006, 429), bare(BALANCE, 429)]) {
      const causes = decide(healthy({ read, tradeProbe: { skipped: "x" } }));
      expect(causes.map((c) => [c.id, c.confidence])).toEqual([["rate_limited", "confirmed"]]);
    }
    const limit = rateLimitFor(BALANCE);
    const causes = decide(healthy({ read: bare(BALANCE, 429), tradeProbe: { skipped: "x" } }));
    expect(causes[0]!.evidence.join("\n")).toContain(`${limit.limit} per ${limit.windowMs} ms for reads`);
  });

  it("the engine's unreproduced errors are read by category (10006, 10003, 10007, 10002)", () => {
    const one = (code: number) =>
      decide(healthy({ engine: engineError(code) })).map((c) => [c.id, c.confidence]);
    expect(one(10006)).toEqual([["rate_limited", "likely"]]);
    expect(one(10003)).toEqual([["ip_not_whitelisted", "possible"]]);
    expect(one(10007)).toEqual([["clock_skew", "possible"]]);
    expect(one(10002)).toEqual([["missing_trade_permission", "possible"]]);
    expect(one(40101)).toEqual([["key_invalid_or_revoked", "possible"]]);
  });

  it("maintenance is a code (9010001), not a bare HTTP 503", () => {
    const maint = decide(healthy({ publicProbe: refused("public/get-tickers", 9010001, 503) }));
    expect(maint.map((c) => [c.id, c.confidence])).toEqual([["exchange_maintenance", "confirmed"]]);
    const bare503 = decide(healthy({ publicProbe: bare("public/get-tickers", 503) }));
    expect(bare503.map((c) => c.id)).not.toContain("exchange_maintenance"); // counted as a server error instead
  });
});

describe("server errors are decided by the code's category, by the HTTP status only without a code", () => {
  const err = (code: number | undefined, httpStatus: number) =>
    new ExchangeError({ method: "public/get-tickers", code, httpStatus });

  it("50001 ERR_INTERNAL with HTTP 400 (reference §2.3) is a server failure; 212 with HTTP 500 is not", () => {
    expect(isServerFailure(err(50001, 400))).toBe(true);
    expect(isServerFailure(err(10001, 500))).toBe(true);
    expect(isServerFailure(err(212, 500))).toBe(false);
    expect(isServerFailure(err(306, 500))).toBe(false);
    expect(isServerFailure(err(undefined, 502))).toBe(true);
    expect(isServerFailure(err(undefined, 404))).toBe(false);
  });

  it("the reachability check fails on a server-category code whatever its HTTP status", () => {
    const o = healthy({ publicProbe: refused("public/get-tickers", 50001, 400) });
    expect(checkOf(o, "reachability").status).toBe("fail");
    expect(
      checkOf(healthy({ publicProbe: refused("public/get-tickers", 40003, 400) }), "reachability").status,
    ).toBe("pass");
  });
});

describe("texts come from the shared tables", () => {
  it("the self-test's vector count, and the configured IP echo in the whitelist fix", () => {
    const o = healthy({
      read: refused("private/user-balance", 40103),
      tradeProbe: { skipped: "x" },
      directIp: { ip: undefined, problem: "no answer", failure: undefined },
      outboundIpUrl: "https://ifconfig.example/ip",
    });
    const ip = decide(o).find((c) => c.id === "ip_not_whitelisted")!;
    expect(ip.fix.join("\n")).toContain("curl https://ifconfig.example/ip");
    const bad = decide(
      healthy({
        read: refused("private/user-balance", 40101),
        tradeProbe: { skipped: "x" },
        swapped: refused("private/user-balance", 40101),
        selfTest: { failedVectors: [], vectorCount: 7, roundTripProblem: undefined },
      }),
    );
    expect(bad[0]!.evidence.join("\n")).toContain("(7 known-answer vectors and a serialisation round trip)");
  });
});
