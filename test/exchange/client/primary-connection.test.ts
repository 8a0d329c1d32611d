import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpTransport, TransportError } from "../../../src/exchange/cryptocom/transport.js";
import { loopbackLookup } from "../../helpers/lookup.js";
import { json, type RawServer, startRawServer } from "./helpers/raw-server.js";

let servers: RawServer[] = [];
let transport: HttpTransport | undefined;
afterEach(async () => {
  await transport?.destroy();
  for (const s of servers) await s.close();
  servers = [];
  transport = undefined;
});

/** A server that answers `{code: 0}` and keeps its accepted sockets (in order). */
async function server(onSocket?: (s: Socket) => void) {
  const sockets: Socket[] = [];
  const s = await startRawServer(
    (_req, res) => json(res, 200, { code: 0 }),
    (sock) => {
      sockets.push(sock);
      onSocket?.(sock);
    },
  );
  servers.push(s);
  return { s, sockets };
}

/** Resolves once `cond()` holds (checked every few ms; the test's own timeout bounds it). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

const closed = (sock: Socket) =>
  new Promise<void>((r) => (sock.destroyed ? r() : sock.once("close", () => r())));

describe("HttpTransport primary origin", () => {
  it("warm() connects before any request, and the first request is sent on that connection", async () => {
    const { s, sockets } = await server();
    transport = new HttpTransport({ primaryOrigin: `${s.url}/exchange/v1` });
    expect(transport.primaryConnections()).toEqual({ pooled: 0, spare: 0 });
    expect(await transport.warm()).toBe(true);
    await until(() => s.connections() === 1);
    expect(s.requests).toHaveLength(0);
    expect(transport.primaryConnections()).toEqual({ pooled: 0, spare: 1 });
    const res = await transport.post(`${s.url}/exchange/v1/private/create-order`, '{"a":1}');
    expect(res.status).toBe(200);
    expect(s.connections()).toBe(1);
    expect(s.requests[0]!.remotePort).toBe(sockets[0]!.remotePort);
    expect(transport.primaryConnections()).toEqual({ pooled: 1, spare: 0 });
  });

  it("warm() with a connection already idle in the pool dials nothing", async () => {
    const { s } = await server();
    transport = new HttpTransport({ primaryOrigin: s.url });
    await transport.get(`${s.url}/a`);
    // undici frees a kept-alive connection one event-loop turn after its answer
    await new Promise((r) => setImmediate(r));
    expect(transport.primaryConnections()).toEqual({ pooled: 1, spare: 0 });
    expect(await transport.warm()).toBe(true);
    await transport.get(`${s.url}/b`);
    expect(s.connections()).toBe(1);
    expect(transport.primaryConnections().spare).toBe(0);
  });

  it("a spare left unused for keepAliveMs is closed, and the next request dials anew", async () => {
    const { s, sockets } = await server();
    transport = new HttpTransport({ primaryOrigin: s.url, timeouts: { keepAliveMs: 100 } });
    await transport.warm();
    await until(() => sockets.length === 1);
    await closed(sockets[0]!);
    expect(transport.primaryConnections().spare).toBe(0);
    await transport.get(`${s.url}/a`);
    expect(s.connections()).toBe(2);
    expect(s.requests).toHaveLength(1);
  });

  it("a spare the server closed is never handed over: the request goes on a new connection", async () => {
    const { s } = await server((sock) => {
      if (s.connections() === 1) setImmediate(() => sock.destroy()); // the server drops the idle one
    });
    transport = new HttpTransport({ primaryOrigin: s.url });
    expect(await transport.warm()).toBe(true);
    await until(() => transport!.primaryConnections().spare === 0);
    const res = await transport.post(`${s.url}/private/create-order`, "{}");
    expect(res.status).toBe(200);
    expect(s.connections()).toBe(2);
  });

  it("binds the local address (EXCHANGE_LOCAL_ADDRESS) on the pool's and the warm connections", async () => {
    const { s, sockets } = await server();
    transport = new HttpTransport({ primaryOrigin: s.url, localAddress: "127.0.0.2" });
    await transport.warm();
    await until(() => sockets.length === 1);
    await transport.get(`${s.url}/a`); // on the warm one
    await transport.destroy();
    transport = new HttpTransport({ primaryOrigin: s.url, localAddress: "127.0.0.2" });
    await transport.get(`${s.url}/b`); // dialled by the pool
    expect(s.connections()).toBe(2);
    expect(sockets.map((k) => k.remoteAddress?.replace(/^::ffff:/, ""))).toEqual(["127.0.0.2", "127.0.0.2"]);
  });

  it("an injected DNS lookup serves the primary origin's connections too (warm and pooled)", async () => {
    const { s } = await server();
    const asked: string[] = [];
    const lookup = loopbackLookup(asked);
    const origin = `http://uat-api.3ona.co:${s.port}`;
    transport = new HttpTransport({ primaryOrigin: origin, lookup });
    expect(await transport.warm()).toBe(true);
    expect((await transport.get(`${origin}/exchange/v1/public/get-tickers`)).status).toBe(200);
    expect(asked).toContain("uat-api.3ona.co");
    expect(s.connections()).toBe(1);
  });

  it("requests to other origins go through the shared agent, not the primary pool", async () => {
    const primary = await server();
    const other = await server();
    transport = new HttpTransport({ primaryOrigin: primary.s.url });
    expect((await transport.get(`${other.s.url}/ip`)).status).toBe(200);
    expect(transport.primaryConnections()).toEqual({ pooled: 0, spare: 0 });
    expect(primary.s.connections()).toBe(0);
  });

  it("without a primary origin (or with one that is not http/https) warm() connects nothing", async () => {
    transport = new HttpTransport();
    expect(await transport.warm()).toBe(false);
    const odd = new HttpTransport({ primaryOrigin: "not a url" });
    expect(await odd.warm()).toBe(false);
    const err = await odd.get("not a url/x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).errno).toBe("ERR_INVALID_URL");
    await odd.close();
  });

  it("keepWarm: when the last connection closes, one is dialled again without a request", async () => {
    const { s, sockets } = await server();
    transport = new HttpTransport({ primaryOrigin: s.url, keepWarm: true });
    await transport.get(`${s.url}/a`);
    await until(() => sockets.length === 1);
    sockets[0]!.destroy(); // the server ends the kept-alive connection
    await until(() => s.connections() === 2 && transport!.primaryConnections().spare === 1);
    expect(s.requests).toHaveLength(1);
    await transport.get(`${s.url}/b`);
    expect(s.connections()).toBe(2); // sent on the re-dialled one
  });

  it("close() closes the spare", async () => {
    const { s, sockets } = await server();
    const t = new HttpTransport({ primaryOrigin: s.url, keepWarm: true });
    await t.warm();
    await until(() => sockets.length === 1);
    await t.close();
    await closed(sockets[0]!);
    expect(t.primaryConnections().spare).toBe(0);
    expect(s.requests).toHaveLength(0);
  });
});
