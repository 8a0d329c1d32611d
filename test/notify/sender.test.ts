import { afterEach, describe, expect, it } from "vitest";
import { until } from "../helpers/fake-telegram.js";
import { closedEvent, type NotifyFixture, notifyFixture } from "./helpers.js";

let f: NotifyFixture;
afterEach(async () => f?.dispose());

describe("the outbox sender", () => {
  it("delivers every message once, in order, with HTML and the mode", async () => {
    f = await notifyFixture();
    for (let n = 1; n <= 5; n++) await f.store.events.append(closedEvent(n, `${n}.5`));
    const s = f.sender();
    s.start();
    await until(() => f.fake.sent().length === 5, 5000, "five messages");
    const sent = f.fake.sent("42");
    expect(sent.map((m) => /P&amp;L: <b>([\d.]+)<\/b>/.exec(m.text)?.[1])).toEqual([
      "1.5",
      "2.5",
      "3.5",
      "4.5",
      "5.5",
    ]);
    for (const m of sent) {
      expect(m.params.parse_mode).toBe("HTML");
      expect(m.text.startsWith("<b>[🧪 DRY RUN]</b>")).toBe(true);
    }
    await until(async () => (await f.store.outbox.inState("SENT")).length === 5, 3000, "rows SENT");
    // nothing more is sent on later polls
    await f.time.advance(10_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.fake.sent()).toHaveLength(5);
  });

  it("honours retry_after on 429: the message waits exactly that long, and the ones after it wait too", async () => {
    f = await notifyFixture();
    f.fake.fail("sendMessage", {
      code: 429,
      description: "Too Many Requests: retry after 30",
      retryAfter: 30,
    });
    await f.store.events.append(closedEvent(1));
    await f.store.events.append(closedEvent(2, "2.5"));
    const s = f.sender();
    s.start();
    await until(() => f.fake.callsOf("sendMessage").length === 1, 3000, "first attempt");
    await until(
      async () =>
        (await f.store.outbox.pending()).every((r) => r.state === "PENDING" && r.attempts <= 1) &&
        (await f.store.outbox.pending())[0]?.attempts === 1,
      3000,
      "retry recorded",
    );
    await f.time.advance(29_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.fake.callsOf("sendMessage")).toHaveLength(1);
    await f.time.advance(1_000);
    await until(() => f.fake.sent().length === 3, 3000, "retried and second sent");
    const texts = f.fake.sent().map((m) => m.params.text as string);
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toContain("<b>2.5</b>");
  });

  it("403 (bot blocked) fails the message for good and goes on with the next", async () => {
    f = await notifyFixture();
    f.fake.fail("sendMessage", { code: 403, description: "Forbidden: bot was blocked by the user" });
    await f.store.events.append(closedEvent(1));
    await f.store.events.append(closedEvent(2));
    f.sender().start();
    await until(() => f.fake.callsOf("sendMessage").length === 2, 3000, "two attempts");
    await until(async () => (await f.store.outbox.inState("FAILED")).length === 1, 3000, "FAILED");
    // the second message's row is marked SENT after its answer, which comes after the fake counted
    // the call: wait for it rather than read it at once (this raced once in CI)
    await until(async () => (await f.store.outbox.inState("SENT")).length === 1, 3000, "the next one SENT");
    expect(await f.store.outbox.inState("FAILED")).toHaveLength(1);
  });

  it("sends nothing while not the leader", async () => {
    f = await notifyFixture();
    let leader = false;
    await f.store.events.append(closedEvent(1));
    f.sender({ isLeader: () => leader }).start();
    await f.time.advance(5_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(f.fake.sent()).toHaveLength(0);
    leader = true;
    await f.time.advance(1_000);
    await until(() => f.fake.sent().length === 1, 3000, "sent once leader");
  });
});
