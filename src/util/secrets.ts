/**
 * The only way a secret is ever shown: its length, (for long API keys only) its last 4 characters
 * and the first 8 hex characters of its SHA-256. Everything that prints credentials goes through
 * `maskSecret` (or `last4` for the key inside a shown string to sign).
 *
 * Invariant: last 4 characters are shown only for an API key of at least LAST4_MIN_LENGTH
 * characters, where they reveal little; a shorter key is shown by length and fingerprint only, and
 * a secret never by any of its characters.
 */
import { createHash } from "node:crypto";

export type SecretKind = "key" | "secret";

/** Shortest API key whose last 4 characters are shown. */
export const LAST4_MIN_LENGTH = 12;

export function fingerprint(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex").slice(0, 8);
}

/** True when an API key is long enough for its last 4 characters to be shown. */
export function showsLast4(value: string): boolean {
  return value.length >= LAST4_MIN_LENGTH;
}

/** `len=N last4=XXXX fp=abcd1234` for long keys; `len=N fp=abcd1234` for short keys and secrets. */
export function maskSecret(value: string | undefined, kind: SecretKind): string {
  if (value === undefined || value === "") return "<not set>";
  const parts = [`len=${value.length}`];
  if (kind === "key" && showsLast4(value)) parts.push(`last4=${value.slice(-4)}`);
  parts.push(`fp=${fingerprint(value)}`);
  return parts.join(" ");
}

/** Last 4 characters of a long API key (`…WXYZ`), as shown in `atp sign` and the doctor; `*` per character for a short one. */
export function last4(value: string): string {
  return showsLast4(value) ? `…${value.slice(-4)}` : "*".repeat(value.length);
}
