/**
 * `atp test-connection` against an exchange that accepts connections and never answers ends at its
 * overall deadline (--deadline), says so, and reports the remaining steps as not run, instead of
 * spending minutes on per-step timeouts and retries. Real loopback TCP, the CLI's main() in-process.
 *
 * What is asserted is the report (the deadline was hit and named), not how fast it came.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../helpers/in-process.js";

const cwd = mkdtempSync(join(tmpdir(), "atp-deadline-"));
let silent: Server;
const sockets = new Set<Socket>();
let url: string;

beforeAll(async () => {
  // accepts every connection, reads the request, never writes a byte
  silent = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.resume();
  });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
});

describe("test-connection --deadline", () => {
  it("ends at the deadline against an exchange that never answers, and says so", async () => {
    const r = await runMain(["test-connection", "--deadline", "1"], {
      cwd,
      env: {
        EXCHANGE_CUSTOM_API_KEY: "hang-key-0001",
        EXCHANGE_CUSTOM_API_SECRET: "hang-secret-0001",
        EXCHANGE_CUSTOM_BASE_URL: `${url}/exchange/v1`,
        OUTBOUND_IP_URL: `${url}/ip`,
      },
    });
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines.find((l) => l.includes("public ticker"))).toMatch(
      /^FAIL {2}public ticker .* deadline: no answer before the connection test's deadline of 1 s/,
    );
    for (const step of ["signed balance", "open orders", "order history"])
      expect(lines.find((l) => l.includes(step))).toMatch(
        /^FAIL .* not run: the connection test's deadline of 1 s had passed/,
      );
    expect(r.stdout).toMatch(/did not answer within the deadline of 1 s \(--deadline\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("--json reports deadline_hit", async () => {
    const r = await runMain(["test-connection", "--json", "--deadline", "1"], {
      cwd,
      env: { EXCHANGE_CUSTOM_BASE_URL: `${url}/exchange/v1`, OUTBOUND_IP_URL: `${url}/ip` },
    });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, deadline_hit: true, deadline_ms: 1000 });
    expect(out.steps.map((s: { pass: boolean }) => s.pass)).toEqual([false, false, false, false]);
  });
});
