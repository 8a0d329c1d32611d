/**
 * Composition root, exchange part: the one place that maps configuration onto the exchange client.
 * Nothing below src/app reads configuration; they take plain option objects.
 */
import type { AppConfig } from "../config/load.js";
import type { CryptoComClientOptions } from "../exchange/cryptocom/client.js";
import { PRODUCTION, UAT } from "../exchange/cryptocom/constants.js";
import type { Logger } from "../log/logger.js";

export function clientOptionsFrom(config: AppConfig, logger: Logger): CryptoComClientOptions {
  const ex = config.exchange;
  return {
    baseUrl: ex.baseUrl,
    apiKey: ex.apiKey,
    apiSecret: ex.apiSecret,
    localAddress: ex.localAddress,
    authDiag: ex.authDiag,
    applyClockOffset: true,
    proxy:
      config.proxy.enabled && config.proxy.url
        ? { url: config.proxy.url, token: config.proxy.token ?? "" }
        : undefined,
    logger,
  };
}

/**
 * The market WebSocket that belongs to a REST base URL: Crypto.com's own for production and UAT;
 * for any other base (an emulator, a mirror) the same host's `…/market` beside the REST path, the
 * layout the emulator serves (`http://h:p/exchange/v1` → `ws://h:p/exchange/v1/market`).
 */
export function marketStreamUrl(restBaseUrl: string): string {
  return streamUrl(restBaseUrl, "market");
}

/** The user (private) WebSocket of a REST base URL, by the same rule as marketStreamUrl (`…/user`). */
export function userStreamUrl(restBaseUrl: string): string {
  return streamUrl(restBaseUrl, "user");
}

function streamUrl(restBaseUrl: string, which: "market" | "user"): string {
  const base = restBaseUrl.replace(/\/+$/, "");
  for (const venue of [PRODUCTION, UAT])
    if (base === venue.rest) return which === "market" ? venue.wsMarket : venue.wsUser;
  return `${base.replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`)}/${which}`;
}
