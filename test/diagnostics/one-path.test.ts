/**
 * One HTTP stack and one private-call path (issue 9 §3), checked on the imports of src/: the doctor
 * has no transport and no signer of its own (its calls go through CryptoComClient over the shared
 * HttpTransport, built in one file), and the outbound IP is fetched by one fetcher.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** src-relative file → the src-relative files (or packages) it imports, type-only imports included. */
function imports(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of files(SRC)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => {
      const spec = m[1]!;
      return spec.startsWith(".") ? relative(SRC, join(file, "..", spec)).replace(/\.js$/, ".ts") : spec;
    });
    out.set(relative(SRC, file), targets);
  }
  return out;
}

const importersOf = (all: Map<string, string[]>, target: string, under = "") =>
  [...all].filter(([f, t]) => f.startsWith(under) && t.includes(target)).map(([f]) => f);

describe("one HTTP stack and one private-call path", () => {
  const all = imports();

  it("the doctor opens no HTTP agent of its own", () => {
    expect(importersOf(all, "undici", "diagnostics/")).toEqual([]);
    expect(importersOf(all, "exchange/cryptocom/transport.ts", "diagnostics/").sort()).toEqual([
      "diagnostics/path-failure.ts",
      "diagnostics/probe-client.ts",
    ]);
  });

  it("the doctor signs nothing it sends: its private calls go through the client, built in one file", () => {
    expect(importersOf(all, "exchange/cryptocom/client.ts", "diagnostics/")).toEqual([
      "diagnostics/probe-client.ts",
    ]);
    // envelope.ts only for the offline self-test's round trip (nothing built there is sent)
    expect(importersOf(all, "exchange/cryptocom/envelope.ts", "diagnostics/")).toEqual([
      "diagnostics/self-test.ts",
    ]);
    for (const own of ["rate-limiter.ts", "response.ts", "nonce.ts"]) {
      expect(importersOf(all, `exchange/cryptocom/${own}`, "diagnostics/"), own).toEqual([]);
    }
  });

  it("one outbound-IP fetcher: only it reads echo answers", () => {
    expect(importersOf(all, "util/ip.ts")).toEqual(["exchange/cryptocom/outbound-ip.ts"]);
    const users = importersOf(all, "exchange/cryptocom/outbound-ip.ts").sort();
    for (const f of [
      "diagnostics/connection-test.ts",
      "proxy/signing-proxy.ts",
      "exchange/cryptocom/client.ts",
    ]) {
      expect(users).toContain(f);
    }
  });
});
