/**
 * One name, one meaning: no two files in src/ define an export of the same name. Two modules that
 * each export a `Side`, a `Candle` or an `Order` of their own are how a shared vocabulary drifts
 * apart (a `Candle` with `Dec` and `time` next to one with numbers and `t`); the vocabulary lives in
 * src/domain and everyone imports it from there.
 *
 * Definitions are read with the TypeScript parser: exported declarations (`export interface`,
 * `type`, `class`, `function`, `const`, `let`, `enum`) and local export lists (`export { a as b }`).
 * Re-exports (`export … from`, or `export { X }` of an imported `X`) pass the same definition on
 * and do not count.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/**
 * Names several files define on purpose, with the reason. Keep it short: anything else gets a
 * name of its own.
 */
const ALLOWED: ReadonlyMap<string, { why: string; files: RegExp }> = new Map(
  ["run", "summary", "usage", "command"].map((name) => [
    name,
    {
      why: "the CLI command module protocol: each command file exports them",
      files: /^cli\/commands\/[^/]+\.ts$/,
    },
  ]),
);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function isExported(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** Names this file defines and exports (not what it re-exports from elsewhere). */
function definedExports(text: string, fileName = "x.ts"): Set<string> {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names = new Set<string>();
  const imported = new Set<string>();
  for (const st of sf.statements) {
    const bindings = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
    if (bindings && ts.isNamedImports(bindings))
      for (const el of bindings.elements) imported.add(el.name.text);
  }
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
      for (const el of st.exportClause.elements) {
        // `import { X } …; export { X }` passes an import on: a re-export, not a definition
        if (!imported.has((el.propertyName ?? el.name).text)) names.add(el.name.text);
      }
      continue;
    }
    if (!isExported(st)) continue;
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    } else if (
      (ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isFunctionDeclaration(st) ||
        ts.isEnumDeclaration(st)) &&
      st.name
    ) {
      names.add(st.name.text);
    }
  }
  return names;
}

describe("every exported name is defined once in src/", () => {
  it("reads definitions, not re-exports", () => {
    const names = definedExports(
      [
        "export type Side = 'BUY' | 'SELL';",
        "export const Dec = 1; export type Dec = number;",
        "export interface Candle { t: number }",
        "export function run() {}",
        "export abstract class AtpError extends Error {}",
        "const local = 1; export { local as renamed };",
        "export { Other } from './other.js'; export * from './all.js';",
        "export type { Side as Alias } from './x.js';",
        "import type { Instrument } from './types.js'; export type { Instrument };",
      ].join("\n"),
    );
    expect([...names].sort()).toEqual(["AtpError", "Candle", "Dec", "Side", "renamed", "run"]);
  });

  it("no two files in src/ export a definition of the same name", () => {
    const where = new Map<string, string[]>();
    for (const file of files(SRC)) {
      const rel = relative(SRC, file).split("\\").join("/");
      for (const name of definedExports(readFileSync(file, "utf8"), file)) {
        where.set(name, [...(where.get(name) ?? []), rel]);
      }
    }
    const clashes: string[] = [];
    for (const [name, list] of where) {
      if (list.length < 2) continue;
      const allowed = ALLOWED.get(name);
      if (allowed && list.every((f) => allowed.files.test(f))) continue;
      clashes.push(`${name}: ${list.join(", ")}`);
    }
    expect(clashes).toEqual([]);
    // a scan that found nothing would pass vacuously
    expect(where.get("Side")).toEqual(["domain/orders.ts"]);
    expect(where.size).toBeGreaterThan(300);
  });
});
