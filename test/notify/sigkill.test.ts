/**
 * Dedup across a SIGKILL mid-send, with a real child process: the child claims the message and
 * writes the request; the fake server receives it and never answers; the child is killed with
 * SIGKILL before it can mark the row SENT. A new sender over the same store finds the row SENDING,
 * records it UNKNOWN, does NOT send it again, and sends a "may have been lost" notice instead.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../helpers/fake-telegram.js";
import { type NotifyFixture, notifyFixture } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let f: NotifyFixture;
let bundle: string | undefined;
afterEach(async () => {
  await f?.dispose();
  if (bundle) rmSync(bundle, { force: true });
});

describe("a sender killed mid-send", () => {
  it("never sends the message twice: the next sender records it UNKNOWN and says a message may have been lost", async () => {
    f = await notifyFixture();
    await f.store.events.append({
      kind: "protection.failed",
      symbol: "ETH_USD",
      payload: {
        mode: "LIVE",
        lotId: "lot1",
        reason: "deadline missed",
        critical: true,
        openQuantity: "0.5",
      },
    });
    const dir = join(ROOT, "tmp", "cli-bundle");
    mkdirSync(dir, { recursive: true });
    bundle = join(dir, `sender-child-${process.pid}-${randomBytes(4).toString("hex")}.mjs`);
    await build({
      entryPoints: [join(ROOT, "test/notify/sender-child.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile: bundle,
      logLevel: "silent",
    });
    f.fake.hold("sendMessage");
    const child = spawn(process.execPath, [bundle], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        ATP_DATA_DIR: f.dataDir,
        TELEGRAM_API_ROOT: f.fake.apiRoot,
        TELEGRAM_BOT_TOKEN: f.fake.token,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_c, sig) => r(sig)));
    await until(() => f.fake.callsOf("sendMessage").length === 1, 8000, "the child's request");
    const [row] = await f.store.outbox.list();
    expect(row?.state).toBe("SENDING");
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const s = f.sender();
    s.start();
    await until(() => f.fake.callsOf("sendMessage").length === 2, 5000, "the notice");
    const second = f.fake.callsOf("sendMessage")[1]?.params.text as string;
    expect(second).toContain("A message may have been lost");
    expect(second).toContain("protection.failed");
    expect((await f.store.outbox.get(row!.id))?.state).toBe("UNKNOWN");
    await f.time.advance(10_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(f.fake.callsOf("sendMessage")).toHaveLength(2);
    expect(s.counts.unknown).toBe(1);
  }, 20_000);
});
