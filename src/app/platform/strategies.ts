/**
 * The platform's strategies (`StrategySource`) and the live signals over the store's watchlist.
 * The strategies file is `<dataDir>/strategies.json` when a PUT stored one, else the packaged
 * config/strategies.json; each watchlist symbol with trading on runs its preset and overrides
 * (the watchlist wins over the file's `coins`).
 *
 * Invariants:
 * - A PUT is validated in full before anything changes; a refused one changes nothing and names
 *   each problem's field. An accepted one is written atomically (temp file + rename) and applied
 *   to the running signals at once.
 * - One LiveSignals for the process, created even with nothing to trade, so a symbol added later
 *   (the API's watchlist) is followed without a restart.
 * - Throttle state lives in the store: a restart does not re-emit a signal already acted on.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StrategySource } from "../../api/deps.js";
import type { Json, Store } from "../../store/types.js";
import { DEFAULT_STRATEGIES_FILE, parseStrategyConfig, type StrategyConfig } from "../../strategy/config.js";
import type { LiveSignals } from "../../strategy/live-signals.js";
import type { Runtime } from "../runtime.js";

export class PlatformStrategies implements StrategySource {
  private loaded: Record<string, unknown> | undefined;
  private signals: LiveSignals | undefined;
  private readonly file: string;

  constructor(
    private readonly runtime: Runtime,
    private readonly store: Store,
    dataDir: string,
  ) {
    this.file = join(dataDir, "strategies.json");
  }

  /** Read on first use (`--no-signals` never reads it unless the API asks). */
  private get base(): Record<string, unknown> {
    if (!this.loaded) {
      const from = existsSync(this.file) ? this.file : DEFAULT_STRATEGIES_FILE;
      this.loaded = JSON.parse(readFileSync(from, "utf8")) as Record<string, unknown>;
    }
    return this.loaded;
  }

  get(): unknown {
    return this.base;
  }

  async put(json: unknown): Promise<{ ok: true } | { ok: false; problems: string[] }> {
    if (typeof json !== "object" || json === null || Array.isArray(json))
      return { ok: false, problems: ["(root): must be a JSON object"] };
    const parsed = parseStrategyConfig(json);
    if (!parsed.config) return { ok: false, problems: parsed.problems };
    const merged = await this.config(json as Record<string, unknown>);
    if (!merged.config) return { ok: false, problems: merged.problems };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    this.loaded = json as Record<string, unknown>;
    await this.signals?.reconfigure(merged.config);
    return { ok: true };
  }

  /** The file's strategies with the watchlist's coins (trading on) merged in. */
  private async config(
    base: Record<string, unknown>,
  ): Promise<{ config?: StrategyConfig; problems: string[] }> {
    const coins = new Map<string, Record<string, Json>>();
    for (const w of await this.store.watchlist.list()) {
      if (!w.tradeEnabled) continue;
      coins.set(w.symbol, {
        ...(w.preset && w.preset !== "external" ? { preset: w.preset } : {}),
        ...(Object.keys(w.overrides).length > 0 ? { overrides: w.overrides } : {}),
      });
    }
    const fileCoins =
      base.coins && typeof base.coins === "object" ? (base.coins as Record<string, unknown>) : {};
    return parseStrategyConfig({ ...base, coins: { ...fileCoins, ...Object.fromEntries(coins) } });
  }

  /** Builds the live signals and follows every watchlist symbol with trading on. */
  async start(): Promise<LiveSignals> {
    const parsed = await this.config(this.base);
    if (!parsed.config) throw new Error(`watchlist strategy settings: ${parsed.problems.join("; ")}`);
    const signals = await this.runtime.liveSignals(parsed.config, { throttleStore: this.store.throttle });
    this.signals = signals;
    // each symbol's backfill runs in the background: start-up never waits on the network
    for (const w of await this.store.watchlist.list())
      if (w.tradeEnabled)
        void signals
          .watch(w.symbol)
          .catch((err: unknown) =>
            this.runtime.logger.error({ err, symbol: w.symbol }, "a watchlist symbol could not be followed"),
          );
    return signals;
  }

  get live(): LiveSignals | undefined {
    return this.signals;
  }

  /** After a watchlist change: the configuration is rebuilt and the symbol followed or dropped. */
  async follow(symbol: string, watch: boolean): Promise<void> {
    const signals = this.signals;
    if (!signals) return;
    const parsed = await this.config(this.base);
    if (parsed.config) await signals.reconfigure(parsed.config);
    const item = await this.store.watchlist.get(symbol);
    if (watch && item?.tradeEnabled) await signals.watch(symbol);
    else await signals.unwatch(symbol);
  }
}
