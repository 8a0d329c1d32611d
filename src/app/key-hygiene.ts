/**
 * Key hygiene: a trading bot never needs to withdraw. The exchange's deposit-address endpoint needs
 * the key's withdrawal setting (reference §9), so a harmless `private/get-deposit-address` tells
 * whether the key can withdraw. `checkWithdrawKeyAtStart` reads it (directly, or in proxy mode
 * from the proxy's GET /health `key_can_withdraw`, since the proxy refuses to sign that method),
 * logs a warning when the key can withdraw and, with ATP_REFUSE_WITHDRAW_KEYS=true, says no live
 * order may be sent (the caller, platform/key-hygiene-gate.ts, keeps new intents in dry run).
 *
 * Invariants:
 * - A refusal of the deposit-address read counts as "cannot withdraw" only after the same key's
 *   `private/user-balance` was accepted (else a bad key would look like a safe one); unknown
 *   stays unknown (null) and never blocks trading.
 * - Decisions by error category, never message text; nothing secret is logged.
 */

import type { ConfigReport } from "../config/load.js";
import type { RawResponse, RequestOptions } from "../exchange/cryptocom/raw-response.js";
import type { Params } from "../exchange/cryptocom/signing.js";
import {
  canWithdrawFrom,
  WITHDRAW_PROBE_METHOD,
  WITHDRAW_PROBE_PARAMS,
} from "../exchange/cryptocom/withdraw-permission.js";
import type { Logger } from "../log/logger.js";

/** What key-hygiene needs of the exchange client (CryptoComClient). */
export interface KeyProbeClient {
  readonly usesProxy: boolean;
  request(method: string, params?: Params, opts?: RequestOptions): Promise<RawResponse>;
}

export interface WithdrawKeyReading {
  /** true: the key can withdraw; false: it cannot; null: not known. */
  keyCanWithdraw: boolean | null;
  via: "direct" | "proxy";
  /** How it was read (for logs and the dashboard). */
  detail: string;
}

/** Reads the withdraw ability of the configured key (direct) or of the proxy's key. */
export async function readWithdrawPermission(
  client: KeyProbeClient,
  proxy: { url: string } | undefined,
  fetchJson: (url: string) => Promise<unknown> = defaultFetchJson,
): Promise<WithdrawKeyReading> {
  if (client.usesProxy && proxy) {
    try {
      const h = (await fetchJson(`${proxy.url.replace(/\/+$/, "")}/health`)) as {
        key_can_withdraw?: unknown;
      };
      const v = h && typeof h === "object" ? h.key_can_withdraw : undefined;
      const known = typeof v === "boolean" ? v : null;
      return {
        keyCanWithdraw: known,
        via: "proxy",
        detail: `the proxy's /health: key_can_withdraw ${known}`,
      };
    } catch (err) {
      return {
        keyCanWithdraw: null,
        via: "proxy",
        detail: `the proxy's /health did not answer (${(err as Error).message})`,
      };
    }
  }
  const read = await client.request("private/user-balance", {});
  if (!read.ok)
    return {
      keyCanWithdraw: null,
      via: "direct",
      detail: `private/user-balance refused (${read.code ?? read.error?.category})`,
    };
  // quiet: its refusal is the good answer, not an exchange failure (status, metrics, auth log)
  const r = await client.request(WITHDRAW_PROBE_METHOD, { ...WITHDRAW_PROBE_PARAMS }, { quiet: true });
  const keyCanWithdraw = canWithdrawFrom(r.ok ? 0 : r.code);
  const what =
    keyCanWithdraw === true
      ? "answered"
      : keyCanWithdraw === false
        ? `refused (${r.code})`
        : `not known (${r.code ?? r.error?.category})`;
  return { keyCanWithdraw, via: "direct", detail: `${WITHDRAW_PROBE_METHOD} ${what}` };
}

async function defaultFetchJson(url: string): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return res.json();
}

export const WITHDRAW_KEY_FIX =
  "exchange.crypto.com → Settings → API Keys: create a key with Read + Trade only (withdrawal off), whitelist the IP, replace the key (docs/operations.md#rotating-keys-without-downtime), delete the old one.";

export interface WithdrawKeyVerdict extends WithdrawKeyReading {
  /** false: do not trade live with this key (ATP_REFUSE_WITHDRAW_KEYS=true and it can withdraw). */
  liveAllowed: boolean;
  reason: string | undefined;
}

/**
 * The start-up check (`atp start` calls it once the client exists): warns at every start when the
 * key can withdraw; with `refuse` (ATP_REFUSE_WITHDRAW_KEYS) the verdict forbids live trading.
 */
export async function checkWithdrawKeyAtStart(
  client: KeyProbeClient,
  opts: {
    proxy: { url: string } | undefined;
    refuse: boolean;
    log: Logger;
    fetchJson?: (url: string) => Promise<unknown>;
  },
): Promise<WithdrawKeyVerdict> {
  const reading = await readWithdrawPermission(client, opts.proxy, opts.fetchJson);
  const whose = reading.via === "proxy" ? "the signing proxy's API key" : "the API key";
  if (reading.keyCanWithdraw !== true) {
    opts.log.info(
      { key_can_withdraw: reading.keyCanWithdraw, via: reading.via, detail: reading.detail },
      "key hygiene: checked",
    );
    return { ...reading, liveAllowed: true, reason: undefined };
  }
  const reason = `${whose} can withdraw (key_can_withdraw); a trading bot never needs that. ${WITHDRAW_KEY_FIX}`;
  if (opts.refuse) {
    opts.log.error(
      { key_can_withdraw: true, via: reading.via },
      `key hygiene: live trading refused (ATP_REFUSE_WITHDRAW_KEYS=true; no live order is sent, new intents run in dry run): ${reason}`,
    );
    return { ...reading, liveAllowed: false, reason };
  }
  opts.log.warn({ key_can_withdraw: true, via: reading.via }, `key hygiene: ${reason}`);
  return { ...reading, liveAllowed: true, reason };
}

/** The config report's proxy target, for `checkWithdrawKeyAtStart`. */
export function proxyTargetOf(report: ConfigReport): { url: string } | undefined {
  const p = report.config.proxy;
  return p.enabled && p.url ? { url: p.url } : undefined;
}
