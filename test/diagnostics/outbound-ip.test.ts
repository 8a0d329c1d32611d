/**
 * Outbound-IP answers: one fetcher (src/exchange/cryptocom/outbound-ip.ts) and one parser
 * (src/util/ip.ts) for the doctor, the connection test and the signing proxy. An echo service that answers anything but one IP address (an HTML error page, a
 * captive portal, a word made of hex letters) gives "no IP", never a value logged as
 * CRYPTO_COM_OUTBOUND_IP or shown as the address to whitelist. Network cases over loopback HTTP.
 */
import { createServer, type Server } from "node:http";
import { Writable } from "node:stream";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchOutboundIp } from "../../src/exchange/cryptocom/outbound-ip.js";
import { HttpTransport } from "../../src/exchange/cryptocom/transport.js";
import { createLogger } from "../../src/log/logger.js";
import { startSigningProxy } from "../../src/proxy/index.js";
import { parseIpAnswer } from "../../src/util/ip.js";

describe("parseIpAnswer", () => {
  it.each([
    ["203.0.113.7\n", "203.0.113.7"],
    ["  2001:db8::1  ", "2001:db8::1"],
    ['{"ip":"203.0.113.7"}', "203.0.113.7"],
    ['{"ip": "198.51.100.2", "via": "https://api.ipify.org"}', "198.51.100.2"],
  ])("%j → %s", (text, ip) => {
    expect(parseIpAnswer(text)).toBe(ip);
  });

  it.each([
    "cafe",
    "dead:beef",
    "<html><body>502 Bad Gateway</body></html>",
    "",
    '{"ip":"cafe"}',
    '{"address":"203.0.113.7"}',
    "203.0.113.7 203.0.113.8",
    "999.1.1.1",
  ])("%j is not an IP answer", (text) => {
    expect(parseIpAnswer(text)).toBeUndefined();
  });
});

/** An IP echo stand-in whose answer the test sets. */
let answer = { status: 200, body: "203.0.113.7" };
let echo: Server;
let echoUrl: string;

beforeAll(async () => {
  echo = createServer((_req, res) => {
    res.writeHead(answer.status, { "content-type": "text/plain" });
    res.end(answer.body);
  });
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", () => r()));
  echoUrl = `http://127.0.0.1:${(echo.address() as { port: number }).port}/`;
});
afterAll(async () => {
  echo.closeAllConnections();
  await new Promise<void>((r) => echo.close(() => r()));
});

describe("the shared outbound-IP fetcher", () => {
  it("accepts an IP, refuses a hex-letter word and an HTML page", async () => {
    const transport = new HttpTransport();
    const ip = async () => (await fetchOutboundIp(transport, echoUrl)).ip;
    try {
      answer = { status: 200, body: "203.0.113.7\n" };
      expect(await ip()).toBe("203.0.113.7");
      answer = { status: 200, body: "cafe" };
      expect(await ip()).toBeUndefined();
      answer = { status: 200, body: "<html>captive portal</html>" };
      expect(await ip()).toBeUndefined();
      answer = { status: 200, body: '{"ip":"198.51.100.2"}' };
      expect(await ip()).toBe("198.51.100.2");
    } finally {
      await transport.close();
    }
  });

  it("says why there is no IP: the HTTP status of an answer, or the transport failure's stage", async () => {
    const transport = new HttpTransport({ localAddress: "127.0.0.2" });
    try {
      answer = { status: 503, body: "203.0.113.7" };
      expect(await fetchOutboundIp(transport, echoUrl)).toMatchObject({
        ip: undefined,
        status: 503,
        failure: undefined,
      });
      const refused = await fetchOutboundIp(transport, "http://127.0.0.1:1/");
      expect(refused.ip).toBeUndefined();
      expect(refused.status).toBeUndefined();
      expect(refused.failure).toMatchObject({ stage: "connect", kind: "connect_refused" });
    } finally {
      await transport.close();
    }
  });
});

describe("the signing proxy's GET /proxy/outbound-ip", () => {
  it("answers 502 for an echo answer that is not an IP, and logs no CRYPTO_COM_OUTBOUND_IP for it", async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split("\n").filter(Boolean));
        cb();
      },
    });
    const token = "tok-outbound-ip-0123456789";
    const proxy = await startSigningProxy({
      upstreamBaseUrl: "http://127.0.0.1:1/exchange/v1",
      apiKey: "proxyKey0123456789abcdef",
      apiSecret: "proxySecret0123456789abcdefgh",
      token,
      outboundIpUrl: echoUrl,
      logger: createLogger({ destination: stream, pretty: false }),
    });
    const get = async () => {
      const res = await request(`${proxy.url}/proxy/outbound-ip`, { headers: { "x-proxy-token": token } });
      return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
    };
    try {
      answer = { status: 200, body: "<html><body>Sign in to the Wi-Fi</body></html>" };
      const html = await get();
      expect(html.status).toBe(502);
      expect(html.json.error).toMatch(/without an IP address/);
      expect(lines.join("\n")).not.toContain("CRYPTO_COM_OUTBOUND_IP");

      answer = { status: 200, body: "203.0.113.7\n" };
      expect(await get()).toEqual({ status: 200, json: { ip: "203.0.113.7", via: echoUrl } });
      expect(lines.join("\n")).toContain("CRYPTO_COM_OUTBOUND_IP: 203.0.113.7");
    } finally {
      await proxy.close();
    }
  });
});
