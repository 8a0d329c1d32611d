/**
 * The signed probes: `private/user-balance` on the configured path, then the trade-permission probe
 * (after a successful read) or the one discriminating experiment its refusal calls for, and in proxy
 * mode the same read sent directly. Each returns a typed reading.
 *
 * Invariants:
 * - Never places an order: the only trade call is `private/cancel-order` for an order id that
 *   cannot exist (`probeOrderId`).
 * - At most 2 `private/user-balance`, 1 `private/cancel-order` and 1 `private/get-deposit-address`
 *   per run, and at most 3 private calls: the deposit-address read (does the key have the
 *   withdrawal setting? reference §9) runs only in direct mode after the first read succeeded,
 *   when neither the swapped nor the corrected-nonce read can follow.
 * - The swapped experiment (the secret sent as api_key) runs only after an `auth` refusal (40101,
 *   never a permission refusal such as 10002) and only against Crypto.com's own hosts or loopback.
 */

import { randomInt } from "node:crypto";
import {
  WITHDRAW_PROBE_METHOD,
  WITHDRAW_PROBE_PARAMS,
} from "../../exchange/cryptocom/withdraw-permission.js";
import type { CredentialAssessment } from "../credentials.js";
import type { EnvironmentInfo } from "../environment.js";
import type { ClockReading, Skipped } from "../observations.js";
import { codeOf, type Outcome } from "../outcome.js";
import type { PrivateRoute, ProbeCredentials, ProxyTarget } from "../probe-client.js";
import { answered } from "../rules/readings.js";
import type { ProbeRun } from "./run.js";

const BALANCE = "private/user-balance";
const CANCEL = "private/cancel-order";

const skip = (why: string): Skipped => ({ skipped: why });

/** An order id that cannot exist: 19 digits starting 9000000 (inside a signed 64-bit long). */
export function probeOrderId(): string {
  let s = "9000000";
  while (s.length < 19) s += String(randomInt(0, 10));
  return s;
}

export interface SignedReading {
  /** private/user-balance on the configured path (direct, or via the proxy). */
  read: Outcome | Skipped;
  /** private/cancel-order for an order id that cannot exist. */
  tradeProbe: Outcome | Skipped;
  /** private/get-deposit-address: answered only for a key that can withdraw. */
  withdrawProbe: Outcome | Skipped;
  /** The read with key and secret exchanged. */
  swapped: Outcome | Skipped;
  /** The read with the nonce corrected by the measured offset. */
  nonceRetry: Outcome | Skipped;
}

export interface SignedPath {
  viaProxy: boolean;
  proxy: ProxyTarget | undefined;
  local: ProbeCredentials | undefined;
  creds: CredentialAssessment;
  env: EnvironmentInfo;
  probeOrderId: string;
  /** The clock offset once the public samples are in (for the corrected-nonce read). */
  measuredClock: () => Promise<ClockReading | undefined>;
}

export async function probeSignedPath(run: ProbeRun, p: SignedPath): Promise<SignedReading> {
  const r: SignedReading = {
    read: skip("not run"),
    tradeProbe: skip("not run"),
    withdrawProbe: skip(p.viaProxy ? "proxy mode: the proxy's /health reports key_can_withdraw" : "not run"),
    swapped: skip("only after a 40101 on the signed read"),
    nonceRetry: skip("only after a 40102 on the signed read"),
  };
  if (p.viaProxy && !p.proxy) {
    return {
      ...r,
      read: skip("no proxy URL"),
      tradeProbe: skip("no proxy URL"),
      withdrawProbe: skip("no proxy URL"),
    };
  }
  if (!p.proxy && !p.local) {
    const why = p.creds.malformed.length > 0 ? "the credentials are malformed" : "no credentials configured";
    return { ...r, read: skip(why), tradeProbe: skip(why), withdrawProbe: skip(why) };
  }
  const configured: PrivateRoute = { route: "configured" };
  const tradeProbe = (how: PrivateRoute) =>
    run.durations.timed("trade_permission", () =>
      run.calls.privateCall(CANCEL, { order_id: p.probeOrderId }, how),
    );

  const read = await run.durations.timed("signed_read", () => run.calls.privateCall(BALANCE, {}, configured));
  r.read = read;
  if (read.kind === "ok") {
    const withdraw = p.proxy
      ? undefined
      : run.durations.timed("withdraw_permission", () =>
          run.calls.privateCall(WITHDRAW_PROBE_METHOD, { ...WITHDRAW_PROBE_PARAMS }, configured),
        );
    r.tradeProbe = await tradeProbe(configured);
    if (withdraw) r.withdrawProbe = await withdraw;
    return r;
  }
  if (!p.proxy) r.withdrawProbe = skip("the signed read failed: the key's withdrawal setting cannot be read");
  r.tradeProbe = skip("the signed read failed: the probe would fail the same way");
  if (p.proxy || !p.local) return r;
  // only an auth refusal (40101) can mean swapped credentials; a permission refusal (10002) cannot
  if (answered(read, "auth")) {
    r.swapped =
      p.env.official || p.env.loopback
        ? await run.durations.timed("swapped_credentials", () =>
            run.calls.privateCall(BALANCE, {}, { route: "swapped" }),
          )
        : skip(
            `not run against ${p.env.host}: it would send the secret as the key to a host that is not Crypto.com's`,
          );
  } else if (answered(read, "nonce")) {
    const clock = await p.measuredClock();
    if (!clock) {
      r.nonceRetry = skip("the clock offset could not be measured");
      return r;
    }
    const corrected: PrivateRoute = { route: "direct", nonceOffsetMs: clock.offsetMs };
    const retry = await run.durations.timed("nonce_window", () =>
      run.calls.privateCall(BALANCE, {}, corrected),
    );
    r.nonceRetry = retry;
    if (retry.kind === "ok") r.tradeProbe = await tradeProbe(corrected);
  } else if (answered(read, "ip_not_whitelisted")) {
    r.swapped = skip(`after a ${codeOf(read)} the key is known to the exchange: not swapped`);
  }
  return r;
}

/** Proxy mode with local credentials: the same read sent directly (is the proxy the problem?). */
export function probeDirectComparison(run: ProbeRun, p: SignedPath): Promise<Outcome | Skipped> {
  if (!(p.proxy && p.local)) {
    return Promise.resolve(
      skip(p.viaProxy ? "no local credentials to compare with" : "USE_CRYPTO_PROXY is off"),
    );
  }
  return run.durations.timed("direct_vs_proxy", () =>
    run.calls.privateCall(BALANCE, {}, { route: "direct" }),
  );
}
