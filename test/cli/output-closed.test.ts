/**
 * A reader that closes the CLI's stdout (`atp demo | head -3`, `atp emulator | head -1`) ends the
 * command quietly: no `write EPIPE` stack, exit 0, everything it started closed. These need a real
 * process and a real pipe, so they spawn the CLI (few tests: child processes are slow).
 */
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, sharedCliBundle } from "../helpers/cli.js";

let cli = "";
beforeAll(async () => {
  cli = (await sharedCliBundle()).file;
});
const cwd = mkdtempSync(join(tmpdir(), "atp-epipe-"));

type Child = ChildProcessByStdio<null, Readable, Readable>;

function start(args: string[]): { child: Child; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: cleanEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, stderr: () => err, exit };
}

/** Reads stdout until `n` lines have arrived, then closes the read end of the pipe (what `head -n` does). */
function headThenClose(child: Child, n: number): Promise<string[]> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (d: Buffer) => {
      text += d.toString();
      const lines = text.split("\n");
      if (lines.length > n) {
        child.stdout.off("data", onData);
        child.stdout.destroy();
        resolve(lines.slice(0, n));
      }
    };
    child.stdout.on("data", onData);
  });
}

describe("a closed stdout ends the command quietly", () => {
  it("atp demo | head -3: the demo stops by itself, closes the emulator and exits 0 without a stack", async () => {
    const p = start(["demo", "--port", "0", "--interval", "1"]);
    const head = await headThenClose(p.child, 3);
    expect(head[0]).toMatch(/^atp demo: starting/);
    const code = await p.exit; // no signal is sent: the closed output alone ends it
    expect(p.stderr()).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 40_000);

  it("atp emulator | head -5, then Ctrl-C: the goodbye line meets a closed pipe without a stack", async () => {
    const p = start(["emulator", "--port", "0"]);
    // all five startup lines: the emulator has written everything and waits for a signal
    const lines = await headThenClose(p.child, 5);
    expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\/exchange\/v1$/);
    expect(lines[4]).toMatch(/^ {2}ip echo /);
    p.child.kill("SIGTERM"); // "emulator stopped" then goes into the closed pipe
    const code = await p.exit;
    expect(p.stderr()).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  }, 40_000);
});
