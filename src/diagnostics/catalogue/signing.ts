/** Catalogue: a signature that cannot verify (the self-test, or JSON numbers in the failing request). */
import type { NumberHazard } from "../self-test.js";
import { entry } from "./entry.js";

export const SIGNATURE_MISMATCH = entry({
  id: "signature_mismatch",
  title: "Signature cannot verify",
  when: "A local self-check shows the request we send cannot verify (e.g. numbers in params).",
  found:
    "Signing self-test on the known vectors and a round trip of our own serialisation (confirmed if it fails); the failing request's params checked for JSON numbers the exchange would re-serialise differently (confirmed when a re-serialisation differs, likely otherwise).",
  evidence: "The vector or param path that fails and how the exchange would render it.",
  fix: [
    "Send every decimal and id as a string formatted once (atp's client does); update atp if its self-test fails.",
  ],
  codes: [40101],
  text: {
    selfTestSummary:
      "atp's own signing self-test fails: every signed request would be refused (40101 UNAUTHORIZED)",
    failedVectors: (failed: readonly string[], count: number) =>
      `${failed.length}/${count} known-answer vectors fail: ${failed.join(", ")}`,
    roundTrip: (problem: string) => `serialisation round trip: ${problem}`,
    selfTestFix: [
      "Reinstall atp (`npm ci`) and run `npm test`; report the failing vector names if it persists.",
    ],
    numbersSummary: (hazards: readonly NumberHazard[]) =>
      `the failing request sends ${hazards.length === 1 ? "a number" : "numbers"} in params (${hazards.map((h) => h.path).join(", ")}): the exchange signs its own re-serialisation of them`,
    number: (h: NumberHazard) =>
      h.differing.length > 0
        ? `${h.path} is the JSON number ${h.text}; the exchange may sign it as: ${h.differing.join("; ")}`
        : `${h.path} is the JSON number ${h.text}; the exchange requires every number as a string ("${h.text}")`,
    stringsRule: "the exchange's rule: all numbers must be strings in double quotes (reference §2.1, §3.4)",
    numbersFix: (hazards: readonly NumberHazard[]) => [
      `Send ${hazards.map((h) => `${h.path.replace(/^params\./, "")}: "${h.text}"`).join(", ")} as strings, formatted once from a decimal type (atp's client refuses fractional numbers for this reason).`,
    ],
  },
});
