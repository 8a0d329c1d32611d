/**
 * `atp proxy [--host 127.0.0.1] [--port 9000]`: runs the signing proxy in the foreground on the
 * host whose IP is whitelisted (src/proxy; docs/operations.md "Through the signing proxy").
 * Prints `atp proxy: listening on URL (key fingerprint …)` once ready, then runs until
 * SIGINT/SIGTERM and closes cleanly (exit 0).
 *
 * Invariants: refuses to start (exit 2, every reason listed with its fix) without the exchange
 * key and secret, without a CRYPTO_PROXY_TOKEN of at least 32 characters (printing how to make
 * one), or with an invalid configuration; never prints a secret.
 */
import { proxyServiceSettings, startProxyService } from "../../app/proxy-service.js";
import { invalidConfigText, loadConfig } from "../../config/load.js";
import { PORT_RANGE } from "../args.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";
import { onStop } from "../lifecycle.js";

const options = {
  host: option.string("address to listen on (loopback or a private network; see docs/operations.md)", {
    default: "127.0.0.1",
  }),
  port: option.int("port to listen on (0: a free one)", PORT_RANGE, { default: 9000 }),
};

export const command = defineCommand({
  name: "proxy",
  summary: "Run the signing proxy: holds the exchange key on the whitelisted host, signs atp's private calls",
  description:
    "Reads EXCHANGE_CUSTOM_API_KEY/SECRET, CRYPTO_PROXY_TOKEN (32+ characters), EXCHANGE_CUSTOM_BASE_URL,\nEXCHANGE_LOCAL_ADDRESS, CRYPTO_PROXY_ALLOW_METHODS and CRYPTO_PROXY_TLS_CERT/KEY. Clients set USE_CRYPTO_PROXY=true,\nCRYPTO_PROXY_URL and the same CRYPTO_PROXY_TOKEN.",
  notes:
    "Routes: POST /proxy/private, GET /health, GET /proxy/outbound-ip.\nExit codes: 0 stopped, 2 configuration error or the address is unusable.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  const report = loadConfig();
  const invalid = invalidConfigText(report);
  if (invalid) {
    process.stderr.write(`atp proxy: ${invalid}`);
    return 2;
  }
  const { settings, problems } = proxyServiceSettings(report);
  if (!settings) {
    process.stderr.write(`atp proxy: refusing to start:\n${problems.map((p) => `- ${p}`).join("\n")}\n`);
    return 2;
  }
  let service: Awaited<ReturnType<typeof startProxyService>>;
  try {
    service = await startProxyService(report, settings, { host: values.host, port: values.port });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    process.stderr.write(`atp proxy: cannot listen on ${values.host}:${values.port}: ${e.message}\n`);
    return 2;
  }
  let unsubscribe = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    unsubscribe = onStop(() => resolve());
  });
  process.stdout.write(
    `atp proxy: listening on ${service.proxy.url} (key fingerprint ${service.proxy.keyFingerprint}, upstream ${settings.upstreamBaseUrl})\n`,
  );
  const alive = setInterval(() => undefined, 2 ** 30);
  try {
    await stopRequested;
  } finally {
    clearInterval(alive);
  }
  await service.proxy.close();
  unsubscribe();
  process.stdout.write("atp proxy: stopped\n");
  return 0;
}
