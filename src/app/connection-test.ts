/**
 * The connection test shared by `atp test-connection` and the demo: public ticker, then (after
 * logging the outbound IP with CRYPTO_COM_OUTBOUND_IP) signed private/user-balance, open orders and
 * order history. Each step reports PASS/FAIL with the exchange code, its name, meaning and remedy.
 */
import { ExchangeError } from "../exchange/cryptocom/errors.js";
import { HttpTransport } from "../exchange/cryptocom/transport.js";
import type { ExchangeClient } from "../exchange/types.js";
import { type Logger, logOutboundIp } from "../log/logger.js";
import { parseIpAnswer } from "../util/ip.js";

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
  steps: StepResult[];
}

export interface ConnectionTestOptions {
  symbol: string;
  outboundIpUrl: string;
  localAddress?: string | undefined;
  log: Logger;
  /** Called after each step (the CLI prints it as it goes). */
  onStep?: (s: StepResult) => void;
  onOutboundIp?: (ip: string | undefined) => void;
}

export async function runConnectionTest(
  client: ExchangeClient,
  o: ConnectionTestOptions,
): Promise<ConnectionTestResult> {
  const steps: StepResult[] = [];
  async function step(name: string, method: string, fn: () => Promise<string>): Promise<void> {
    const start = performance.now();
    let s: StepResult;
    try {
      s = { step: name, method, pass: true, detail: await fn(), duration_ms: 0 };
    } catch (err) {
      const e = err instanceof ExchangeError ? err : undefined;
      s = {
        step: name,
        method,
        pass: false,
        // an exchange answer shows its code and name; a transport or proxy failure what happened
        detail: e
          ? e.code !== undefined
            ? `${e.code} ${e.codeName}`
            : `${e.category}: ${e.exchangeMessage ?? e.message}`
          : err instanceof Error
            ? err.message
            : String(err),
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

  await step("public ticker", "public/get-tickers", async () => {
    const [t] = await client.getTickers(o.symbol);
    if (!t) throw new Error(`no ticker for ${o.symbol}`);
    return `${o.symbol} last=${t.last?.toFixed() ?? "n/a"} bid=${t.bid?.toFixed() ?? "n/a"} ask=${t.ask?.toFixed() ?? "n/a"}`;
  });
  const ip = await lookupOutboundIp(o.outboundIpUrl, o.localAddress);
  if (ip) logOutboundIp(o.log, ip, o.localAddress ? `bound to ${o.localAddress}` : "direct");
  o.onOutboundIp?.(ip);
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
  return { ok: steps.every((s) => s.pass), outbound_ip: ip ?? null, steps };
}

/** Formats a step as the one-line PASS/FAIL the CLI prints (plus meaning and fix on failure). */
export function formatStep(s: StepResult): string {
  const line = `${s.pass ? "PASS" : "FAIL"}  ${s.step.padEnd(14)} ${s.method.padEnd(26)} ${s.detail} (${s.duration_ms} ms)`;
  return s.pass || !s.meaning ? line : `${line}\n      meaning: ${s.meaning}\n      fix:     ${s.fix}`;
}

/** The outbound IP as an IP echo service sees it, through the same local address as exchange calls. */
export async function lookupOutboundIp(
  url: string,
  localAddress: string | undefined,
): Promise<string | undefined> {
  const transport = new HttpTransport({ localAddress, timeouts: { connectMs: 3_000, requestMs: 5_000 } });
  try {
    const res = await transport.get(url);
    return res.status === 200 ? parseIpAnswer(res.text) : undefined;
  } catch {
    return undefined;
  } finally {
    await transport.close();
  }
}
