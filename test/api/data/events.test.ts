/**
 * GET /api/events over real loopback HTTP: an event appended to the store arrives (id = seq, event =
 * kind); a reconnect with Last-Event-ID gets exactly the events after it; live events arrive without
 * an id; closing the server ends the stream.
 */
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { EventRecord } from "../../../src/store/types.js";
import type { ApiTestServer } from "../../helpers/api-deps.js";
import { apiDataServer } from "../../helpers/api-deps-data.js";

let t: ApiTestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

interface Stream {
  status: number;
  text(): string;
  /** Resolves once the received text satisfies `ok` (bounded: 5 s of short real waits). */
  until(ok: (text: string) => boolean): Promise<string>;
  close(): void;
  ended: Promise<void>;
}

function openStream(base: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/events`, { headers }, (res) => {
      let buf = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        buf += c;
      });
      const ended = new Promise<void>((r) => res.on("close", () => r()));
      resolve({
        status: res.statusCode ?? 0,
        text: () => buf,
        async until(ok) {
          for (let i = 0; i < 250 && !ok(buf); i++) await new Promise((r) => setTimeout(r, 20));
          if (!ok(buf)) throw new Error(`stream never matched; got: ${buf}`);
          return buf;
        },
        close: () => req.destroy(),
        ended,
      });
    });
    req.on("error", reject);
    req.end();
  });
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe("GET /api/events (SSE)", () => {
  it("delivers appended store events and resumes after Last-Event-ID", async () => {
    t = await apiDataServer();
    const before = await t.store.events.append({
      kind: "order.updated",
      symbol: "BTC_USD",
      payload: { n: "0" },
    });
    const base = await t.server.listen("127.0.0.1", 0);
    const s = await openStream(base);
    expect(s.status).toBe(200);
    await s.until((x) => x.includes("retry: 2000"));
    const e1 = await t.store.events.append({
      kind: "order.updated",
      symbol: "BTC_USD",
      payload: { filled: "0.00012345678901234567" },
    });
    const text = await s.until((x) => x.includes(`id: ${e1.seq}`));
    expect(ids(text)).toEqual([e1.seq]); // a new client starts after the newest event
    const data = text.split("\n").find((l) => l.startsWith("data: "))!;
    expect(JSON.parse(data.slice(6))).toEqual({
      seq: e1.seq,
      at: e1.at,
      kind: "order.updated",
      symbol: "BTC_USD",
      payload: { filled: "0.00012345678901234567" },
    });
    expect(text).not.toContain("event:"); // unnamed: one EventSource listener receives every kind
    s.close();

    const e2 = await t.store.events.append({ kind: "fill", payload: null });
    const e3 = await t.store.events.append({ kind: "signal", payload: null });
    const again = await openStream(base, { "last-event-id": String(e1.seq) });
    const resumed = await again.until((x) => x.includes(`id: ${e3.seq}`));
    expect(ids(resumed)).toEqual([e2.seq, e3.seq]);
    again.close();

    const fromStart = await openStream(base, { "last-event-id": "0" });
    expect(ids(await fromStart.until((x) => x.includes(`id: ${e3.seq}`)))).toEqual([
      before.seq,
      e1.seq,
      e2.seq,
      e3.seq,
    ]);
    fromStart.close();
  });

  it("passes live events without an id, and ends the stream when the server closes", async () => {
    const listeners = new Set<(e: EventRecord) => void>();
    t = await apiDataServer();
    t.deps.liveEvents = {
      subscribe(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    // the route reads deps.liveEvents per stream, so setting it after creation is seen
    const base = await t.server.listen("127.0.0.1", 0);
    const s = await openStream(base);
    await s.until(() => listeners.size === 1);
    for (const l of listeners)
      l({ seq: 0, at: 5, kind: "price", symbol: "BTC_USD", payload: { price: "65000.5" } });
    const text = await s.until((x) => x.includes('"kind":"price"'));
    expect(text).not.toMatch(/^id: 0$/m);
    expect(text).toContain('"payload":{"price":"65000.5"}');
    await t.close();
    t = undefined;
    await s.ended;
    expect(listeners.size).toBe(0);
  });
});
