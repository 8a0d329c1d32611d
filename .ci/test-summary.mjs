// .ci/run's closing line, printed from vitest's JSON report whatever the tests did:
//   tests: N passed, N failed, N skipped[; N file(s) failed outside their tests (paths)]
// A file that fails outside its tests (at import, in a hook) counts, as in vitest's own summary.
// Exit status: 0 only when the report is readable, at least one test ran and nothing failed;
// a missing or unreadable report prints "tests: no report …" and exits 1.
// Usage: node .ci/test-summary.mjs <vitest-report.json>
import { readFileSync } from "node:fs";
import { relative } from "node:path";

const path = process.argv[2] ?? "";
let report;
try {
  report = JSON.parse(readFileSync(path, "utf8"));
} catch (err) {
  console.log(`tests: no report (no readable vitest JSON report at "${path}": ${err.code ?? err.message})`);
  process.exit(1);
}
const count = (name) => (Number.isInteger(report[name]) ? report[name] : 0);
const files = Array.isArray(report.testResults) ? report.testResults : [];
const broken = files
  .filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"))
  .map((f) => relative(process.cwd(), f.name ?? "?"));
const passed = count("numPassedTests");
const failed = count("numFailedTests");
const skipped = count("numPendingTests") + count("numTodoTests");
let line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
if (broken.length > 0) {
  line += `; ${broken.length} ${broken.length === 1 ? "file" : "files"} failed outside their tests (${broken.join(", ")})`;
}
console.log(line);
if (count("numTotalTests") === 0) console.log("tests: no test ran");
const ok = count("numTotalTests") > 0 && failed === 0 && broken.length === 0 && report.success !== false;
process.exit(ok ? 0 : 1);
