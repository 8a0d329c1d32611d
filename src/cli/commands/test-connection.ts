/**
 * `atp test-connection [--json] [--symbol BTC_USD] [--deadline 20]`: public ticker, then (after
 * logging the outbound IP with CRYPTO_COM_OUTBOUND_IP) signed private/user-balance, open orders and
 * order history. One PASS/FAIL line per step with the exchange code, its name and meaning. Exit 0
 * only if all pass. The whole test ends within --deadline seconds, even against an exchange that
 * never answers (the step then fails with "deadline" and the rest are not run). URLs are shown
 * without their user info.
 */
import { createRuntime } from "../../app/runtime.js";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import {
  type ConnectionTestResult,
  DEFAULT_CONNECTION_DEADLINE_MS,
  formatStep,
  runConnectionTest,
} from "../../diagnostics/connection-test.js";
import { displayUrl } from "../../util/url.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";

const options = {
  json: option.flag("print the result as JSON"),
  symbol: option.string("the instrument of the public ticker step", { default: "BTC_USD" }),
  deadline: option.int(
    "the whole test ends within this many seconds, even if the exchange never answers",
    { min: 1, max: 600, unit: "seconds" },
    { value: "SECONDS", default: DEFAULT_CONNECTION_DEADLINE_MS / 1000 },
  ),
};

export const command = defineCommand({
  name: "test-connection",
  summary: "Test public and signed calls against the configured exchange, one PASS/FAIL per step",
  notes: "Exit codes: 0 every step passed, 1 a step failed, 2 usage or configuration error.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  const { json, symbol, deadline: deadlineS } = values;
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp test-connection: ${invalid}`);
    return 2;
  }
  const runtime = createRuntime(report, { name: "test-connection" });
  const config = runtime.config;
  const print = (line: string) => {
    if (!json) process.stdout.write(`${line}\n`);
  };
  const baseUrl = displayUrl(config.exchange.baseUrl);
  const proxyUrl = config.proxy.url !== undefined ? displayUrl(config.proxy.url) : undefined;
  print(`atp test-connection → ${baseUrl} (${config.proxy.enabled ? `proxy ${proxyUrl}` : "direct"})`);
  let result: ConnectionTestResult | undefined;
  try {
    result = await runConnectionTest(runtime.exchange, {
      symbol,
      outboundIpUrl: config.exchange.outboundIpUrl,
      localAddress: config.exchange.localAddress,
      log: runtime.logger,
      deadlineMs: deadlineS * 1000,
      onStep: (s) => print(formatStep(s)),
      onOutboundIp: (ip) =>
        print(
          `      outbound IP: ${ip ?? `unknown (${displayUrl(config.exchange.outboundIpUrl)} did not answer)`}${config.proxy.enabled ? " (this host; the proxy has its own)" : ""}`,
        ),
    });
  } finally {
    // past the deadline, requests still in flight are failed now, not waited for
    await runtime.stop(result?.deadline_hit ? "abort" : "drain");
  }
  if (json) {
    const out = { base_url: baseUrl, via_proxy: config.proxy.enabled, ...result };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else if (result.deadline_hit) {
    print(
      `\nThe exchange did not answer within the deadline of ${deadlineS} s (--deadline). Run \`atp doctor\` to see which stage hangs.`,
    );
  } else {
    print(
      result.ok ? "\nAll steps passed." : "\nSome steps failed. Run `atp doctor` for the cause and the fix.",
    );
  }
  return result.ok ? 0 : 1;
}
