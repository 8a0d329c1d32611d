/**
 * The runtime's lifecycle container: components start in the order they were added and stop in
 * reverse; a failing start stops what already runs; stop never throws, bounds each component by a
 * timeout (fake timers: nothing here waits on the wall clock), collects failures and is idempotent.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { type Component, Lifecycle } from "../../src/app/lifecycle.js";

function recorder() {
  const log: string[] = [];
  const component = (name: string, extra: Partial<Component> = {}): Component => ({
    name,
    start: () => {
      log.push(`start ${name}`);
    },
    stop: (mode) => {
      log.push(`stop ${name} ${mode}`);
    },
    ...extra,
  });
  return { log, component };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Lifecycle", () => {
  it("starts in the order added and stops in reverse", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    for (const n of ["store", "client", "feed"]) l.add(component(n));
    await l.start();
    const outcomes = await l.stop();
    expect(log).toEqual([
      "start store",
      "start client",
      "start feed",
      "stop feed drain",
      "stop client drain",
      "stop store drain",
    ]);
    expect(outcomes.map((o) => `${o.name} ${o.result}`)).toEqual([
      "feed stopped",
      "client stopped",
      "store stopped",
    ]);
  });

  it("a component without start() runs from when it is added; start() again starts only what is new", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    l.add({ name: "client", stop: () => void log.push("stop client") });
    expect(l.components).toEqual([{ name: "client", running: true }]);
    l.add(component("emulator"));
    await l.start();
    l.add(component("feed"));
    await l.start();
    await l.stop();
    expect(log).toEqual([
      "start emulator",
      "start feed",
      "stop feed drain",
      "stop emulator drain",
      "stop client",
    ]);
  });

  it("a start that fails stops what already runs, in reverse, and rethrows the error as it was", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    const busy = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
    l.add(component("store"));
    l.add(component("client"));
    l.add(component("api", { start: () => Promise.reject(busy) }));
    l.add(component("notifier"));
    await expect(l.start()).rejects.toBe(busy);
    expect(log).toEqual(["start store", "start client", "stop client drain", "stop store drain"]);
  });

  it("stop() goes on past a failing stop and reports it; it never throws", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    l.add(component("a"));
    l.add(component("b", { stop: () => Promise.reject(new Error("socket already gone")) }));
    l.add(component("c"));
    await l.start();
    const outcomes = await l.stop();
    expect(outcomes).toEqual([
      { name: "c", result: "stopped" },
      { name: "b", result: "failed", error: "socket already gone" },
      { name: "a", result: "stopped" },
    ]);
    expect(log).toContain("stop a drain");
  });

  it("each stop is bounded by the timeout: a hung component is reported and the rest still stop", async () => {
    vi.useFakeTimers();
    const { log, component } = recorder();
    const l = new Lifecycle({ stopTimeoutMs: 1_000 });
    l.add(component("a"));
    l.add(component("hung", { stop: () => new Promise<void>(() => {}) }));
    await l.start();
    const stopping = l.stop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await stopping).toEqual([
      { name: "hung", result: "timed out" },
      { name: "a", result: "stopped" },
    ]);
    expect(log).toContain("stop a drain");
  });

  it("stop is idempotent, passes its mode on, and nothing can be added afterwards", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    l.add(component("client"));
    await l.start();
    const first = l.stop("abort");
    expect(l.stop()).toBe(first);
    await first;
    expect(log.filter((x) => x.startsWith("stop"))).toEqual(["stop client abort"]);
    expect(() => l.add(component("late"))).toThrow(/stopping/);
  });

  it("a stop requested during start-up waits for the start in progress, then stops it", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    let listen: () => void = () => {};
    let listening: () => void = () => {};
    const called = new Promise<void>((r) => (listening = r));
    l.add(
      component("emulator", {
        start: () =>
          new Promise<void>((r) => {
            listen = r;
            listening();
          }),
      }),
    );
    l.add(component("feed"));
    const starting = l.start();
    await called; // the emulator's start is in progress
    const stopping = l.stop();
    listen();
    await expect(starting).rejects.toThrow(/stopped while starting/);
    expect(await stopping).toEqual([{ name: "emulator", result: "stopped" }]);
    expect(log).toEqual(["stop emulator drain"]);
  });

  it("a stop requested before start-up began starts nothing", async () => {
    const { log, component } = recorder();
    const l = new Lifecycle();
    l.add(component("emulator"));
    const starting = l.start();
    const stopping = l.stop();
    await expect(starting).rejects.toThrow(/stopped while starting/);
    expect(await stopping).toEqual([]);
    expect(log).toEqual([]);
  });

  it("two components of the same name are a programming error", () => {
    const l = new Lifecycle();
    l.add({ name: "client" });
    expect(() => l.add({ name: "client" })).toThrow(/twice/);
  });
});
