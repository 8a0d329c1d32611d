/**
 * The API token: ATP_API_TOKEN when set, else the one generated on first start into the data
 * directory (`api-token`, file mode 0600), and the constant-time comparison every check uses.
 *
 * Invariants:
 * - The token is never logged or put in an error here; `created` tells the caller to print it once.
 * - Comparison hashes both sides (sha256) and compares the equal-length digests with
 *   crypto.timingSafeEqual: its time depends on neither the token's content nor its length.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const API_TOKEN_FILE = "api-token";

export interface ApiTokenInfo {
  token: string;
  /** Generated now (print it once). */
  created: boolean;
  /** The token file (null when the token came from the environment). */
  file: string | null;
}

/** A new random secret (32 bytes, base64url). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function loadOrCreateApiToken(dataDir: string, envToken?: string): ApiTokenInfo {
  const fromEnv = envToken?.trim();
  if (fromEnv) return { token: fromEnv, created: false, file: null };
  const file = join(dataDir, API_TOKEN_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    const token = readFileSync(file, "utf8").trim();
    if (token) {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { token, created: false, file };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  const token = randomSecret();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, created: true, file };
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time equality of two secrets. */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
