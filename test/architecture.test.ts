import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** Allowed dependencies between top-level modules of src/ (see docs/architecture.md). */
const ALLOWED: Record<string, string[]> = {
  util: [],
  log: ["util"],
  config: ["util", "log"],
  exchange: ["util", "log"],
  emulator: ["util", "log", "exchange"],
  proxy: ["util", "log", "exchange"],
  diagnostics: ["util", "log", "config", "exchange", "proxy"],
  indicators: [],
  market: ["util", "log", "exchange", "indicators"],
  strategy: ["util", "log", "indicators", "market"],
  backtest: ["util", "log", "indicators", "market", "strategy", "exchange", "emulator"],
  // the store may use the venue-neutral exchange types (exchange/types.ts) and the throttle's port
  store: ["util", "log", "exchange", "strategy"],
  app: [
    "util",
    "log",
    "config",
    "exchange",
    "emulator",
    "proxy",
    "diagnostics",
    "indicators",
    "market",
    "strategy",
    "backtest",
    "store",
  ],
};
// the CLI may use everything the composition root uses, and the root itself
ALLOWED.cli = [...ALLOWED.app!, "app"];

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("module dependencies point inward", () => {
  it("every src/ module imports only what docs/architecture.md allows", () => {
    const violations: string[] = [];
    const seen = new Set<string>(); // module → module edges found, to prove the scan reads imports
    for (const file of files(SRC)) {
      const rel = relative(SRC, file);
      const module = rel.split("/")[0]!;
      const allowed = ALLOWED[module];
      if (!allowed) {
        violations.push(`${rel}: module '${module}' is not in the architecture table`);
        continue;
      }
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.[^"']+)["']/g)) {
        const target = relative(SRC, join(file, "..", m[1]!)).split("/")[0]!;
        seen.add(`${module}→${target}`);
        if (target !== module && !allowed.includes(target))
          violations.push(`${rel} imports ${target} (${m[1]})`);
      }
    }
    expect(violations).toEqual([]);
    // a scan that matched nothing would pass vacuously: these edges exist today
    expect([...seen]).toEqual(expect.arrayContaining(["cli→app", "app→exchange", "exchange→util"]));
  });
});
