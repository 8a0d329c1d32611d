/**
 * The only way a secret is ever shown: its length, (for API keys only) its last 4 characters and the
 * first 8 hex characters of its SHA-256. Everything that prints credentials goes through `maskSecret`.
 */
import { createHash } from "node:crypto";

export type SecretKind = "key" | "secret";

export function fingerprint(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex").slice(0, 8);
}

/** `len=N last4=XXXX fp=abcd1234` for keys; `len=N fp=abcd1234` for secrets (never a last4 of a secret). */
export function maskSecret(value: string | undefined, kind: SecretKind): string {
  if (value === undefined || value === "") return "<not set>";
  const parts = [`len=${value.length}`];
  if (kind === "key") parts.push(`last4=${value.slice(-4)}`);
  parts.push(`fp=${fingerprint(value)}`);
  return parts.join(" ");
}

/** Last 4 characters of an API key, as shown in `atp sign` and the doctor. */
export function last4(value: string): string {
  return value.length <= 4 ? "*".repeat(value.length) : `…${value.slice(-4)}`;
}
