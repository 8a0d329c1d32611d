/**
 * The reference material developers keep beside the checkout (`../shared`: the exchange reference,
 * the published signing vectors). A bare clone has none of it, so no test may require it:
 * - the project keeps its own copies (src/diagnostics/signing-vectors.ts, test/fixtures/);
 * - a test may compare such a copy with the original when it is present, and otherwise skips that one
 *   comparison with `skipUnlessPresent`, whose note says what was not checked and why.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The folder beside the checkout (the repository root's sibling `shared/`). */
const ROOT = new URL("../../../shared/", import.meta.url);

export interface ReferenceFile {
  /** Path relative to the reference folder, e.g. `vectors/cryptocom-signing.json`. */
  name: string;
  /** Absolute path where it would be. */
  path: string;
  /** Its text, or undefined when the file is not there (a bare clone). */
  text: string | undefined;
}

/** Reads a reference file when it exists; never throws for a missing folder. */
export function referenceFile(name: string): ReferenceFile {
  const path = fileURLToPath(new URL(name, ROOT));
  return { name, path, text: existsSync(path) ? readFileSync(path, "utf8") : undefined };
}

/** The note a skipped comparison carries. */
export function absentNote(file: ReferenceFile): string {
  return `../shared/${file.name} is not beside the checkout (a bare clone): comparison with the original skipped, the in-repo copy is still checked`;
}

/**
 * Skips the running test when the file is absent, saying why (printed, since the default reporter
 * lists a skipped test only by count, and as the skip's note); returns the file's text otherwise.
 * `skip` is the test context's `skip`.
 */
export function skipUnlessPresent(file: ReferenceFile, skip: (note: string) => never): string {
  if (file.text === undefined) {
    const note = absentNote(file);
    console.info(`skipped: ${note}`);
    skip(note);
  }
  return file.text;
}
