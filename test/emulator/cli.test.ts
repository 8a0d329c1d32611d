/** `atp emulator` as a user runs it: prints the listening line, serves, stops on SIGTERM. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, sharedCliBundle } from "../helpers/cli.js";
import { http } from "./helpers.js";

/** Starts `atp emulator` with `args`; resolves with the base URL it prints, the child and its output. */
async function launch(args: string[]) {
  const child = (await sharedCliBundle()).spawn(["emulator", ...args]);
  const out = { stdout: "", stderr: "" };
  child.stderr!.on("data", (d: Buffer) => {
    out.stderr += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line; stderr: ${out.stderr}`)), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      out.stdout += d.toString();
      const m = /^listening on (\S+)$/m.exec(out.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on("exit", (code) => reject(new Error(`exited ${code}: ${out.stderr}`)));
  });
  return { child, line, out, exit };
}

describe("atp emulator", () => {
  it("prints `listening on http://HOST:PORT/exchange/v1`, serves, and exits 0 on SIGTERM", async () => {
    const { child, line, out, exit } = await launch(["--port", "0", "--seed", "5", "--speed", "2"]);
    expect(line).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exchange\/v1$/);
    const r = await http(`${line}/public/get-instruments`);
    expect(r.body.code).toBe(0);
    const state = await http(`${line.replace("/exchange/v1", "")}/emulator/admin/state`);
    expect(state.body).toMatchObject({ seed: 5, speed: 2 });
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(out.stdout).toContain("emulator stopped");
  });

  it("exits at once on SIGTERM while a latency fault holds a request (close means close)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    const file = join(dir, "held.json");
    // Ten minutes: far beyond the test's timeout, so only a close that cancels the wait passes.
    writeFileSync(
      file,
      JSON.stringify({
        market_tick_ms: 0,
        faults: [{ kind: "latency", ms: 600_000, methods: ["public/*"] }],
      }),
    );
    const { child, line, out, exit } = await launch(["--port", "0", "--config", file]);
    const held = http(`${line}/public/get-instruments`).catch(() => "reset");
    const adminUrl = line.replace("/exchange/v1", "/emulator/admin");
    while ((await http(`${adminUrl}/faults`)).body.faults[0].fired < 1) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(await held).toBe("reset");
    expect(out.stdout).toContain("emulator stopped");
  });

  it("names a bad flag and exits 2", async () => {
    const r = await runCli(["emulator", "--port", "eighty"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be an integer/);
    const s = await runCli(["emulator", "--speed", "0"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/--speed must be a positive number/);
  });

  it("names the bad field of a config file and exits 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-cli-"));
    const file = join(dir, "emu.json");
    writeFileSync(file, JSON.stringify({ keys: [{ api_key: "k", secret: "s", account: "nobody" }] }));
    const r = await runCli(["emulator", "--config", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: keys[0].account: no account named "nobody"`);
  });
});
