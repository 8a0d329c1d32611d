/**
 * The demo's faults (`DemoControls`): the doctor's causes (and its key_can_withdraw warning) the
 * in-process emulator can produce, switched through its admin API (`handle.admin`), for
 * `atp start --demo-fault CAUSE` and `POST /api/demo/fault`. Each is produced the way the real
 * exchange would meet it:
 *   ip_not_whitelisted       the demo key's whitelist names another address (40103)
 *   clock_skew               the exchange clock runs 2 minutes ahead (nonce outside ±60 s: 40102)
 *   key_invalid_or_revoked   the demo key is disabled (40101)
 *   missing_trade_permission the demo key may only read (orders refused)
 *   exchange_maintenance     every request answers 9010001 SYSTEM_MAINTENANCE
 *   rate_limited             every request answers 42901 TOO_MANY_REQUESTS
 *   key_can_withdraw         the demo key may also withdraw (private/get-deposit-address answers):
 *                            key hygiene at start warns, ATP_REFUSE_WITHDRAW_KEYS=true refuses it
 *
 * Invariants:
 * - Exactly one fault at a time: setting one first restores the healthy demo (the key as the demo
 *   starts with it, clock offset 0, no injected faults); `null` only restores.
 * - Cause names are looked up in a Map; an unknown one is refused with the list (nothing changes).
 */
import type { DemoControls } from "../../api/deps.js";
import type { EmulatorAdmin, KeyInput } from "../../emulator/index.js";

/** The shorter spellings of two causes. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ["key_revoked", "key_invalid_or_revoked"],
  ["read_only_key", "missing_trade_permission"],
  ["maintenance", "exchange_maintenance"],
]);

type Apply = (admin: EmulatorAdmin, key: KeyInput) => void;

const FAULTS: ReadonlyMap<string, Apply> = new Map<string, Apply>([
  ["ip_not_whitelisted", (a, k) => a.upsertKey({ ...k, ip_whitelist: ["203.0.113.7"] })],
  ["clock_skew", (a) => a.setClockOffset(120_000)],
  ["key_invalid_or_revoked", (a, k) => a.upsertKey({ ...k, enabled: false })],
  ["missing_trade_permission", (a, k) => a.upsertKey({ ...k, permissions: ["read"] })],
  ["exchange_maintenance", (a) => a.addFault({ kind: "error", code: 9010001 })],
  ["rate_limited", (a) => a.addFault({ kind: "error", code: 42901 })],
  ["key_can_withdraw", (a, k) => a.upsertKey({ ...k, permissions: ["read", "trade", "withdraw"] })],
]);

/** The causes `--demo-fault` accepts (the doctor's ids), for `--help`. */
export const DEMO_FAULT_CAUSES: readonly string[] = [...FAULTS.keys()];

/** The doctor's cause id for a name (an id or one of its aliases); undefined when unknown. */
export function demoFaultCause(name: string): string | undefined {
  const id = ALIASES.get(name) ?? name;
  return FAULTS.has(id) ? id : undefined;
}

export function demoFaultHelp(): string {
  const aliases = [...ALIASES].map(([a, id]) => `${a} = ${id}`).join(", ");
  return `${DEMO_FAULT_CAUSES.join(", ")} (also ${aliases})`;
}

export interface EmulatorDemoControlsOptions {
  admin: () => EmulatorAdmin;
  /** The demo key as the demo starts with it (healthy). */
  key: KeyInput;
  /** After each change (the platform re-runs the doctor). */
  onChange?: (cause: string | null) => void;
}

export class EmulatorDemoControls implements DemoControls {
  readonly available = DEMO_FAULT_CAUSES;
  private cause: string | null = null;

  constructor(private readonly o: EmulatorDemoControlsOptions) {}

  current(): string | null {
    return this.cause;
  }

  async set(name: string | null): Promise<void> {
    const id = name === null ? null : demoFaultCause(name);
    if (id === undefined)
      throw new RangeError(`unknown demo fault ${JSON.stringify(name)}; one of ${demoFaultHelp()}`);
    const admin = this.o.admin();
    admin.upsertKey(this.o.key);
    admin.setClockOffset(0);
    admin.clearFaults();
    if (id !== null) FAULTS.get(id)?.(admin, this.o.key);
    this.cause = id;
    this.o.onChange?.(id);
  }
}
