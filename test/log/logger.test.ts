import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { authLog, createLogger, logOutboundIp } from "../../src/log/logger.js";
import { Redactor } from "../../src/log/redact.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

const KEY = "k3yABCDEFGH1234";
const SECRET = "s3cretVALUE-xyz-987";

describe("logger redaction by value", () => {
  it("replaces configured secrets in messages, fields, nested objects and errors", () => {
    const { lines, stream } = capture();
    const log = createLogger({
      destination: stream,
      secrets: [
        { value: KEY, kind: "key", label: "EXCHANGE_CUSTOM_API_KEY" },
        { value: SECRET, kind: "secret", label: "EXCHANGE_CUSTOM_API_SECRET" },
      ],
    });
    log.info({ body: { api_key: KEY, note: `the secret is ${SECRET}` }, list: [SECRET] }, `key ${KEY} used`);
    log.error({ err: new Error(`failed with ${SECRET}`) }, "boom");
    const text = lines.join("\n");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
    expect(text).toContain("last4=1234");
    expect(text).not.toContain("last4=-987");
    expect(lines).toHaveLength(2);
  });

  it("masks secret-named keys even when the value is not configured", () => {
    const r = new Redactor([]);
    expect(r.value({ sig: "abcdef", nested: { api_secret: "zzz" }, other: "fine" })).toEqual({
      sig: "[redacted]",
      nested: { api_secret: "[redacted]" },
      other: "fine",
    });
  });

  it("keeps values that are already safe masks, even under secret-like keys", () => {
    const r = new Redactor([]);
    expect(
      r.value({
        api_key: "len=8 last4=-key fp=c48a01f4",
        api_secret: "len=11 fp=cd577fe2",
        token: "<not set>",
      }),
    ).toEqual({
      api_key: "len=8 last4=-key fp=c48a01f4",
      api_secret: "len=11 fp=cd577fe2",
      token: "<not set>",
    });
    // a mask-looking prefix does not smuggle a secret through
    expect(r.value({ api_key: "len=8 fp=c48a01f4 plus-the-real-secret" })).toEqual({ api_key: "[redacted]" });
  });

  it("tags auth and outbound-IP lines so the seed's greps find them", () => {
    const { lines, stream } = capture();
    const log = createLogger({ destination: stream });
    authLog(log, "info", { method: "private/user-balance" }, "signing");
    logOutboundIp(log, "203.0.113.7", "direct");
    expect(lines[0]).toContain("CRYPTO_AUTH_DIAG");
    expect(lines[1]).toContain("CRYPTO_COM_OUTBOUND_IP");
    expect(JSON.parse(lines[1]!)).toMatchObject({ outbound_ip: "203.0.113.7" });
  });
});

describe("child loggers", () => {
  it("redact secrets in bindings and in later records", () => {
    const { lines, stream } = capture();
    const log = createLogger({
      destination: stream,
      secrets: [{ value: SECRET, kind: "secret", label: "S" }],
    });
    log.child({ ctx: `bound ${SECRET}` }).info({ nested: { v: SECRET } }, `msg ${SECRET}`);
    expect(lines.join("\n")).not.toContain(SECRET);
    expect(lines).toHaveLength(1);
  });
});

describe("line pass", () => {
  it("replaces a secret that JSON escapes (quotes, backslashes) in a child binding", () => {
    const odd = 'pa"ss\\word-123';
    const { lines, stream } = capture();
    const log = createLogger({ destination: stream, secrets: [{ value: odd, kind: "secret", label: "S" }] });
    log.child({ ctx: odd }).info("hello");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).ctx).toMatch(/^\[S len=14 fp=[0-9a-f]{8}\]$/);
  });
});

describe("URL user info", () => {
  it("is masked in messages, fields, errors and child bindings, even when no secret is configured", () => {
    const { lines, stream } = capture();
    const log = createLogger({ destination: stream });
    log
      .child({ base: "https://bob:pw1@api.example.com/exchange/v1" })
      .warn(
        { url: "http://u:pw2@10.0.0.5:9000/proxy/private", err: new Error("reset: http://x:pw3@h/a") },
        "calling http://TOKEN-pw4@h/b failed",
      );
    const text = lines.join("\n");
    for (const pw of ["pw1", "pw2", "pw3", "TOKEN-pw4"]) expect(text).not.toContain(pw);
    const rec = JSON.parse(lines[0]!);
    expect(rec.base).toMatch(/^https:\/\/bob:<len=3 fp=[0-9a-f]{8}>@api\.example\.com\/exchange\/v1$/);
    expect(rec.url).toMatch(/^http:\/\/u:<len=3 fp=[0-9a-f]{8}>@10\.0\.0\.5:9000\/proxy\/private$/);
  });

  it("is masked by the Redactor's string pass too (what the doctor's report goes through)", () => {
    const r = new Redactor([]);
    expect(r.string("GET http://u:a@h/health")).toMatch(/^GET http:\/\/u:<len=1 fp=[0-9a-f]{8}>@h\/health$/);
  });
});
