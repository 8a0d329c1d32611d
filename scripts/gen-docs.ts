/** `npm run docs`: regenerates every generated doc (see generated-docs.ts). */
import { writeFileSync } from "node:fs";
import { GENERATED_DOCS } from "./generated-docs.js";

for (const doc of GENERATED_DOCS) {
  writeFileSync(new URL(`../${doc.path}`, import.meta.url), doc.render());
  process.stderr.write(`wrote ${doc.path}\n`);
}
