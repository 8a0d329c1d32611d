/**
 * Which Crypto.com environment a base URL points at (reference §0, §1).
 *
 * - production: https://api.crypto.com/exchange/v1
 * - uat: the UAT sandbox host uat-api.3ona.co (separate keys: production keys fail there and vice versa)
 * - legacy: a pre-Exchange-v1 API, whatever the host: a path ending in /v2 (Spot v2), the pre-2021
 *   /v1 (a path of exactly /v1, without /exchange), or the legacy derivatives host deriv-api.crypto.com
 * - custom: anything else (a local emulator, a mirror); not by itself a wrong environment
 */
import { isIP } from "node:net";
import { LEGACY, PRODUCTION, UAT, UAT_DOMAIN } from "../exchange/cryptocom/constants.js";

export type EnvironmentKind = "production" | "uat" | "legacy" | "custom";

export interface EnvironmentInfo {
  kind: EnvironmentKind;
  host: string;
  /** Why it was classified so (for evidence lines). */
  reason: string;
  /** One of Crypto.com's own hosts (production or UAT). */
  official: boolean;
  /** A loopback host (localhost, 127.0.0.0/8, ::1): a local emulator or proxy. */
  loopback: boolean;
}

const PRODUCTION_HOST = new URL(PRODUCTION.rest).hostname;
const UAT_HOST = new URL(UAT.rest).hostname;
const LEGACY_DERIVATIVES_HOST = new URL(LEGACY.derivatives).hostname;

/** One of the UAT sandbox's hosts (uat-api.3ona.co, or another host under its domain). */
function isUatHost(host: string): boolean {
  return host === UAT_HOST || host.endsWith(`.${UAT_DOMAIN}`);
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  if (isIP(h) === 4) return h.startsWith("127.");
  return h === "::1";
}

export function classifyBaseUrl(baseUrl: string): EnvironmentInfo {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return { kind: "custom", host: "", reason: "not a URL", official: false, loopback: false };
  }
  const host = url.hostname.toLowerCase();
  const path = url.pathname.replace(/\/+$/, "").toLowerCase();
  const official = host === PRODUCTION_HOST || isUatHost(host);
  const loopback = isLoopbackHost(host);
  const base = { host, official, loopback };
  if (/(^|\/)v2$/.test(path)) {
    return { ...base, kind: "legacy", reason: `the path ${url.pathname} is the legacy Spot v2 API` };
  }
  if (path === "/v1") {
    return { ...base, kind: "legacy", reason: "the path /v1 (without /exchange) is the pre-2021 API" };
  }
  if (host === LEGACY_DERIVATIVES_HOST) {
    return { ...base, kind: "legacy", reason: `${host} is the legacy Derivatives API` };
  }
  if (isUatHost(host)) {
    return {
      ...base,
      kind: "uat",
      reason: `${host} is the UAT sandbox (its keys are separate from production)`,
    };
  }
  if (host === PRODUCTION_HOST) {
    return { ...base, kind: "production", reason: "Crypto.com production" };
  }
  return {
    ...base,
    kind: "custom",
    reason: loopback ? "a local endpoint (emulator or mirror)" : "a custom endpoint (mirror or gateway)",
  };
}
