/**
 * Key hygiene at start, for `atp start` (every mode whose client has a key: live, dry run with
 * credentials, the demo; or whose signing proxy has one): runs `checkWithdrawKeyAtStart` in the
 * background and keeps its result for the engine and the API.
 *
 * Invariants:
 * - Off the ready path: `run()` returns at once; the reading arrives later (`settled`).
 * - With ATP_REFUSE_WITHDRAW_KEYS=true live orders fail closed: `liveRefusal()` names a reason
 *   while the check has not answered and when the key can withdraw, so the trader opens new
 *   intents in dry run (src/trading/context.ts resolveMode) and the API shows why. A key whose
 *   ability stays unknown (null) never blocks trading (key-hygiene.ts).
 * - Without `refuse` nothing is ever refused; the reading is shown and logged only.
 * - A newer run (the demo's key changed) replaces an older one's result, never the other way round.
 */
import type { ApiKeyHygiene } from "../../api/contract/types.js";
import type { Logger } from "../../log/logger.js";
import type { WithdrawKeyVerdict } from "../key-hygiene.js";

export interface KeyHygieneGateOptions {
  /** ATP_REFUSE_WITHDRAW_KEYS. */
  refuse: boolean;
  /** The client (or its proxy) has a key to check; false: nothing to check, nothing refused. */
  applies: boolean;
  check: () => Promise<WithdrawKeyVerdict>;
  log: Logger;
}

export class KeyHygieneGate {
  private verdict: WithdrawKeyVerdict | undefined;
  private runs = 0;
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly o: KeyHygieneGateOptions) {}

  /** Starts a check in the background (no-op when nothing applies); `settled` ends with it. */
  run(): void {
    if (!this.o.applies) return;
    const run = ++this.runs;
    this.verdict = undefined;
    this.pending = this.o.check().then(
      (v) => {
        if (run === this.runs) this.verdict = v;
      },
      (err: unknown) => {
        this.o.log.warn({ err }, "key hygiene: the check failed; the key's ability stays unknown");
        if (run === this.runs) {
          this.verdict = {
            keyCanWithdraw: null,
            via: "direct",
            detail: `the check failed: ${err instanceof Error ? err.message : String(err)}`,
            liveAllowed: true,
            reason: undefined,
          };
        }
      },
    );
  }

  /** Resolves once the latest check ended. */
  get settled(): Promise<void> {
    return this.pending;
  }

  /** Why no live order may be sent now; undefined when they may. */
  liveRefusal(): string | undefined {
    if (!this.o.applies || !this.o.refuse) return undefined;
    if (!this.verdict)
      return "ATP_REFUSE_WITHDRAW_KEYS=true: live orders wait for the key hygiene check (is the key able to withdraw?)";
    return this.verdict.liveAllowed
      ? undefined
      : `ATP_REFUSE_WITHDRAW_KEYS=true: ${this.verdict.reason ?? "the API key can withdraw"}`;
  }

  /** The reading as the dashboard shows it (`trading_refused` from liveRefusal()). */
  view(): ApiKeyHygiene {
    const trading_refused = this.liveRefusal() !== undefined;
    if (!this.o.applies)
      return {
        key_can_withdraw: null,
        via: null,
        detail: "no API key configured: nothing to check",
        trading_refused,
      };
    const v = this.verdict;
    if (!v) return { key_can_withdraw: null, via: null, detail: "checking the key…", trading_refused };
    return { key_can_withdraw: v.keyCanWithdraw, via: v.via, detail: v.detail, trading_refused };
  }
}
