/**
 * Doctor scenarios in proxy mode (USE_CRYPTO_PROXY=true) on the emulator with the minimal signing
 * proxy in front of it. The proxy can bind its upstream connections to 127.0.0.2 to model "the
 * proxy's outbound IP differs from ours".
 */
import { createServer, type Server } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorHandle, startEmulator } from "../../src/emulator/index.js";
import { type SigningProxy, startSigningProxy } from "../../src/proxy/index.js";
import {
  check,
  configFrom,
  evidenceText,
  expectNoSecrets,
  expectWithinBudget,
  ids,
  type Run,
  runDoctor,
} from "./helpers.js";

let emu: EmulatorHandle;
let proxy: SigningProxy | undefined;
let n = 0;
const TOKEN = "proxy-token-3b9f1c7e5a2d4f6b8c0e";

beforeAll(async () => {
  emu = await startEmulator({ market_tick_ms: 0, keys: [] });
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  emu.admin.setClockOffset(0);
});
afterAll(async () => {
  await emu?.close();
});

interface ProxySetup {
  whitelist?: string[];
  permissions?: ("read" | "trade")[];
  enabled?: boolean;
  proxyLocalAddress?: string;
  /** Also configure local credentials (for the direct comparison). */
  local?: boolean;
  localWhitelisted?: boolean;
  token?: string;
  upstream?: string;
  /** The proxy's failed-token throttle: refusals before it holds a client back. */
  maxTokenFailures?: number;
}

async function setupProxy(s: ProxySetup = {}) {
  n += 1;
  const key = `pk${n}Qw3Er5Ty7Ui9Op1As3Df5`;
  const secret = `ps${n}Gh7Jk9Lz1Xc3Vb5Nm7Qw9Er1Ty3`;
  const localKey = `lk${n}Zx2Cv4Bn6Mq8Wr0Ty2Ui4`;
  const localSecret = `ls${n}Op6As8Df0Gh2Jk4Lz6Xc8Vb0`;
  emu.admin.setKeys([
    {
      api_key: key,
      secret,
      account: "main",
      permissions: s.permissions ?? ["read", "trade"],
      ip_whitelist: s.whitelist ?? ["127.0.0.1"],
      enabled: s.enabled ?? true,
    },
    {
      api_key: localKey,
      secret: localSecret,
      account: "main",
      permissions: ["read", "trade"],
      ip_whitelist: s.localWhitelisted ? ["127.0.0.1"] : ["203.0.113.99"],
    },
  ]);
  emu.admin.clearFaults();
  proxy = await startSigningProxy({
    upstreamBaseUrl: s.upstream ?? emu.baseUrl,
    apiKey: key,
    apiSecret: secret,
    token: TOKEN,
    localAddress: s.proxyLocalAddress,
    outboundIpUrl: emu.ipEchoUrl,
    upstreamTimeoutMs: 2_000,
    ...(s.maxTokenFailures !== undefined ? { throttle: { maxFailures: s.maxTokenFailures } } : {}),
  });
  const env: Record<string, string> = {
    EXCHANGE_CUSTOM_BASE_URL: emu.baseUrl,
    OUTBOUND_IP_URL: emu.ipEchoUrl,
    USE_CRYPTO_PROXY: "true",
    CRYPTO_PROXY_URL: proxy.url,
    CRYPTO_PROXY_TOKEN: s.token ?? TOKEN,
    ...(s.local ? { EXCHANGE_CUSTOM_API_KEY: localKey, EXCHANGE_CUSTOM_API_SECRET: localSecret } : {}),
  };
  return { env, secrets: [key, secret, localKey, localSecret, TOKEN, ...(s.token ? [s.token] : [])] };
}

function common(run: Run, secrets: string[]): void {
  expectWithinBudget(run.calls);
  expectNoSecrets(run, secrets);
  expect(run.report.via_proxy).toBe(true);
}

describe("healthy via the proxy", () => {
  it("no local credentials needed: verdict ok, outbound IP is the proxy's", async () => {
    const s = await setupProxy({ whitelist: ["127.0.0.2"], proxyLocalAddress: "127.0.0.2" });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(run.report.causes).toEqual([]);
    expect(run.report.outbound_ip).toBe("127.0.0.2");
    expect(check(run.report, "proxy").status).toBe("pass");
    expect(check(run.report, "signed_read").detail).toMatch(/via the proxy/);
    expect(check(run.report, "trade_permission").status).toBe("pass");
    common(run, s.secrets);
  });

  it("direct vs proxy: the direct path is refused (40103), the proxy works: ok", async () => {
    const s = await setupProxy({ local: true, localWhitelisted: false });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.verdict).toBe("ok");
    expect(check(run.report, "direct_vs_proxy").detail).toMatch(
      /direct .* 40103 IP_ILLEGAL.*via proxy → code 0/,
    );
    common(run, s.secrets);
  });
});

describe("proxy causes", () => {
  it("proxy_unreachable: nothing listens at CRYPTO_PROXY_URL", async () => {
    const s = await setupProxy();
    const url = proxy!.url;
    await proxy!.close();
    proxy = undefined;
    const run = await runDoctor({ config: configFrom({ ...s.env, CRYPTO_PROXY_URL: url }) });
    expect(run.report.causes[0]!.id).toBe("proxy_unreachable");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "proxy_unreachable")).toMatch(/ECONNREFUSED/);
    expect(check(run.report, "proxy").status).toBe("fail");
    common(run, s.secrets);
  });

  it("proxy_unreachable: USE_CRYPTO_PROXY=true without a URL", async () => {
    const s = await setupProxy();
    const { CRYPTO_PROXY_URL: _drop, ...env } = s.env;
    const run = await runDoctor({ config: configFrom(env) });
    expect(run.report.causes[0]!.id).toBe("proxy_unreachable");
    expect(evidenceText(run.report, "proxy_unreachable")).toMatch(/CRYPTO_PROXY_URL: not set/);
  });

  it("proxy_token_rejected: the proxy answers 401", async () => {
    const s = await setupProxy({ token: "a-wrong-token-0c1d2e3f4a5b6c7d" });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("proxy_token_rejected");
    expect(run.report.causes[0]!.confidence).toBe("confirmed");
    expect(evidenceText(run.report, "proxy_token_rejected")).toMatch(/HTTP 401 from the proxy itself/);
    expect(evidenceText(run.report, "proxy_token_rejected")).toMatch(
      /CRYPTO_PROXY_TOKEN len=\d+ fp=[0-9a-f]{8}/,
    );
    common(run, s.secrets);
  });

  it("proxy_token_rejected (likely): the proxy holds us back after failed tokens — read by its x-proxy-error code, not its 429", async () => {
    const s = await setupProxy({ token: "a-wrong-token-0c1d2e3f4a5b6c7d", maxTokenFailures: 1 });
    await runDoctor({ config: configFrom(s.env) }); // the one refusal the throttle allows
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("proxy_token_rejected");
    expect(run.report.causes[0]!.confidence).toBe("likely");
    expect(run.report.causes[0]!.summary).toMatch(/throttled/);
    expect(evidenceText(run.report, "proxy_token_rejected")).toMatch(/HTTP 429 from the proxy itself/);
    common(run, s.secrets);
  });

  it("proxy_upstream_rejected: the proxy's own outbound IP (127.0.0.2) is not whitelisted", async () => {
    const s = await setupProxy({ whitelist: ["127.0.0.1"], proxyLocalAddress: "127.0.0.2" });
    const run = await runDoctor({ config: configFrom(s.env) });
    const c = run.report.causes[0]!;
    expect(c.id).toBe("proxy_upstream_rejected");
    expect(c.confidence).toBe("confirmed");
    expect(c.evidence.join("\n")).toMatch(/40103 IP_ILLEGAL/);
    expect(c.evidence.join("\n")).toMatch(
      /the proxy's own outbound IP \(what the exchange sees\): 127\.0\.0\.2/,
    );
    expect(c.fix.join("\n")).toMatch(/Add exactly 127\.0\.0\.2/);
    expect(run.report.outbound_ip).toBe("127.0.0.2");
    expect(check(run.report, "outbound_ip").detail).toMatch(/this host: 127\.0\.0\.1/);
    common(run, s.secrets);
  });

  it("proxy_upstream_rejected: the proxy's key is revoked while the direct path works", async () => {
    const s = await setupProxy({ enabled: false, local: true, localWhitelisted: true });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("proxy_upstream_rejected");
    const text = evidenceText(run.report, "proxy_upstream_rejected");
    expect(text).toMatch(/40101/);
    expect(text).toMatch(/sent directly with the local credentials: code 0/);
    expect(text).toMatch(/USE_CRYPTO_PROXY=false/);
    expect(check(run.report, "direct_vs_proxy").status).toBe("warn");
    common(run, s.secrets);
  });

  it("proxy_upstream_rejected: the proxy host's clock (40102), with its offset", async () => {
    const s = await setupProxy();
    emu.admin.setClockOffset(90_000);
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("proxy_upstream_rejected");
    expect(evidenceText(run.report, "proxy_upstream_rejected")).toMatch(/40102/);
    expect(evidenceText(run.report, "proxy_upstream_rejected")).toMatch(
      /proxy host clock offset to the exchange: \+\d{5} ms/,
    );
    expect(ids(run.report)).not.toContain("clock_skew"); // our own clock does not sign anything here
  });

  it("missing_trade_permission through the proxy: the proxy's key is read-only", async () => {
    const s = await setupProxy({ permissions: ["read"] });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("missing_trade_permission");
    expect(run.report.causes[0]!.summary).toMatch(/the proxy's API key/i);
  });

  it("network_unreachable: the proxy cannot reach the exchange (502)", async () => {
    const closed = await closedPort();
    const s = await setupProxy({ upstream: `http://127.0.0.1:${closed}/exchange/v1` });
    const run = await runDoctor({ config: configFrom(s.env) });
    expect(run.report.causes[0]!.id).toBe("network_unreachable");
    expect(evidenceText(run.report, "network_unreachable")).toMatch(/HTTP 502/);
  });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv: Server = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
