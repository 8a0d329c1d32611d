/**
 * Credential cleaning. Values pasted with surrounding whitespace, a trailing newline/CR or wrapping
 * quotes are cleaned, and every cleaning is reported (never silent). Whitespace or non-printable
 * characters inside the value cannot be cleaned safely: they are an error naming the variable.
 */
import type { Finding, RawValues, Values } from "./types.js";
import { VARIABLES } from "./variables.js";

export interface CleanResult {
  value: string;
  /** What was removed, in words (empty when the value was already clean). */
  cleaned: string[];
  /** Why the value is unusable (undefined when usable). */
  error?: string;
}

/** Control characters and invisible Unicode (zero-width spaces, BOM, NBSP) that break an HMAC key. */
function hasInvisible(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || (c >= 0x200b && c <= 0x200f)) return true;
    if (c === 0x2028 || c === 0x2029 || c === 0x2060 || c === 0xfeff) return true;
  }
  return false;
}

function describeEdge(s: string): string {
  if (/[\r\n]/.test(s)) return /\r/.test(s) ? "a trailing carriage return / line break" : "a line break";
  return "surrounding whitespace";
}

export function cleanCredential(raw: string): CleanResult {
  const cleaned: string[] = [];
  let v = raw;
  for (let round = 0; round < 3; round++) {
    const trimmed = v.replace(/^[\s\ufeff]+|[\s\ufeff]+$/g, "");
    if (trimmed !== v) {
      const removed = v.slice(0, v.length - v.trimStart().length) + v.slice(v.trimEnd().length);
      cleaned.push(describeEdge(removed));
      v = trimmed;
    }
    const q = /^(["'`])(.*)\1$/s.exec(v);
    if (q && v.length >= 2) {
      cleaned.push("wrapping quotes");
      v = q[2]!;
      continue;
    }
    break;
  }
  if (/\s/.test(v))
    return { value: v, cleaned, error: "contains whitespace or a line break inside the value" };
  if (hasInvisible(v))
    return { value: v, cleaned, error: "contains non-printable characters (e.g. a zero-width space)" };
  return { value: v, cleaned: [...new Set(cleaned)] };
}

/**
 * Configuration step 2, clean: every secret through `cleanCredential` (each cleaning a warning,
 * an uncleanable value an error and the variable dropped), every other value trimmed.
 */
export function cleanValues(raw: RawValues): { values: Values; findings: Finding[] } {
  const values = new Map<string, string>();
  const findings: Finding[] = [];
  for (const v of VARIABLES) {
    const r = raw.get(v.name);
    if (!r) continue;
    if (!v.secret) {
      values.set(v.name, r.value.trim());
      continue;
    }
    const c = cleanCredential(r.value);
    if (c.cleaned.length > 0) {
      findings.push({
        severity: "warning",
        kind: "cleaned",
        variable: v.name,
        problem: `value had ${c.cleaned.join(" and ")} (from ${r.source}); atp removed it`,
        fix: `rewrite ${v.name} in ${r.source === "env" ? "the environment" : r.source} without it`,
      });
    }
    if (c.error) {
      findings.push({
        severity: "error",
        kind: "invalid",
        variable: v.name,
        problem: c.error,
        fix: `copy ${v.name} again from the exchange, as one line without spaces`,
      });
      continue;
    }
    values.set(v.name, c.value);
  }
  return { values, findings };
}
