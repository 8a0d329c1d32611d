import { describe, expect, it } from "vitest";
import { ProxyError, unwrapProxyResponse } from "../../../src/exchange/cryptocom/proxy.js";
import type { HttpResponse } from "../../../src/exchange/cryptocom/transport.js";

function res(status: number, body: unknown): HttpResponse {
  return {
    status,
    headers: {},
    date: undefined,
    text: JSON.stringify(body),
    sentAt: 0,
    receivedAt: 1,
    latencyMs: 1,
  } as HttpResponse;
}

describe("what the signing proxy itself answers", () => {
  it("401: our token was refused (auth, nothing forwarded)", () => {
    const e = unwrapProxyResponse(
      "private/user-balance",
      res(401, { error: "invalid proxy token" }),
    ) as ProxyError;
    expect(e).toBeInstanceOf(ProxyError);
    expect(e.category).toBe("auth");
    expect(e.ambiguous).toBe(false);
    expect(e.message).toMatch(/CRYPTO_PROXY_TOKEN/);
  });

  it("403: the proxy refuses to sign that method (permission, not a token problem, nothing forwarded)", () => {
    const e = unwrapProxyResponse("private/create-withdrawal", res(403, { error: "refused" })) as ProxyError;
    expect(e.category).toBe("permission");
    expect(e.ambiguous).toBe(false);
    expect(e.message).not.toMatch(/CRYPTO_PROXY_TOKEN/);
    expect(e.message).toMatch(/refuses to sign private\/create-withdrawal/);
  });

  it("502/504: the proxy may have forwarded the request (network, ambiguous for orders)", () => {
    for (const status of [502, 504]) {
      const e = unwrapProxyResponse("private/create-order", res(status, { error: "x" })) as ProxyError;
      expect(e.category).toBe("network");
      expect(e.ambiguous).toBe(true);
    }
  });
});
