import { afterEach, describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/notify/html.js";
import { nextLocalTime } from "../../src/notify/schedule.js";
import { DailySummary } from "../../src/notify/summary.js";
import { quietLogger } from "../store/helpers.js";
import { testDeps } from "./deps.js";
import { type NotifyFixture, notifyFixture } from "./helpers.js";

let f: NotifyFixture;
afterEach(async () => f?.dispose());

const blocked = (reasonCode: string, detail = "d") => ({
  kind: "intent.blocked",
  symbol: "ETH_USD",
  payload: { mode: "DRY_RUN", intentId: "i", kind: "ENTRY", reasonCode, detail },
});

describe("the outbox subscriber", () => {
  it("stores the message in the event's transaction: a rolled-back event leaves no message", async () => {
    f = await notifyFixture();
    await expect(
      f.store.transaction(async (tx) => {
        await tx.events.append(blocked("AMOUNT_NOT_SET"));
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await f.store.outbox.list()).toEqual([]);
    const e = await f.store.events.append({
      kind: "protection.failed",
      symbol: "X_USD",
      payload: { mode: "LIVE", reason: "r" },
    });
    expect((await f.store.outbox.list()).map((r) => r.dedupKey)).toEqual([`tg:${e.seq}@42`]);
  });

  it("one row per authorised chat; events without a renderer or guards a user cannot act on are not notified", async () => {
    f = await notifyFixture({ chats: ["42", "-100"] });
    await f.store.events.append({ kind: "reconcile.correction", payload: { mode: "LIVE" } });
    await f.store.events.append(blocked("COOLDOWN"));
    await f.store.events.append({
      kind: "order.rejected",
      symbol: "X_USD",
      payload: { mode: "LIVE", code: 40101, category: "auth" },
    });
    expect(await f.store.outbox.list()).toEqual([]);
    await f.store.events.append(blocked("INSUFFICIENT_BALANCE"));
    expect((await f.store.outbox.list()).map((r) => (r.payload as { chatId: string }).chatId).sort()).toEqual(
      ["-100", "42"],
    );
  });

  it("throttles identical guard blocks and rejections to one per window", async () => {
    f = await notifyFixture();
    for (let n = 0; n < 5; n++) await f.store.events.append(blocked("AMOUNT_NOT_SET"));
    await f.store.events.append(blocked("INSUFFICIENT_BALANCE"));
    for (let n = 0; n < 3; n++)
      await f.store.events.append({
        kind: "order.rejected",
        symbol: "CRO_USD",
        payload: { mode: "LIVE", code: 213, category: "invalid_order" },
      });
    expect(await f.store.outbox.list()).toHaveLength(3);
    await f.time.advance(60 * 60_000);
    await f.store.events.append(blocked("AMOUNT_NOT_SET"));
    expect(await f.store.outbox.list()).toHaveLength(4);
  });

  it("honours the per-kind switches: off stores nothing, silent sends without sound, critical is never off", async () => {
    f = await notifyFixture();
    const s = (await f.store.settings.get("telegram")).value;
    await f.store.settings.set("telegram", {
      ...s,
      events: { "guard.blocked": "off", "loss.tripped": "silent", "protection.failed": "off" },
    });
    await f.store.events.append(blocked("AMOUNT_NOT_SET"));
    await f.store.events.append(blocked("STOPLOSS_GUARD"));
    await f.store.events.append({
      kind: "protection.failed",
      symbol: "X_USD",
      payload: { mode: "LIVE", reason: "r" },
    });
    const rows = (await f.store.outbox.list())
      .reverse()
      .map((r) => r.payload as { kind: string; silent: boolean });
    expect(rows.map((r) => [r.kind, r.silent])).toEqual([
      ["loss.tripped", true],
      ["protection.failed", false],
    ]);
  });

  it("escapes user-controlled text and shows the mode (the current one when the event has none)", async () => {
    f = await notifyFixture({ demo: true });
    await f.store.events.append({
      kind: "intent.blocked",
      symbol: "<X>",
      payload: { reasonCode: "AMOUNT_NOT_SET", detail: 'a <b>&"' },
    });
    const [row] = await f.store.outbox.list();
    const text = (row!.payload as { text: string }).text;
    expect(text.startsWith("<b>[🎮 DEMO]</b>")).toBe(true);
    expect(text).toContain(`<code>&lt;X&gt;</code>`);
    expect(text).toContain(escapeHtml('a <b>&"'));
    expect(escapeHtml('<a href="x">&</a>')).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});

describe("the daily summary", () => {
  it("finds the local time in a time zone, across DST", () => {
    // 2026-03-29: Europe/Berlin moves from UTC+1 to UTC+2
    expect(new Date(nextLocalTime(Date.UTC(2026, 2, 28, 12), "20:00", "Europe/Berlin")).toISOString()).toBe(
      "2026-03-28T19:00:00.000Z",
    );
    expect(new Date(nextLocalTime(Date.UTC(2026, 2, 28, 20), "20:00", "Europe/Berlin")).toISOString()).toBe(
      "2026-03-29T18:00:00.000Z",
    );
    expect(new Date(nextLocalTime(Date.UTC(2026, 0, 5, 12), "09:30", "America/New_York")).toISOString()).toBe(
      "2026-01-05T14:30:00.000Z",
    );
  });

  it("is stored once at the configured local time (ManualTime), not before", async () => {
    f = await notifyFixture();
    const s = (await f.store.settings.get("telegram")).value;
    await f.store.settings.set("telegram", {
      ...s,
      dailySummary: { enabled: true, time: "21:15", timeZone: "Asia/Tokyo" },
    });
    // ManualTime starts 2026-01-05 12:00 UTC = 21:00 in Tokyo
    const summary = new DailySummary({
      store: f.store,
      time: f.time,
      logger: quietLogger(),
      chatIds: ["42"],
      isLeader: () => true,
      balances: testDeps(f).exchange.balances,
      mode: { demo: false, envLiveTrading: false },
    });
    summary.start();
    await f.time.advance(14 * 60_000 + 59_000);
    expect(await f.store.outbox.list()).toEqual([]);
    await f.time.advance(1_000);
    const rows = await f.store.outbox.list();
    expect(rows.map((r) => r.dedupKey)).toEqual(["tg:summary:2026-01-05@42"]);
    expect((rows[0]!.payload as { text: string }).text).toContain(
      "Daily summary</b> · 2026-01-05 (Asia/Tokyo)",
    );
    await f.time.advance(23 * 3_600_000);
    expect(await f.store.outbox.list()).toHaveLength(1);
    await f.time.advance(3_600_000);
    expect((await f.store.outbox.list()).map((r) => r.dedupKey)).toContain("tg:summary:2026-01-06@42");
    summary.stop();
  });
});
