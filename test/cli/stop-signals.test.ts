/**
 * The one CLI helper for stopping a long-running command (demo, emulator, later `atp start`): the
 * first SIGINT/SIGTERM asks the command to stop, once; a signal after that exits at once with
 * 128 + the signal number. Signals and exit are stand-ins here, so nothing kills the test process.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { onStop, SIGNAL_ECHO_MS, type StopSignals } from "../../src/cli/lifecycle.js";

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  const warnings: string[] = [];
  const clock = { t: 1_000 };
  const signals: StopSignals = {
    on: (s, l) => emitter.on(s, l),
    off: (s, l) => emitter.off(s, l),
    exit: (code) => exits.push(code),
    warn: (line) => warnings.push(line),
    now: () => clock.t,
  };
  return { emitter, exits, warnings, signals, clock };
}

describe("onStop", () => {
  it("the first signal asks to stop once; a second one exits at once", () => {
    const p = fakeProcess();
    const stops: string[] = [];
    const off = onStop((why) => stops.push(why), p.signals);
    p.emitter.emit("SIGINT");
    expect(stops).toEqual(["signal"]);
    expect(p.exits).toEqual([]);
    p.clock.t += SIGNAL_ECHO_MS;
    p.emitter.emit("SIGINT");
    expect(stops).toEqual(["signal"]);
    expect(p.exits).toEqual([130]);
    expect(p.warnings.join("")).toMatch(/SIGINT again: exiting at once/);
    off();
  });

  it("one Ctrl-C delivered twice (the terminal's group signal and npm's forward) is one request, not two", () => {
    const p = fakeProcess();
    const stops: string[] = [];
    const off = onStop((why) => stops.push(why), p.signals);
    p.emitter.emit("SIGINT");
    p.clock.t += SIGNAL_ECHO_MS - 1;
    p.emitter.emit("SIGINT");
    expect(stops).toEqual(["signal"]);
    expect(p.exits).toEqual([]);
    expect(p.warnings).toEqual([]);
    off();
  });

  it("SIGTERM after SIGINT exits with 143", () => {
    const p = fakeProcess();
    const off = onStop(() => {}, p.signals);
    p.emitter.emit("SIGINT");
    p.emitter.emit("SIGTERM");
    expect(p.exits).toEqual([143]);
    off();
  });

  it("unregistering gives the signals back", () => {
    const p = fakeProcess();
    const off = onStop(() => {}, p.signals);
    expect(p.emitter.listenerCount("SIGINT")).toBe(1);
    expect(p.emitter.listenerCount("SIGTERM")).toBe(1);
    off();
    expect(p.emitter.listenerCount("SIGINT")).toBe(0);
    expect(p.emitter.listenerCount("SIGTERM")).toBe(0);
  });
});
