/**
 * The error contract: unknown routes 404 JSON, field-level 400s, deep and huge JSON refused with a
 * 4xx (never a 500 or a stack overflow), every error in ApiErrorBody's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestServer, apiTestServer, bearer } from "../../helpers/api-deps.js";

let t: ApiTestServer;
beforeAll(async () => {
  t = await apiTestServer();
});
afterAll(() => t.close());

const json = { ...bearer(), "content-type": "application/json" };

function expectErrorShape(body: unknown, code: string) {
  expect(body).toMatchObject({
    error: { code, message: expect.any(String), retryable: expect.any(Boolean) },
  });
  expect(Object.keys((body as { error: object }).error).sort()).toEqual([
    "code",
    "details",
    "message",
    "retryable",
  ]);
}

describe("errors", () => {
  it("answers unknown routes with 404 JSON", async () => {
    const r = await t.server.inject({ method: "GET", url: "/api/nope" });
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-type"]).toMatch(/application\/json/);
    expectErrorShape(r.json(), "not_found");
  });

  it("refuses 100k-deep JSON with 400, not 500", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const r = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: json,
      payload: deep,
    });
    expect(r.statusCode).toBe(400);
    expectErrorShape(r.json(), "validation");
    const obj = `${'{"a":'.repeat(100_000)}1${"}".repeat(100_000)}`;
    const r2 = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: json,
      payload: obj,
    });
    expect(r2.statusCode).toBe(400);
  });

  it("accepts 64 levels and counts brackets inside strings as text", async () => {
    const ok = `{"enabled": true, "x": ${"[".repeat(63)}"[[[[{{{{\\"]]"${"]".repeat(63)}}`;
    const r = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: json,
      payload: ok,
    });
    expect(r.statusCode).not.toBe(500);
    expect(r.json()?.error?.message ?? "").not.toMatch(/nested/);
  });

  it("refuses a 2 MiB body with 413", async () => {
    const big = JSON.stringify({ enabled: true, pad: "x".repeat(2 * 1024 * 1024) });
    const r = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: json,
      payload: big,
    });
    expect(r.statusCode).toBe(413);
    expectErrorShape(r.json(), "too_large");
  });

  it("refuses invalid JSON and other media types with 4xx in the contract shape", async () => {
    const r = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: json,
      payload: "{nope",
    });
    expect(r.statusCode).toBe(400);
    expectErrorShape(r.json(), "invalid_json");
    const r2 = await t.server.inject({
      method: "POST",
      url: "/api/trading/kill-switch",
      headers: { ...bearer(), "content-type": "text/xml" },
      payload: "<a/>",
    });
    expect(r2.statusCode).toBe(415);
    expectErrorShape(r2.json(), "unsupported_media_type");
  });
});
