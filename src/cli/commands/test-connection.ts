/**
 * `atp test-connection [--json] [--symbol BTC_USD]`: public ticker, then (after logging the outbound
 * IP with CRYPTO_COM_OUTBOUND_IP) signed private/user-balance, open orders and order history. One
 * PASS/FAIL line per step with the exchange code, its name and meaning. Exit 0 only if all pass.
 */
import { parseArgs } from "node:util";
import { formatStep, runConnectionTest } from "../../app/connection-test.js";
import { createExchangeClient } from "../../app/exchange.js";
import { loggerFor } from "../../app/logging.js";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { usageError } from "../args.js";

export const summary = "Test public and signed calls against the configured exchange, one PASS/FAIL per step";
export const usage = "atp test-connection [--json] [--symbol BTC_USD]";

export async function run(args: string[]): Promise<number> {
  let json = false;
  let symbol = "BTC_USD";
  try {
    const { values } = parseArgs({
      args,
      options: { json: { type: "boolean" }, symbol: { type: "string" } },
    });
    json = values.json ?? false;
    symbol = values.symbol ?? symbol;
  } catch (err) {
    return usageError("test-connection", err, usage);
  }
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp test-connection: ${invalid}`);
    return 2;
  }
  const config = report.config;
  const log = loggerFor(report, { name: "test-connection" });
  const client = createExchangeClient(config, log);
  const print = (line: string) => {
    if (!json) process.stdout.write(`${line}\n`);
  };
  print(
    `atp test-connection → ${config.exchange.baseUrl} (${config.proxy.enabled ? `proxy ${config.proxy.url}` : "direct"})`,
  );
  let result: Awaited<ReturnType<typeof runConnectionTest>>;
  try {
    result = await runConnectionTest(client, {
      symbol,
      outboundIpUrl: config.exchange.outboundIpUrl,
      localAddress: config.exchange.localAddress,
      log,
      onStep: (s) => print(formatStep(s)),
      onOutboundIp: (ip) =>
        print(
          `      outbound IP: ${ip ?? `unknown (${config.exchange.outboundIpUrl} did not answer)`}${config.proxy.enabled ? " (this host; the proxy has its own)" : ""}`,
        ),
    });
  } finally {
    await client.close();
  }
  if (json) {
    const out = { base_url: config.exchange.baseUrl, via_proxy: config.proxy.enabled, ...result };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    print(
      result.ok ? "\nAll steps passed." : "\nSome steps failed. Run `atp doctor` for the cause and the fix.",
    );
  }
  return result.ok ? 0 : 1;
}
