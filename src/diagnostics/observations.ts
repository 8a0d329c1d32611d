/**
 * Everything one doctor run observed, gathered by diagnose.ts and turned into causes by decide.ts.
 * Keeping the observation pure data makes every decision rule testable without a network.
 */
import type { Finding } from "../config/load.js";
import type { ExchangeError } from "../exchange/cryptocom/errors.js";
import type { CredentialAssessment } from "./credentials.js";
import type { EnvironmentInfo } from "./environment.js";
import type { OrderAssessment } from "./order-check.js";
import type { Outcome } from "./outcome.js";
import type { PathFailure } from "./path-failure.js";
import type { IpAnswer, ProxyHealth } from "./probe-client.js";
import type { NumberHazard, SelfTestResult } from "./self-test.js";

export interface ClockReading {
  /** Exchange − local, ms (midpoint of the intersected interval). */
  offsetMs: number;
  /** Half the width of the interval the true offset lies in. */
  uncertaintyMs: number;
  samples: number;
}

export interface DnsReading {
  host: string;
  addresses: string[];
  failure: PathFailure | undefined;
  ms: number;
}

export interface EngineErrorInfo {
  method: string | undefined;
  code: number | undefined;
  httpStatus: number | undefined;
  category: ExchangeError["category"];
  codeName: string;
}

export type Skipped = { skipped: string };

export interface Observations {
  baseUrl: string;
  env: EnvironmentInfo;
  viaProxy: boolean;
  proxyUrl: string | undefined;
  proxyToken: string | undefined;
  liveTrading: boolean;
  localAddress: string | undefined;
  outboundIpUrl: string;
  creds: CredentialAssessment;
  /** Config errors and warnings not about the credentials. */
  otherErrors: Finding[];
  otherWarnings: Finding[];
  selfTest: SelfTestResult;
  /** JSON numbers in the failing request or order (signature hazards). */
  hazards: NumberHazard[];
  directIp: IpAnswer | undefined;
  proxyIp: IpAnswer | undefined;
  dns: DnsReading | undefined;
  /** The first public call (reachability). */
  publicProbe: Outcome | undefined;
  clock: ClockReading | undefined;
  /** Proxy host clock − local, ms (from the proxy's Date header). */
  proxyClockOffsetMs: number | undefined;
  proxyHealth: ProxyHealth | undefined;
  /** private/user-balance on the configured path (direct, or via the proxy). */
  read: Outcome | Skipped;
  /** private/cancel-order for an order id that cannot exist. */
  tradeProbe: Outcome | Skipped;
  /** private/get-deposit-address (direct mode, after a successful read): can the key withdraw? */
  withdrawProbe?: Outcome | Skipped | undefined;
  probeOrderId: string;
  /** The read with key and secret exchanged. */
  swapped: Outcome | Skipped;
  /** The read with the nonce corrected by the measured offset. */
  nonceRetry: Outcome | Skipped;
  /** In proxy mode with local credentials: the same read sent directly. */
  direct: Outcome | Skipped;
  order: OrderAssessment | undefined;
  orderProblem: string | undefined;
  engine: EngineErrorInfo | undefined;
  serverErrors: string[];
  deadlineHit: boolean;
}

export function isSkipped(v: Outcome | Skipped | undefined): v is Skipped | undefined {
  return v === undefined || "skipped" in v;
}

export function ran(v: Outcome | Skipped | undefined): Outcome | undefined {
  return isSkipped(v) ? undefined : v;
}
