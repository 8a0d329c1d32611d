/**
 * The webhook bench (bench/api-webhook.ts) in a process of its own, started with the V8 flags of
 * `npm start` (package.json: `--max-semi-space-size=1 --max-old-space-size=128`): the heap it
 * measures is one like `atp start`'s, not the API bench's (whose dashboard part leaves ~500 MB of
 * fixtures and garbage behind, every scavenge then scanning a large old space: 5–7 ms each, against
 * 3–4 ms in a process of its own with V8's default flags). `runWebhookProcess()` spawns this file;
 * the child, seeing ROLE_ENV, runs one webhook bench and prints its result as one JSON line.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROLE_ENV = "ATP_BENCH_WEBHOOK_CHILD";

/** The V8 flags of `npm start` (its script in package.json), so the bench's heap is sized as atp's. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string };
  };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith("--max-"));
}

if (process.env[ROLE_ENV]) {
  const { runWebhookBench } = await import("./api-webhook.js");
  const [label, where, quiet] = JSON.parse(process.env[ROLE_ENV]) as [string, string | null, boolean?];
  const r = await runWebhookBench(label, where ?? undefined, quiet ?? true);
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
  process.exit(0);
}

export interface WebhookResult {
  lines: string[];
  met: boolean;
  p99: number;
}

/** One webhook bench (`label`, the store under `where`, `quiet` between signals) in its own process; its result. */
export function runWebhookProcess(label: string, where?: string, quiet = true): Promise<WebhookResult> {
  const flags = startFlags();
  const child = spawn(process.execPath, [...flags, "--import", "tsx", fileURLToPath(import.meta.url)], {
    env: { ...process.env, [ROLE_ENV]: JSON.stringify([label, where ?? null, quiet]) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      const m = /^RESULT (.*)$/m.exec(out);
      if (code !== 0 || !m) reject(new Error(`webhook bench process exited ${code} without a result`));
      else {
        const r = JSON.parse(m[1]!) as WebhookResult;
        resolve({
          ...r,
          lines: [
            `In a process of its own, started with \`npm start\`'s V8 flags (${flags.join(" ")}).`,
            "",
            ...r.lines,
          ],
        });
      }
    });
  });
}
