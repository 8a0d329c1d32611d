/**
 * Configuration step 5, cross-field checks: rules across variables, on the validated values and
 * the resolved credentials. A proxy needs its URL (error; unless the URL was refused already) and
 * should have a token (warning); a plain http:// base URL to another machine is a warning; live
 * trading needs credentials unless a signing proxy holds them.
 */
import type { Credentials, Finding, Values } from "./types.js";
import { CREDENTIAL_PAIRS, PRIMARY_PAIR, parseBool } from "./variables.js";

export function crossFieldChecks(
  values: Values,
  credentials: Credentials,
  refused: ReadonlySet<string>,
): Finding[] {
  const findings: Finding[] = [];
  const proxyEnabled = parseBool(values.get("USE_CRYPTO_PROXY") ?? "false");
  const liveTrading = parseBool(values.get("LIVE_TRADING") ?? "false");
  if (proxyEnabled && !values.has("CRYPTO_PROXY_URL") && !refused.has("CRYPTO_PROXY_URL")) {
    findings.push({
      severity: "error",
      kind: "cross_field",
      variable: "CRYPTO_PROXY_URL",
      problem: "USE_CRYPTO_PROXY=true but no proxy URL is set",
      fix: "set CRYPTO_PROXY_URL (e.g. http://10.0.0.5:9000) or USE_CRYPTO_PROXY=false",
    });
  }
  if (proxyEnabled && !values.has("CRYPTO_PROXY_TOKEN")) {
    findings.push({
      severity: "warning",
      kind: "cross_field",
      variable: "CRYPTO_PROXY_TOKEN",
      problem: "the proxy is enabled without a token",
      fix: "set CRYPTO_PROXY_TOKEN to the proxy's token (a proxy that requires one will refuse every call)",
    });
  }
  const baseUrl = values.get("EXCHANGE_CUSTOM_BASE_URL");
  const plainHost = baseUrl !== undefined ? plainHttpRemoteHost(baseUrl) : undefined;
  if (plainHost !== undefined) {
    findings.push({
      severity: "warning",
      kind: "insecure_url",
      variable: "EXCHANGE_CUSTOM_BASE_URL",
      problem: `plain http:// to ${plainHost}, which is not this machine: API key, signatures, orders and balances travel unencrypted (the exchange itself serves https:// only)`,
      fix: "use the https:// URL (https://api.crypto.com/exchange/v1); plain http:// is for the emulator on 127.0.0.1",
    });
  }
  const hasCredentials = credentials.key !== undefined && credentials.secret !== undefined;
  if (liveTrading && !hasCredentials && !proxyEnabled) {
    const primary = CREDENTIAL_PAIRS[PRIMARY_PAIR];
    findings.push({
      severity: "error",
      kind: "cross_field",
      variable: "LIVE_TRADING",
      problem: "LIVE_TRADING=true without API credentials",
      fix: `set ${primary.key} and ${primary.secret}, or LIVE_TRADING=false`,
    });
  }
  return findings;
}

/** The host of a plain http:// URL to another machine (not loopback); undefined otherwise. */
function plainHttpRemoteHost(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:") return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const loopback =
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\./.test(host);
  return loopback ? undefined : u.host;
}
