/**
 * Keeps the dry-run market view fresh enough to match against: a symbol's book is fetched by REST
 * when the cached one is older than `bookMaxAgeMs` (a market stream feeding the broker keeps it
 * fresh without any REST call), and every `pollMs` the symbols with open orders are refreshed and
 * re-checked by the matching core (triggers, resting limits).
 *
 * Invariants:
 * - Only public market data is requested (`getBook`).
 * - One poll at a time: the next is scheduled (on the injected TimeSource) after the previous one
 *   finished; nothing is scheduled after `stop()`.
 * - A failed refresh keeps the cached book; only a symbol with no book at all is a failure.
 */
import type { MatchingEngine } from "../../emulator/matching/index.js";
import type { ExchangeClient, ExchangeFailure } from "../../exchange/types.js";
import type { Logger } from "../../log/logger.js";
import type { TimerHandle, TimeSource } from "../../util/clock.js";
import { asExchangeFailure } from "./errors.js";
import type { DryRunMarketView } from "./market-view.js";

export interface DryRunBookKeeperOptions {
  market: ExchangeClient;
  time: TimeSource;
  view: DryRunMarketView;
  logger: Logger;
  pollMs: number;
  bookMaxAgeMs: number;
  bookDepth: number;
  /** The symbols the poll re-checks (those with open orders). */
  activeSymbols(engine: MatchingEngine): Iterable<string>;
}

export class DryRunBookKeeper {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly o: DryRunBookKeeperOptions) {}

  /** Makes `symbol`'s book fresh; a failure only when there is no book for it at all. */
  async prepare(engine: MatchingEngine, symbol: string): Promise<ExchangeFailure | undefined> {
    if (!engine.instrument(symbol)) return undefined; // the core answers 209
    const age = this.o.view.ageMs(symbol);
    if (age !== undefined && age <= this.o.bookMaxAgeMs) return undefined;
    try {
      this.o.view.setBook(await this.o.market.getBook(symbol, this.o.bookDepth));
      return undefined;
    } catch (e) {
      this.o.logger.warn({ err: e, symbol }, "dry run: book refresh failed");
      return this.o.view.hasBook(symbol) ? undefined : asExchangeFailure("public/get-book", e);
    }
  }

  startPolling(engine: MatchingEngine): void {
    this.schedule(engine);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.time.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(engine: MatchingEngine): void {
    if (this.stopped || this.o.pollMs <= 0) return;
    this.timer = this.o.time.setTimeout(() => void this.poll(engine), this.o.pollMs);
  }

  private async poll(engine: MatchingEngine): Promise<void> {
    this.timer = undefined;
    try {
      for (const s of new Set(this.o.activeSymbols(engine))) {
        await this.prepare(engine, s);
        if (this.stopped) return;
        engine.onMarket(s);
      }
    } catch (e) {
      this.o.logger.error({ err: e }, "dry run: trigger poll failed");
    } finally {
      this.schedule(engine);
    }
  }
}
