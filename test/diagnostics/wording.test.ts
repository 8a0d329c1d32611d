/**
 * Decision rules hold no wording (issue 9 §4): every English sentence, shell command and fix of a
 * cause is a template of the cause catalogue (src/diagnostics/catalogue/), and the rules
 * (decide.ts, src/diagnostics/rules/) only decide which cause, which confidence and which lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const DIAG = fileURLToPath(new URL("../../src/diagnostics/", import.meta.url));
const RULE_FILES = [
  join(DIAG, "decide.ts"),
  ...readdirSync(join(DIAG, "rules")).map((f) => join(DIAG, "rules", f)),
];

/** String and template literals of a file, comments removed. */
function literals(file: string): string[] {
  const code = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/^\s*\/\/.*$/gm, "")
    .replace(/ \/\/ .*$/gm, "");
  return [...code.matchAll(/"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g)].map((m) => m[0]);
}

describe("wording lives in the cause catalogue", () => {
  it("no decision rule writes a phrase (a literal with a space) or a shell command", () => {
    const found = RULE_FILES.flatMap((f) =>
      literals(f)
        .filter((l) => /\s/.test(l))
        .map((l) => `${f.slice(DIAG.length)}: ${l.slice(0, 60)}`),
    );
    expect(found).toEqual([]);
  });

  it("no rule patches its wording after the fact", () => {
    for (const f of RULE_FILES) expect(readFileSync(f, "utf8"), f).not.toMatch(/\.replace\(/);
  });
});
