/**
 * Wiring of `atp proxy`: the signing proxy from the configuration (the exchange key and secret,
 * EXCHANGE_CUSTOM_BASE_URL upstream, EXCHANGE_LOCAL_ADDRESS, OUTBOUND_IP_URL, CRYPTO_AUTH_DIAG,
 * CRYPTO_PROXY_TOKEN, CRYPTO_PROXY_ALLOW_METHODS, CRYPTO_PROXY_TLS_CERT/KEY) with a redacting logger.
 *
 * Invariants: `proxyStartProblems` lists every reason not to start (no key/secret, a token under
 * 32 characters, half a TLS pair, a TLS file that cannot be read, a method that cannot be
 * allowed), each with its fix; the proxy never starts with any of them.
 */
import { readFileSync } from "node:fs";
import type { ConfigReport } from "../config/load.js";
import { createLogger, type Logger } from "../log/logger.js";
import {
  allowMethodsProblem,
  proxyTokenProblem,
  type SigningProxy,
  startSigningProxy,
} from "../proxy/index.js";

export interface ProxyServiceSettings {
  apiKey: string;
  apiSecret: string;
  token: string;
  upstreamBaseUrl: string;
  localAddress: string | undefined;
  outboundIpUrl: string;
  authDiag: boolean;
  allowMethods: string[];
  /** CRYPTO_PROXY_ENVELOPE: the original's envelope for requests that name no protocol. */
  envelopeDefault: boolean;
  tls: { cert: Buffer; key: Buffer } | undefined;
}

/** The settings, or every problem that stops `atp proxy` from starting. */
export function proxyServiceSettings(
  report: ConfigReport,
): { settings: ProxyServiceSettings; problems: [] } | { settings: undefined; problems: string[] } {
  const ex = report.config.exchange;
  const server = report.config.proxyServer;
  const problems: string[] = [];
  if (!ex.apiKey || !ex.apiSecret) {
    problems.push(
      "the proxy holds the exchange key: set EXCHANGE_CUSTOM_API_KEY and EXCHANGE_CUSTOM_API_SECRET on this host (Read + Trade, withdrawal off; whitelist this host's outbound IP)",
    );
  }
  const tokenProblem = proxyTokenProblem(report.config.proxy.token);
  if (tokenProblem) problems.push(tokenProblem);
  const allowMethods = server.allowMethods;
  const allowProblem = allowMethodsProblem(allowMethods);
  if (allowProblem) problems.push(`CRYPTO_PROXY_ALLOW_METHODS: ${allowProblem}`);
  const certFile = server.tlsCertFile;
  const keyFile = server.tlsKeyFile;
  let tls: ProxyServiceSettings["tls"];
  if (Boolean(certFile) !== Boolean(keyFile)) {
    problems.push(
      "set both CRYPTO_PROXY_TLS_CERT and CRYPTO_PROXY_TLS_KEY (PEM files), or neither for plain HTTP",
    );
  } else if (certFile && keyFile) {
    try {
      tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
    } catch (err) {
      problems.push(
        `cannot read the TLS files: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
  }
  if (problems.length > 0) return { settings: undefined, problems };
  return {
    settings: {
      apiKey: ex.apiKey!,
      apiSecret: ex.apiSecret!,
      token: report.config.proxy.token!,
      upstreamBaseUrl: ex.baseUrl,
      localAddress: ex.localAddress,
      outboundIpUrl: ex.outboundIpUrl,
      authDiag: ex.authDiag,
      allowMethods: [...allowMethods],
      envelopeDefault: server.envelopeDefault,
      tls,
    },
    problems: [],
  };
}

export interface ProxyService {
  proxy: SigningProxy;
  log: Logger;
}

export async function startProxyService(
  report: ConfigReport,
  settings: ProxyServiceSettings,
  listen: { host: string; port: number; logDestination?: NodeJS.WritableStream | undefined },
): Promise<ProxyService> {
  const log = createLogger({
    secrets: report.secrets,
    name: "proxy",
    ...(listen.logDestination ? { destination: listen.logDestination } : {}),
  });
  const proxy = await startSigningProxy({
    ...settings,
    host: listen.host,
    port: listen.port,
    logger: log,
    measureAtStart: true,
    defaultProtocol: settings.envelopeDefault ? "envelope" : "passthrough",
  });
  return { proxy, log };
}
