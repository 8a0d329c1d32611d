/**
 * The start-up key hygiene gate (src/app/platform/key-hygiene-gate.ts) and its dashboard mapping
 * (src/api/mappers/key-hygiene.ts): fail closed while the check is out with
 * ATP_REFUSE_WITHDRAW_KEYS=true, never refuse without it or for an unknown key, a newer check wins,
 * and a failing check or source leaves the key unknown instead of failing the caller.
 */
import { describe, expect, it } from "vitest";
import { keyHygieneOf } from "../../src/api/mappers/key-hygiene.js";
import type { WithdrawKeyVerdict } from "../../src/app/key-hygiene.js";
import { PlatformEngineStatus } from "../../src/app/platform/engine-status.js";
import { KeyHygieneGate } from "../../src/app/platform/key-hygiene-gate.js";
import { createLogger } from "../../src/log/logger.js";
import type { Store } from "../../src/store/types.js";

const log = createLogger({ level: "silent", pretty: false });

const CAN: WithdrawKeyVerdict = {
  keyCanWithdraw: true,
  via: "direct",
  detail: "private/get-deposit-address answered",
  liveAllowed: false,
  reason: "the API key can withdraw (key_can_withdraw); a trading bot never needs that.",
};
const CANNOT: WithdrawKeyVerdict = {
  keyCanWithdraw: false,
  via: "direct",
  detail: "private/get-deposit-address refused (40101)",
  liveAllowed: true,
  reason: undefined,
};

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("KeyHygieneGate", () => {
  it("with refuse: refused while the check is out and when the key can withdraw; allowed when it cannot", async () => {
    const answers = [deferred<WithdrawKeyVerdict>(), deferred<WithdrawKeyVerdict>()];
    let n = 0;
    const gate = new KeyHygieneGate({ refuse: true, applies: true, log, check: () => answers[n++]!.promise });
    gate.run();
    expect(gate.liveRefusal()).toMatch(/live orders wait for the key hygiene check/);
    expect(gate.view()).toMatchObject({ key_can_withdraw: null, via: null, trading_refused: true });
    answers[0]!.resolve(CAN);
    await gate.settled;
    expect(gate.liveRefusal()).toBe(`ATP_REFUSE_WITHDRAW_KEYS=true: ${CAN.reason}`);
    expect(gate.view()).toEqual({
      key_can_withdraw: true,
      via: "direct",
      detail: CAN.detail,
      trading_refused: true,
    });
    gate.run();
    answers[1]!.resolve(CANNOT);
    await gate.settled;
    expect(gate.liveRefusal()).toBeUndefined();
    expect(gate.view()).toMatchObject({ key_can_withdraw: false, trading_refused: false });
  });

  it("without refuse nothing is ever refused, not even while checking", async () => {
    const gate = new KeyHygieneGate({ refuse: false, applies: true, log, check: async () => CAN });
    gate.run();
    expect(gate.liveRefusal()).toBeUndefined();
    await gate.settled;
    expect(gate.liveRefusal()).toBeUndefined();
    expect(gate.view()).toMatchObject({ key_can_withdraw: true, trading_refused: false });
  });

  it("a newer check wins over an older one that answers late", async () => {
    const slow = deferred<WithdrawKeyVerdict>();
    const checks = [() => slow.promise, async () => CANNOT];
    let n = 0;
    const gate = new KeyHygieneGate({ refuse: true, applies: true, log, check: () => checks[n++]!() });
    gate.run();
    gate.run();
    await gate.settled;
    slow.resolve(CAN);
    await slow.promise;
    expect(gate.view().key_can_withdraw).toBe(false);
    expect(gate.liveRefusal()).toBeUndefined();
  });

  it("a check that throws leaves the key unknown and trading allowed; no key: nothing to check", async () => {
    const gate = new KeyHygieneGate({
      refuse: true,
      applies: true,
      log,
      check: () => Promise.reject(new Error("socket hang up")),
    });
    gate.run();
    await gate.settled;
    expect(gate.liveRefusal()).toBeUndefined();
    expect(gate.view()).toMatchObject({ key_can_withdraw: null, trading_refused: false });
    expect(gate.view().detail).toContain("socket hang up");

    let called = false;
    const none = new KeyHygieneGate({
      refuse: true,
      applies: false,
      log,
      check: async () => {
        called = true;
        return CAN;
      },
    });
    none.run();
    await none.settled;
    expect(called).toBe(false);
    expect(none.liveRefusal()).toBeUndefined();
    expect(none.view()).toMatchObject({ key_can_withdraw: null, via: null, trading_refused: false });
  });
});

describe("the engine status and the dashboard's key_hygiene", () => {
  const store = {
    settings: { liveTrading: async () => ({ value: true, why: "stored" as const }) },
  } as unknown as Store;

  it("mode is DRY_RUN while live orders are refused, whatever the switch; the mapper agrees", async () => {
    const gate = new KeyHygieneGate({ refuse: true, applies: true, log, check: async () => CAN });
    const status = new PlatformEngineStatus({
      engine: () => undefined,
      store,
      envLiveTrading: true,
      liveMode: "DEMO",
      running: () => true,
      keyHygiene: gate,
    });
    gate.run();
    await gate.settled;
    expect(await status.mode()).toBe("DRY_RUN");
    expect(keyHygieneOf(status)).toMatchObject({ key_can_withdraw: true, trading_refused: true });
  });

  it("a source that is absent or throws is 'not checked', never an exception", () => {
    expect(keyHygieneOf({})).toEqual({
      key_can_withdraw: null,
      via: null,
      detail: "not checked in this process",
      trading_refused: false,
    });
    const broken = keyHygieneOf({
      keyHygiene: () => {
        throw new Error("boom");
      },
    });
    expect(broken).toMatchObject({ key_can_withdraw: null, trading_refused: false });
    expect(broken.detail).toContain("boom");
  });
});
