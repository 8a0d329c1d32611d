/** Breaker test fixtures: a SQLite store, ManualTime, a recording doctor, and request counters on the emulator. */
import type { EmulatorHandle } from "../../../src/emulator/index.js";
import type { ExchangeClient } from "../../../src/exchange/types.js";
import type { Json, Store } from "../../../src/store/types.js";
import { AuthBreaker, type AuthDiagnosisContext } from "../../../src/trading/breaker/index.js";
import { ManualTime } from "../../../src/util/clock.js";
import { quietLogger } from "../../store/helpers.js";

/** Polls `cond` with short real waits (real loopback I/O must complete); fails after ~5 s. */
export async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Counts requests the emulator's HTTP server received for `method` (a 0 ms latency fault fires
 * before the key check, so unauthenticated requests are counted too).
 */
export function countRequests(emu: EmulatorHandle, method: string): () => number {
  emu.admin.addFault({ kind: "latency", ms: 0, methods: [method] });
  const index = emu.admin.faults().length - 1;
  return () => emu.admin.faults()[index]?.fired ?? 0;
}

export interface BreakerFixture {
  breaker: AuthBreaker;
  time: ManualTime;
  doctorCalls: AuthDiagnosisContext[];
  recovered: string[];
}

export function makeBreaker(
  store: Store,
  inner: ExchangeClient,
  probeIntervalsMs?: number[],
): BreakerFixture {
  const time = new ManualTime();
  const doctorCalls: AuthDiagnosisContext[] = [];
  const recovered: string[] = [];
  const breaker = new AuthBreaker({
    inner,
    store,
    time,
    logger: quietLogger(),
    probeIntervalsMs,
    diagnose: async (context) => {
      doctorCalls.push(context);
      const report: Json = { checks: [{ id: "auth.key", ok: false }] };
      return { verdict: "key rejected", topCause: "revoked_key", report };
    },
  });
  breaker.onRecovered((incident) => {
    recovered.push(incident.id);
  });
  return { breaker, time, doctorCalls, recovered };
}

export async function eventsOf(store: Store, kind: string) {
  return (await store.events.after(0, 1000)).filter((e) => e.kind === kind);
}
