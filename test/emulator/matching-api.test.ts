/**
 * The matching core stands alone (docs/emulator.md "Matching core API"): the trading engine's
 * dry-run broker drives it in process, so it must not reach into the emulator's transports, clock,
 * market or configuration, and its public entry point must carry what such a broker calls.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as core from "../../src/emulator/matching/index.js";

const DIR = fileURLToPath(new URL("../../src/emulator/matching/", import.meta.url));
/** What the core may import besides its own files. */
const ALLOWED = new Set([
  "node:crypto",
  "../../util/decimal.js",
  "../../domain/orders.js",
  "../../exchange/cryptocom/instruments.js",
]);

describe("src/emulator/matching", () => {
  it("imports only its own files, util/decimal, the instrument rules and node:crypto", () => {
    const outside: string[] = [];
    const files = readdirSync(DIR).filter((f) => f.endsWith(".ts"));
    for (const f of files) {
      const text = readFileSync(join(DIR, f), "utf8");
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
        const target = m[1]!;
        if (target.startsWith("./") || ALLOWED.has(target)) continue;
        outside.push(`${f} imports ${target}`);
      }
    }
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(outside).toEqual([]);
  });

  it("exports what a dry-run broker calls", () => {
    for (const name of [
      "MatchingEngine",
      "Ledger",
      "orderToWire",
      "fillToWire",
      "balanceToWire",
      "isLimitLike",
      "isPostOnly",
      "DEFAULT_MAX_FINAL_ORDERS",
    ]) {
      expect(core, name).toHaveProperty(name);
    }
  });
});
