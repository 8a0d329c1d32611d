/**
 * One `atp start` child process of the crash test: spawned from the bundled CLI, ready when it
 * prints `atp start: ready`, killed with SIGKILL (no cleanup of any kind runs) or stopped with
 * SIGTERM (an orderly stop that must exit 0).
 *
 * Invariants:
 * - Every wait is bounded: a process that never gets ready, or does not exit, fails the test with
 *   its output instead of hanging it.
 * - `killed()` resolves only after the process has exited, so whatever the store holds afterwards
 *   is exactly what the process had committed when it died.
 * - The output is kept (bounded tail) for the evidence of a failure.
 */
import type { ChildProcess } from "node:child_process";
import type { CliBundle } from "../helpers/cli-bundle.js";

export const START_ARGS = ["start", "--no-signals", "--tick-ms", "50", "--reconcile-s", "1"];
const TAIL = 20_000;

export class AtpProcess {
  private out = "";
  private err = "";
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Milliseconds from spawn to `ready` (undefined until ready). */
  readyMs: number | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on("data", (d: Buffer) => {
      this.out = (this.out + d.toString()).slice(-TAIL);
    });
    child.stderr?.on("data", (d: Buffer) => {
      this.err = (this.err + d.toString()).slice(-TAIL);
    });
    this.exit = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  static spawn(bundle: CliBundle, env: Record<string, string>): AtpProcess {
    return new AtpProcess(bundle.spawn(START_ARGS, env));
  }

  get output(): string {
    return `--- stdout\n${this.out}\n--- stderr\n${this.err}`;
  }

  /** Resolves when the process printed `ready`; rejects when it exits first or within `timeoutMs` not. */
  async ready(timeoutMs = 20_000): Promise<number> {
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.out.includes("atp start: ready")) resolve();
      };
      this.child.stdout?.on("data", check);
      check();
      void this.exit.then(({ code, signal }) =>
        reject(new Error(`atp exited before ready (code ${code}, signal ${signal})\n${this.output}`)),
      );
      timer = setTimeout(
        () => reject(new Error(`atp not ready within ${timeoutMs} ms\n${this.output}`)),
        timeoutMs,
      );
    });
    try {
      await done;
    } finally {
      clearTimeout(timer);
    }
    this.readyMs = performance.now() - t0;
    return this.readyMs;
  }

  /** SIGKILL, then waits until the process is gone. */
  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exited(10_000);
  }

  /** SIGTERM (an orderly stop); resolves with the exit code. */
  async stop(timeoutMs = 20_000): Promise<number | null> {
    this.child.kill("SIGTERM");
    const { code } = await this.exited(timeoutMs);
    return code;
  }

  private async exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        reject(new Error(`atp did not exit within ${timeoutMs} ms\n${this.output}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exit, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
