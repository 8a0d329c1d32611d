/**
 * atp's version as the proxy reports it (GET /, GET /health): package.json's `version`, read once
 * from the package root (two levels above this file in src/ and in dist/ alike); "unknown" when the
 * file cannot be read (a copied bundle).
 */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function proxyAtpVersion(): string {
  if (cached !== undefined) return cached;
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    cached = typeof pkg.version === "string" ? pkg.version : "unknown";
  } catch {
    cached = "unknown";
  }
  return cached;
}
