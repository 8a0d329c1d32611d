/**
 * The connection test shared by `atp test-connection` and the demo: public ticker, then (after
 * logging the outbound IP with CRYPTO_COM_OUTBOUND_IP) signed private/user-balance, open orders and
 * order history. Each step reports PASS/FAIL with the exchange code, its name, meaning and remedy.
 * A use case, not wiring: it takes the client it tests (the composition root builds it), and lives
 * with the doctor because it is the doctor's quick check (`atp doctor` names the cause of a FAIL).
 *
 * Invariants:
 * - The whole test has one deadline (`deadlineMs`): an exchange that never answers costs at most
 *   that long, however many retries a step would make. The step running when it passes fails with
 *   "deadline", the later ones are reported as not run, and `deadline_hit` says so; the caller then
 *   destroys the client instead of waiting for the requests still in flight.
 * - Step details never show a URL's user info (transport errors quote the URL).
 * - The outbound IP is asked through the client's own transport (the one fetcher,
 *   exchange/cryptocom/outbound-ip.ts): the address the exchange sees for these very calls.
 */
import { ExchangeError } from "../exchange/cryptocom/errors.js";
import type { OutboundIpSource } from "../exchange/cryptocom/outbound-ip.js";
import type { ExchangeClient } from "../exchange/types.js";
import { type Logger, logOutboundIp } from "../log/logger.js";
import { displayUrl } from "../util/url.js";

/** Default overall deadline of a connection test (four calls and the IP lookup, retries included). */
export const DEFAULT_CONNECTION_DEADLINE_MS = 20_000;

/** The IP echo's own deadline, so a blocked echo service leaves the rest of the test its time. */
const OUTBOUND_IP_TIMEOUT_MS = 5_000;

export interface StepResult {
  step: string;
  method: string;
  pass: boolean;
  detail: string;
  code?: number | undefined;
  code_name?: string | undefined;
  meaning?: string | undefined;
  fix?: string | undefined;
  duration_ms: number;
}

export interface ConnectionTestResult {
  ok: boolean;
  outbound_ip: string | null;
  /** The overall deadline passed before every step had finished. */
  deadline_hit: boolean;
  deadline_ms: number;
  steps: StepResult[];
}

export interface ConnectionTestOptions {
  symbol: string;
  outboundIpUrl: string;
  /** The client's EXCHANGE_LOCAL_ADDRESS, named in the outbound-IP log line. */
  localAddress?: string | undefined;
  log: Logger;
  /** Called after each step (the CLI prints it as it goes). */
  onStep?: (s: StepResult) => void;
  onOutboundIp?: (ip: string | undefined) => void;
  /** Overall deadline of the whole test (default DEFAULT_CONNECTION_DEADLINE_MS). */
  deadlineMs?: number | undefined;
}

/** A promise that settles with "deadline" after `ms`, and the function that cancels its timer. */
function deadlineAfter(ms: number): { expired: Promise<"deadline">; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"deadline">((resolve) => {
    timer = setTimeout(() => resolve("deadline"), ms);
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export async function runConnectionTest(
  client: ExchangeClient & OutboundIpSource,
  o: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const steps: StepResult[] = [];
  const deadlineMs = o.deadlineMs ?? DEFAULT_CONNECTION_DEADLINE_MS;
  const deadline = deadlineAfter(deadlineMs);
  let deadlineHit = false;
  const notRun = `not run: the connection test's deadline of ${seconds(deadlineMs)} had passed`;

  /** `work`, or "deadline" when the deadline passes first (the work is then abandoned, its failure ignored). */
  async function beforeDeadline<T>(work: Promise<T>): Promise<T | "deadline"> {
    work.catch(() => {});
    const r = await Promise.race([work, deadline.expired]);
    if (r === "deadline") deadlineHit = true;
    return r;
  }

  async function step(name: string, method: string, fn: () => Promise<string>): Promise<void> {
    const start = performance.now();
    let s: StepResult;
    if (deadlineHit) {
      s = { step: name, method, pass: false, detail: notRun, duration_ms: 0 };
      steps.push(s);
      o.onStep?.(s);
      return;
    }
    try {
      const detail = await beforeDeadline(fn());
      s =
        detail === "deadline"
          ? {
              step: name,
              method,
              pass: false,
              detail: `deadline: no answer before the connection test's deadline of ${seconds(deadlineMs)}`,
              duration_ms: 0,
            }
          : { step: name, method, pass: true, detail, duration_ms: 0 };
    } catch (err) {
      const e = err instanceof ExchangeError ? err : undefined;
      s = {
        step: name,
        method,
        pass: false,
        // an exchange answer shows its code and name; a transport or proxy failure what happened
        detail: displayUrl(
          e
            ? e.code !== undefined
              ? `${e.code} ${e.codeName}`
              : `${e.category}: ${e.exchangeMessage ?? e.message}`
            : err instanceof Error
              ? err.message
              : String(err),
        ),
        code: e?.code,
        code_name: e?.codeName,
        meaning: e?.info?.meaning,
        fix: e?.info?.remedy,
        duration_ms: 0,
      };
    }
    s.duration_ms = Math.round(performance.now() - start);
    steps.push(s);
    o.onStep?.(s);
  }

  try {
    await step("public ticker", "public/get-tickers", async () => {
      const [t] = await client.getTickers(o.symbol);
      if (!t) throw new Error(`no ticker for ${o.symbol}`);
      return `${o.symbol} last=${t.last?.toFixed() ?? "n/a"} bid=${t.bid?.toFixed() ?? "n/a"} ask=${t.ask?.toFixed() ?? "n/a"}`;
    });
    let ip: string | undefined;
    if (!deadlineHit) {
      // through the client's own transport: the address the exchange sees for these calls
      const found = await beforeDeadline(
        client.outboundIp(o.outboundIpUrl, { timeoutMs: OUTBOUND_IP_TIMEOUT_MS }),
      );
      ip = found === "deadline" ? undefined : found.ip;
      if (ip) logOutboundIp(o.log, ip, o.localAddress ? `bound to ${o.localAddress}` : "direct");
      o.onOutboundIp?.(ip);
    }
    await step("signed balance", "private/user-balance", async () => {
      const b = await client.getBalance();
      const held = b.currencies
        .filter((x) => !x.total.isZero())
        .map((x) => `${x.currency}=${x.total.toFixed()}`);
      return held.length > 0 ? held.join(" ") : "no balances";
    });
    await step(
      "open orders",
      "private/get-open-orders",
      async () => `${(await client.getOpenOrders()).length} open`,
    );
    await step(
      "order history",
      "private/get-order-history",
      async () => `${(await client.getOrderHistory()).length} in the last day`,
    );
    return {
      ok: steps.every((s) => s.pass),
      outbound_ip: ip ?? null,
      deadline_hit: deadlineHit,
      deadline_ms: deadlineMs,
      steps,
    };
  } finally {
    deadline.cancel();
  }
}

/** Formats a step as the one-line PASS/FAIL the CLI prints (plus meaning and fix on failure). */
export function formatStep(s: StepResult): string {
  const line = `${s.pass ? "PASS" : "FAIL"}  ${s.step.padEnd(14)} ${s.method.padEnd(26)} ${s.detail} (${s.duration_ms} ms)`;
  return s.pass || !s.meaning ? line : `${line}\n      meaning: ${s.meaning}\n      fix:     ${s.fix}`;
}
