/**
 * Fault injection (issue 3 contract). A fault targets methods by glob (`*` matches any run of
 * characters including `/`, `?` one character), fires with `probability` (seeded) and at most
 * `count` times. The first matching fault of a kind wins; latency faults add up.
 * WebSocket faults target sockets ("user", "market"); book_gap targets instrument names.
 */
import type { FaultConfig } from "./config.js";
import type { Rng } from "./rng.js";

type Kind = FaultConfig["kind"];
export type FaultOf<K extends Kind> = Extract<FaultConfig, { kind: K }>;

interface Entry {
  fault: FaultConfig;
  fired: number;
  patterns: RegExp[];
}

export function globToRegExp(glob: string): RegExp {
  let re = "^";
  for (const ch of glob) {
    if (ch === "*") re += ".*";
    else if (ch === "?") re += ".";
    else re += ch.replace(/[.+^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`${re}$`);
}

function targets(f: FaultConfig): string[] {
  switch (f.kind) {
    case "error":
    case "latency":
    case "reset_before":
    case "lose_response":
      return f.methods;
    case "ws_drop":
    case "heartbeat_stall":
      return f.sockets;
    case "book_gap":
      return f.instruments;
    case "clock_jump":
      return ["*"];
  }
}

export class FaultEngine {
  private entries: Entry[] = [];
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly rng: Rng,
    faults: readonly FaultConfig[] = [],
  ) {
    this.replace(faults);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  replace(faults: readonly FaultConfig[]): void {
    this.entries = faults.map((f) => ({ fault: f, fired: 0, patterns: targets(f).map(globToRegExp) }));
    for (const l of this.listeners) l();
  }

  /** Appends a fault; the others keep their fired counts. */
  add(fault: FaultConfig): void {
    this.entries.push({ fault, fired: 0, patterns: targets(fault).map(globToRegExp) });
    for (const l of this.listeners) l();
  }

  clear(): void {
    this.replace([]);
  }

  /** Faults with how often each fired (admin view). */
  list(): (FaultConfig & { index: number; fired: number; exhausted: boolean })[] {
    return this.entries.map((e, index) => ({
      ...e.fault,
      index,
      fired: e.fired,
      exhausted: this.exhausted(e),
    }));
  }

  configs(): FaultConfig[] {
    return this.entries.map((e) => e.fault);
  }

  private exhausted(e: Entry): boolean {
    const f = e.fault;
    if (f.kind === "clock_jump") return e.fired >= 1;
    return f.count !== undefined && e.fired >= f.count;
  }

  /** Whether any fault of `kind` is configured (cheap pre-check for hot paths). */
  has(kind: Kind): boolean {
    return this.entries.some((e) => e.fault.kind === kind && !this.exhausted(e));
  }

  /** The first fault of `kind` matching `target` that fires now (count and probability applied). */
  fire<K extends Kind>(kind: K, target: string): FaultOf<K> | undefined {
    for (const e of this.entries) {
      if (e.fault.kind !== kind || this.exhausted(e)) continue;
      if (!e.patterns.some((p) => p.test(target))) continue;
      const p = "probability" in e.fault ? e.fault.probability : 1;
      if (!this.rng.chance(p)) continue;
      e.fired++;
      return e.fault as FaultOf<K>;
    }
    return undefined;
  }

  /** Total added latency for `method` (every firing latency fault counts). */
  latency(method: string): number {
    let ms = 0;
    for (const e of this.entries) {
      if (e.fault.kind !== "latency" || this.exhausted(e)) continue;
      if (!e.patterns.some((p) => p.test(method))) continue;
      if (!this.rng.chance(e.fault.probability)) continue;
      e.fired++;
      ms += e.fault.ms;
    }
    return ms;
  }

  /** Marks a fault (by identity) as fired, for timer-driven kinds (clock_jump, ws_drop). */
  markFired(fault: FaultConfig): void {
    const e = this.entries.find((x) => x.fault === fault);
    if (e) e.fired++;
  }

  isExhausted(fault: FaultConfig): boolean {
    const e = this.entries.find((x) => x.fault === fault);
    return e ? this.exhausted(e) : true;
  }

  /** Probability draw for a timer-driven fault. */
  chance(p: number): boolean {
    return this.rng.chance(p);
  }
}

/**
 * One timer per installed fault of a timer-driven kind (ws_drop, clock_jump), counted from when the
 * fault was installed: a fault removed (replace, clear) loses its timer, one added gets its own, and
 * the others keep theirs. `sync()` starts the timers of the faults installed so far (the owner calls
 * it when it starts); later changes sync by themselves until `stop()`.
 */
export class FaultTimers<K extends Kind> {
  private readonly timers = new Map<FaultConfig, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly faults: FaultEngine,
    private readonly kind: K,
    /** Starts the (unref'd) timer of a newly installed fault; undefined for none (e.g. exhausted). */
    private readonly start: (fault: FaultOf<K>) => NodeJS.Timeout | undefined,
  ) {
    faults.onChange(() => this.sync());
  }

  sync(): void {
    const current = new Set(this.faults.configs());
    for (const [f, t] of this.timers) {
      if (!current.has(f)) {
        clearTimeout(t); // clears intervals too
        this.timers.delete(f);
      }
    }
    if (this.stopped) return;
    for (const f of current) {
      if (f.kind !== this.kind || this.timers.has(f)) continue;
      const t = this.start(f as FaultOf<K>);
      if (t) this.timers.set(f, t);
    }
  }

  /** Clears every timer; no new ones start afterwards. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
