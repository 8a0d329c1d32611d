/**
 * .env.local / .env that cannot be read, keys set twice, and a plain-http base URL: each is a finding
 * (never a crash), reported by the inspectors and, for the errors, refused by the other commands
 * with exit 2 and the problem named.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnvFile, readEnvFile } from "../../src/config/env-file.js";
import { loadConfig } from "../../src/config/load.js";
import { runMain } from "../helpers/in-process.js";

function dir(): string {
  return mkdtempSync(join(tmpdir(), "atp-envfile-"));
}

/** A cwd whose .env.local is a directory (EISDIR when read). */
function withDirectory(): string {
  const d = dir();
  mkdirSync(join(d, ".env.local"));
  return d;
}

/** chmod 000 blocks reading only for a user without CAP_DAC_OVERRIDE; root reads it anyway. */
const isRoot = process.getuid?.() === 0;

describe("an .env file that cannot be read is a configuration problem, not a crash", () => {
  it("a directory", () => {
    const r = loadConfig({ cwd: withDirectory(), env: {} });
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual([
      expect.objectContaining({
        kind: "env_file",
        variable: ".env.local",
        problem: expect.stringMatching(/is a directory, not a file/),
      }),
    ]);
  });

  it("a FIFO is refused without being opened (reading it would block)", () => {
    const d = dir();
    execFileSync("mkfifo", [join(d, ".env")]);
    const r = loadConfig({ cwd: d, env: {} });
    expect(r.errors).toEqual([
      expect.objectContaining({ variable: ".env", problem: expect.stringMatching(/not a regular file/) }),
    ]);
  });

  it("a symbolic link to nothing", () => {
    const d = dir();
    symlinkSync(join(d, "gone"), join(d, ".env.local"));
    const r = loadConfig({ cwd: d, env: {} });
    expect(r.errors).toEqual([
      expect.objectContaining({
        variable: ".env.local",
        problem: expect.stringMatching(/link to a file that does not exist/),
      }),
    ]);
  });

  it.skipIf(isRoot)(
    "a file without read permission (skipped as root: chmod 000 does not stop root from reading)",
    () => {
      const d = dir();
      writeFileSync(join(d, ".env.local"), "PORT=9000\n");
      chmodSync(join(d, ".env.local"), 0o000);
      expect(() => readFileSync(join(d, ".env.local"))).toThrow(/EACCES/);
      const r = loadConfig({ cwd: d, env: {} });
      expect(r.errors).toEqual([
        expect.objectContaining({
          variable: ".env.local",
          problem: expect.stringMatching(/permission denied \(EACCES\)/),
        }),
      ]);
    },
  );

  it("the other file is still read", () => {
    const d = withDirectory();
    writeFileSync(join(d, ".env"), "PORT=9003\n");
    const r = loadConfig({ cwd: d, env: {} });
    expect(r.config.server.port).toBe(9003);
  });

  it("readEnvFile never throws", () => {
    expect(readEnvFile(join(withDirectory(), ".env.local"))).toEqual({
      kind: "unreadable",
      problem: "is a directory, not a file",
    });
    expect(readEnvFile(join(dir(), ".env.local"))).toEqual({ kind: "missing" });
  });
});

describe("the commands with an unreadable .env.local", () => {
  it("check-config reports it and goes on (exit 1, no stack)", async () => {
    const r = await runMain(["check-config"], { cwd: withDirectory() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ERROR\s+\.env\.local: is a directory, not a file; atp ignored it/);
    expect(r.stdout).toMatch(/EXCHANGE_CUSTOM_BASE_URL/); // the rest of the listing is there
    expect(r.stdout + r.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });

  it("doctor reports it as a configuration problem and runs its checks", async () => {
    const r = await runMain(["doctor", "--json"], {
      cwd: withDirectory(),
      // nothing answers on port 9 of loopback: the network checks fail fast
      env: {
        EXCHANGE_CUSTOM_BASE_URL: "http://127.0.0.1:9/exchange/v1",
        OUTBOUND_IP_URL: "http://127.0.0.1:9/ip",
      },
    });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(JSON.stringify(report)).toMatch(/\.env\.local.*is a directory/);
    expect(report.checks.length).toBeGreaterThan(3);
    expect(r.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });

  it("a command that needs a valid configuration refuses with exit 2, naming the file", async () => {
    const r = await runMain(["sign", "--method", "private/user-balance"], { cwd: withDirectory() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.env\.local/);
    expect(r.stderr).not.toMatch(/EISDIR|\n\s+at /);
  });
});

describe("keys set twice", () => {
  it("parseEnvFile keeps the last value and lists every line that sets the key", () => {
    const r = parseEnvFile("A=1\nB=2\n# c\nA=3\nC='multi\nline'\nA=4\nC=5\n");
    expect(r.values.get("A")).toBe("4");
    expect(r.duplicates).toEqual([
      { key: "A", lines: [1, 4, 7] },
      { key: "C", lines: [5, 8] },
    ]);
  });

  it("is a warning naming both lines, in check-config", async () => {
    const d = dir();
    writeFileSync(join(d, ".env.local"), "PORT=9001\nHOST=127.0.0.1\nPORT=9002\n");
    const r = loadConfig({ cwd: d, env: {} });
    expect(r.valid).toBe(true);
    expect(r.config.server.port).toBe(9002);
    expect(r.warnings).toEqual([
      expect.objectContaining({
        kind: "duplicate_key",
        variable: ".env.local:1",
        problem: "PORT is set on lines 1 and 3; atp uses line 3",
      }),
    ]);
    const out = await runMain(["check-config"], { cwd: d });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/WARNING \.env\.local:1: PORT is set on lines 1 and 3; atp uses line 3/);
  });
});

describe("a plain http:// base URL", () => {
  const warned = (url: string) =>
    loadConfig({ cwd: dir(), env: { EXCHANGE_CUSTOM_BASE_URL: url } }).warnings.filter(
      (w) => w.kind === "insecure_url",
    );

  it("to another machine is a warning (keys and signatures would travel unencrypted)", () => {
    const [w] = warned("http://api.crypto.com/exchange/v1");
    expect(w).toMatchObject({ severity: "warning", variable: "EXCHANGE_CUSTOM_BASE_URL" });
    expect(w!.problem).toMatch(/plain http:\/\/ to api\.crypto\.com/);
    expect(w!.fix).toMatch(/https:\/\//);
    expect(warned("http://203.0.113.5:8100/exchange/v1")).toHaveLength(1);
  });

  it("to this machine (the emulator) or over https is fine", () => {
    for (const url of [
      "https://api.crypto.com/exchange/v1",
      "http://127.0.0.1:8100/exchange/v1",
      "http://localhost:8100/exchange/v1",
      "http://[::1]:8100/exchange/v1",
    ])
      expect(warned(url), url).toEqual([]);
  });
});
