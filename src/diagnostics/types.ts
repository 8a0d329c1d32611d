/**
 * The doctor's contract: cause ids, check ids, the report shape (`atp doctor --json` prints exactly
 * `DoctorReport`) and the context a caller (CLI, engine, API, Telegram) hands to `diagnose()`.
 *
 * Invariants:
 * - Cause ids and check ids are a stable contract (API, Telegram, tests, docs use them).
 * - `causes` is ranked: confirmed before likely before possible, then by the order in which the
 *   exchange (and the network path before it) would hit the problem; `causes[0]` is the one to fix first.
 * - `verdict` is "problem" exactly when there is at least one cause or a check failed.
 * - No string in a report contains a configured secret (diagnose() also passes the report through
 *   the redactor as a last line of defence).
 */

import type { LookupFunction } from "node:net";
import type { ConfigReport } from "../config/load.js";
import type { JsonNumberText } from "../domain/json-text.js";
import type { Logger } from "../log/logger.js";

export const CAUSE_IDS = [
  "credentials_missing",
  "credentials_malformed",
  "credentials_swapped",
  "key_invalid_or_revoked",
  "wrong_environment",
  "ip_not_whitelisted",
  "clock_skew",
  "missing_trade_permission",
  "proxy_unreachable",
  "proxy_token_rejected",
  "proxy_upstream_rejected",
  "network_unreachable",
  "exchange_maintenance",
  "rate_limited",
  "signature_mismatch",
  "order_rejected",
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

export const CONFIDENCES = ["confirmed", "likely", "possible"] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export interface Cause {
  id: CauseId;
  confidence: Confidence;
  /** One sentence, specific to this run. */
  summary: string;
  /** What was observed (codes, values, measurements), most decisive first. */
  evidence: string[];
  /** Exact steps for this user (their IP, their offset, their corrected quantity). */
  fix: string[];
}

/** Checks in the order they are listed in every report (the checklist order). */
export const CHECK_IDS = [
  "config",
  "signing",
  "outbound_ip",
  "reachability",
  "clock",
  "proxy",
  "signed_read",
  "trade_permission",
  "withdraw_permission",
  "swapped_credentials",
  "nonce_window",
  "direct_vs_proxy",
  "order",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  detail: string;
  duration_ms: number;
}

/** Findings that are not failures: atp works, but something deserves a change (verdict unaffected). */
export const WARNING_IDS = ["key_can_withdraw"] as const;
export type WarningId = (typeof WARNING_IDS)[number];

export interface DoctorWarning {
  id: WarningId;
  summary: string;
  evidence: string[];
  fix: string[];
}

/** Exactly what `atp doctor --json` prints. */
export interface DoctorReport {
  verdict: "ok" | "problem";
  causes: Cause[];
  checks: CheckResult[];
  /** Warnings (key_can_withdraw); diagnose() always sets it, [] when there is none. */
  warnings?: DoctorWarning[];
  /** The IP the exchange sees for private calls (the proxy's own outbound IP in proxy mode). */
  outbound_ip: string | null;
  /** Exchange clock minus local clock, ms (positive: the exchange is ahead of us). */
  clock_offset_ms: number | null;
  base_url: string;
  via_proxy: boolean;
}

/** A decimal field of a failing order: a string as atp sends it, or the JSON number a caller sent. */
export type OrderValue = string | number | JsonNumberText;

/** The order that failed (from `--order JSON` or handed over by the engine). */
export interface FailingOrderInput {
  instrument_name?: string;
  /** Alias of instrument_name (the seed calls it "symbol"). */
  symbol?: string;
  side?: string;
  /** MARKET (default without a price) or LIMIT (default with a price). */
  type?: string;
  quantity?: OrderValue;
  notional?: OrderValue;
  price?: OrderValue;
  ref_price?: OrderValue;
  /** The quote amount the order was meant to be worth (e.g. "10.00" USD), for sizing and reports. */
  amount?: OrderValue;
}

/** The request that failed, as it was sent (method and params), for the signature self-check. */
export interface FailingRequest {
  method: string;
  params?: unknown;
}

/** What the engine got back, when it is not an ExchangeError instance. */
export interface EngineFailure {
  method?: string;
  code?: number;
  httpStatus?: number;
}

export interface DoctorTimeouts {
  /** Deadline of one network call (connect + answer). */
  callMs: number;
  /** Deadline of the whole run; checks still pending then are reported as skipped. */
  totalMs: number;
  /** Public requests used to measure the clock offset. */
  clockSamples: number;
  /** Pause between clock samples (spreads them over the Date header's 1 s resolution). */
  clockSampleGapMs: number;
}

export const DEFAULT_TIMEOUTS: DoctorTimeouts = {
  callMs: 3_000,
  totalMs: 8_000,
  clockSamples: 3,
  clockSampleGapMs: 150,
};

/** One network call the doctor made (for tests and the call budget in docs/doctor.md). */
export interface CallRecord {
  target: "exchange" | "ip_echo" | "proxy";
  method: string;
  via: "direct" | "proxy";
  outcome: string;
}

export interface DoctorContext {
  /** From `loadConfig()`; any configuration, however broken. */
  config: ConfigReport;
  order?: FailingOrderInput | undefined;
  request?: FailingRequest | undefined;
  /** The error the engine got (an ExchangeError, or just its code/status). */
  error?: EngineFailure | undefined;
  timeouts?: Partial<DoctorTimeouts> | undefined;
  logger?: Logger | undefined;
  /** DNS override for every connection the doctor makes (tests map real host names to 127.0.0.1). */
  lookup?: LookupFunction | undefined;
  /** Called for each network call (tests assert the call budget and that no order is placed). */
  onCall?: ((call: CallRecord) => void) | undefined;
  /** Called with every finished report (the store keeps the last one for the dashboard). */
  onReport?: ((report: DoctorReport) => void | Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}
