/**
 * Composition root, exchange part: the one place that maps configuration onto the exchange client.
 * Nothing below src/app reads configuration; they take plain option objects.
 */
import type { AppConfig } from "../config/load.js";
import { CryptoComClient, type CryptoComClientOptions } from "../exchange/cryptocom/client.js";
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

export function createExchangeClient(config: AppConfig, logger: Logger): CryptoComClient {
  return new CryptoComClient(clientOptionsFrom(config, logger));
}
