import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_DOCS } from "../../scripts/generated-docs.js";

describe("generated docs are current (run `npm run docs` to refresh)", () => {
  it("checks every generated file", () => {
    expect(GENERATED_DOCS.map((d) => d.path)).toEqual(
      expect.arrayContaining([".env.example", "docs/configuration.md", "docs/error-codes.md"]),
    );
  });
  for (const doc of GENERATED_DOCS) {
    it(doc.path, () => {
      const onDisk = readFileSync(new URL(`../../${doc.path}`, import.meta.url), "utf8");
      expect(onDisk).toBe(doc.render());
    });
  }
});
