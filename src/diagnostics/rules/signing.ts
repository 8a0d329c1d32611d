/** Rules: a signature that cannot verify, from the offline self-test and the failing request's JSON numbers. */
import { cause } from "../catalogue/phrases.js";
import { SIGNATURE_MISMATCH } from "../catalogue/signing.js";
import type { Observations } from "../observations.js";
import type { Cause } from "../types.js";

export function signingCauses(o: Observations, out: Cause[]): void {
  const t = SIGNATURE_MISMATCH.text;
  const st = o.selfTest;
  if (st.failedVectors.length > 0 || st.roundTripProblem) {
    out.push(
      cause(
        "signature_mismatch",
        "confirmed",
        t.selfTestSummary,
        [
          ...(st.failedVectors.length > 0 ? [t.failedVectors(st.failedVectors, st.vectorCount)] : []),
          ...(st.roundTripProblem ? [t.roundTrip(st.roundTripProblem)] : []),
        ],
        t.selfTestFix,
      ),
    );
  }
  if (o.hazards.length > 0) {
    // certain when the exchange's re-serialisation of a number differs from what was signed
    const certain = o.hazards.some((h) => h.differing.length > 0);
    out.push(
      cause(
        "signature_mismatch",
        certain ? "confirmed" : "likely",
        t.numbersSummary(o.hazards),
        [...o.hazards.map(t.number), t.stringsRule],
        t.numbersFix(o.hazards),
      ),
    );
  }
}
