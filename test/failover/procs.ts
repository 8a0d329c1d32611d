/**
 * `atp` child processes for the failover tests: spawned from the esbuild bundle (bundle.ts) with a
 * clean environment (test/helpers/cli.ts cleanEnv: the developer's own variables never leak in),
 * their stdout read line by line with the instant each line arrived.
 *
 * Invariants:
 * - Every wait is bounded: `line()` rejects after its timeout naming what was awaited and showing
 *   the output so far; `exited()` likewise. Nothing sleeps a fixed time.
 * - `kill()` / `stop()` signal only this child, by its pid; `stopAll()` ends every child still
 *   running (SIGKILL), so a failing test leaves no process behind.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cleanEnv } from "../helpers/cli.js";
import { bundleAtp } from "./bundle.js";

export interface OutputLine {
  text: string;
  /** performance.now() when the line was read. */
  at: number;
}

export class AtpProcess {
  readonly lines: OutputLine[] = [];
  stderr = "";
  private partial = "";
  private readonly waiters = new Set<() => void>();
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      const parts = (this.partial + d).split("\n");
      this.partial = parts.pop() ?? "";
      for (const text of parts) this.lines.push({ text, at: performance.now() });
      for (const w of this.waiters) w();
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
    });
    this.exit = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        resolve({ code, signal, at: performance.now() });
        for (const w of this.waiters) w();
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid (spawn failed)`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first line (from index `from`) matching `re`; rejects after `timeoutMs` or when the process exits. */
  line(re: RegExp, timeoutMs: number, from = 0): Promise<OutputLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.lines.slice(from).find((l) => re.test(l.text));
        if (hit) return done(() => resolve(hit));
        if (!this.running) return done(() => reject(this.failure(`exited before printing ${re}`)));
      };
      const timer = setTimeout(
        () => done(() => reject(this.failure(`no line ${re} within ${timeoutMs} ms`))),
        timeoutMs,
      );
      const done = (f: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        f();
      };
      this.waiters.add(check);
      check();
    });
  }

  private failure(what: string): Error {
    const out = this.lines.map((l) => l.text).join("\n");
    return new Error(
      `${this.name}: ${what}\n--- stdout\n${out}\n--- stderr (tail)\n${this.stderr.slice(-3000)}`,
    );
  }

  /** Resolves with the exit; rejects (after killing the child) if it has not exited within `timeoutMs`. */
  async exited(
    timeoutMs: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(this.failure(`did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exit, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    if (this.running) this.child.kill(signal);
  }
}

const started = new Set<AtpProcess>();

/** Spawns `atp <args>` with `env` on top of a clean environment. */
export async function spawnAtp(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<AtpProcess> {
  const bundle = await bundleAtp();
  const child = spawn(process.execPath, [bundle, ...args], {
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const p = new AtpProcess(name, child);
  started.add(p);
  return p;
}

/** SIGKILLs every child still running and waits for their exits. */
export async function stopAll(): Promise<void> {
  const all = [...started];
  started.clear();
  for (const p of all) p.kill();
  await Promise.all(all.map((p) => p.exit));
}
