/**
 * Composition root, signals part: market feed (client + market WebSocket) → live strategy
 * evaluation with the throttle. Used by the demo today and by the engine later.
 */
import { CryptoComCandleSource } from "../exchange/cryptocom/candle-source.js";
import type { CryptoComClient } from "../exchange/cryptocom/client.js";
import type { Logger } from "../log/logger.js";
import { MarketFeed } from "../market/feed.js";
import type { StrategyConfig } from "../strategy/config.js";
import { LiveSignals } from "../strategy/live-signals.js";
import { MemoryThrottleStore, Throttle, type ThrottleStore } from "../strategy/throttle.js";

export interface SignalPipeline {
  feed: MarketFeed;
  live: LiveSignals;
  stop(): Promise<void>;
}

export interface SignalPipelineOptions {
  client: CryptoComClient;
  wsMarketUrl: string;
  config: StrategyConfig;
  logger: Logger;
  /** Where throttle state lives (in memory until the store exists). */
  throttleStore?: ThrottleStore;
  /** Market clock (the emulator's when it runs faster than real time). */
  now?: () => number;
}

export async function startSignalPipeline(o: SignalPipelineOptions): Promise<SignalPipeline> {
  const source = new CryptoComCandleSource({
    client: o.client,
    wsMarketUrl: o.wsMarketUrl,
    logger: o.logger,
  });
  const feed = new MarketFeed(source, { logger: o.logger, ...(o.now ? { now: o.now } : {}) });
  feed.start();
  const throttle = await Throttle.open(o.throttleStore ?? new MemoryThrottleStore(), o.config.minIntervalMs);
  const live = new LiveSignals({
    feed,
    config: o.config,
    throttle,
    logger: o.logger,
    ...(o.now ? { now: o.now } : {}),
  });
  return {
    feed,
    live,
    async stop() {
      live.stop();
      await feed.stop();
    },
  };
}
