/**
 * The engine's state for the API (`EngineStatus`): leading, running, and the mode a new intent
 * would get now — by the same rule as the trader's resolveMode (src/trading/context.ts): live (LIVE,
 * or DEMO on the demo's emulator) only with the environment's permission, a live venue, no refusal
 * (key hygiene: `liveRefusal`) and the store's live switch on; a switch that cannot be read means
 * DRY_RUN (fails closed). It also hands the API the key hygiene reading.
 */

import type { ApiKeyHygiene, ApiMode } from "../../api/contract/types.js";
import type { EngineStatus } from "../../api/deps.js";
import type { Store } from "../../store/types.js";
import type { Engine } from "../engine.js";

export interface PlatformEngineStatusOptions {
  engine: () => Engine | undefined;
  store: Store;
  envLiveTrading: boolean;
  /** The live venue's mode; undefined without credentials (no live venue). */
  liveMode: "LIVE" | "DEMO" | undefined;
  /** True once the runtime started and until it stops. */
  running: () => boolean;
  /** Key hygiene at start (key-hygiene-gate.ts). */
  keyHygiene?: { liveRefusal(): string | undefined; view(): ApiKeyHygiene } | undefined;
}

export class PlatformEngineStatus implements EngineStatus {
  constructor(private readonly o: PlatformEngineStatusOptions) {}

  get envLiveTrading(): boolean {
    return this.o.envLiveTrading;
  }

  leader(): boolean {
    return this.o.engine()?.isLeader ?? false;
  }

  running(): boolean {
    return this.o.running() && this.o.engine() !== undefined;
  }

  liveRefusal(): string | undefined {
    return this.o.keyHygiene?.liveRefusal();
  }

  keyHygiene(): ApiKeyHygiene | undefined {
    return this.o.keyHygiene?.view();
  }

  async mode(): Promise<ApiMode> {
    if (!this.o.envLiveTrading || !this.o.liveMode || this.liveRefusal() !== undefined) return "DRY_RUN";
    const sw = await this.o.store.settings.liveTrading();
    return sw.why === "stored" && sw.value ? this.o.liveMode : "DRY_RUN";
  }
}
