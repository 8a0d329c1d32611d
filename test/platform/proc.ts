/**
 * A running `atp start` child for the platform tests: stdout read line by line, bounded waits for a
 * line, for an HTTP condition (a short real wait between polls: real network I/O must complete) and
 * for the exit. `kill()` signals only this child, by pid; `stopAllPlatform()` SIGKILLs what is left.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export class StartedAtp {
  readonly lines: string[] = [];
  stderr = "";
  private partial = "";
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8").on("data", (d: string) => {
      const parts = (this.partial + d).split("\n");
      this.partial = parts.pop() ?? "";
      this.lines.push(...parts);
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      this.stderr = (this.stderr + d).slice(-200_000);
    });
    this.exit = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
    running.add(this);
    void this.exit.then(() => running.delete(this));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  describe(what: string): Error {
    return new Error(
      `${what}\n--- stdout\n${this.lines.join("\n")}\n--- stderr (tail)\n${this.stderr.slice(-4000)}`,
    );
  }

  /** The first stdout line matching `re`. */
  async line(re: RegExp, timeoutMs: number): Promise<string> {
    const hit = await until(`a line ${re}`, timeoutMs, async () => {
      if (!this.running) throw this.describe(`exited before printing ${re}`);
      return this.lines.find((l) => re.test(l));
    });
    return hit;
  }

  async exited(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        reject(this.describe(`did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exit, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

const running = new Set<StartedAtp>();

export async function stopAllPlatform(): Promise<void> {
  const all = [...running];
  for (const p of all) p.child.kill("SIGKILL");
  await Promise.all(all.map((p) => p.exit));
}

/** Polls `probe` (a short real wait between tries) until it answers a value; rejects after `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const end = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("exited before")) throw e;
      last = e;
    }
    if (performance.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET a JSON body (any status). */
export async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** True when something accepts connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(true));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(false)));
  });
}
