/**
 * Configuration step 3, validate: every cleaned value against its variable's check in the table
 * (variables.ts). A refused value is an error with the fix, quoted back with any URL user info
 * masked, and the variable is dropped.
 */
import { displayUrl } from "../util/url.js";
import type { Finding, Values } from "./types.js";
import { VARIABLES, type Variable } from "./variables.js";

export function validateValues(cleaned: Values): { values: Values; findings: Finding[] } {
  const values = new Map<string, string>();
  const findings: Finding[] = [];
  for (const v of VARIABLES) {
    const text = cleaned.get(v.name);
    if (text === undefined) continue;
    const problem = v.check?.(text);
    if (problem !== undefined) {
      findings.push({
        severity: "error",
        kind: "invalid",
        variable: v.name,
        problem: displayUrl(problem),
        fix: fixFor(v),
      });
      continue;
    }
    values.set(v.name, text);
  }
  return { values, findings };
}

function fixFor(v: Variable): string {
  const eg = v.default ?? v.example;
  return eg ? `set ${v.name} like ${eg}` : `correct ${v.name}`;
}
