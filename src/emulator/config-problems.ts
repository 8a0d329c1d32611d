/**
 * Configuration problems as people read them: each zod issue becomes `field.path: problem` (a list
 * of instruments with one bad field names that field, not a bare "Invalid input" on the union), and
 * every own `__proto__` key of a JSON value is refused with its path. Shared by the configuration
 * (`parseEmulatorConfig`) and the admin API, so both name fields alike.
 */
import type { z } from "zod";

/**
 * `field.path: message` for each issue. A union that fails in exactly one option below its root
 * (a list of instruments with one bad field) reports that option's issues with their full path,
 * not a bare "Invalid input" on the union.
 */
export function issueProblems(
  issues: readonly z.core.$ZodIssue[],
  base: readonly PropertyKey[] = [],
): string[] {
  const out: string[] = [];
  for (const i of issues) {
    const path = [...base, ...i.path];
    if (i.code === "invalid_union" && i.errors.length > 0) {
      const deep = i.errors.filter((option) => option.some((e) => e.path.length > 0));
      if (deep.length === 1) {
        out.push(...issueProblems(deep[0]!, path));
        continue;
      }
    }
    out.push(`${pathText(path)}: ${i.message}`);
  }
  return out;
}

export function pathText(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "(root)";
}

/**
 * `field: problem` for every own `__proto__` key in a JSON value. JSON.parse keeps such a key as an
 * own property, but the objects schemas build would silently drop it (a `__proto__` currency or
 * account would vanish), so it is refused with its path instead.
 */
export function reservedKeyProblems(value: unknown, path: readonly PropertyKey[] = [], depth = 0): string[] {
  if (value === null || typeof value !== "object" || depth > 64) return [];
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...reservedKeyProblems(v, [...path, i], depth + 1));
    return out;
  }
  for (const k of Object.keys(value)) {
    if (k === "__proto__") {
      out.push(`${pathText([...path, k])}: "__proto__" cannot be used as a name; rename it`);
      continue;
    }
    out.push(...reservedKeyProblems((value as Record<string, unknown>)[k], [...path, k], depth + 1));
  }
  return out;
}
