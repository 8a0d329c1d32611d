/**
 * Rule: can the key withdraw? Direct mode reads the doctor's `private/get-deposit-address` probe
 * (run only after the same key's read succeeded): answered → it can; refused by category auth or
 * permission → it cannot. Proxy mode reads the proxy's /health `key_can_withdraw`. A key that can
 * withdraw is a warning (`key_can_withdraw`), never a cause: the verdict does not change.
 */
import { KEY_CAN_WITHDRAW } from "../catalogue/key-hygiene.js";
import { isSkipped, type Observations } from "../observations.js";
import { outcomeText } from "../outcome.js";
import type { CheckStatus, DoctorWarning } from "../types.js";

type Verdict = "can" | "cannot" | "unknown";

function directVerdict(o: Observations): Verdict {
  const p = o.withdrawProbe;
  if (isSkipped(p)) return "unknown";
  if (p.kind === "ok") return "can";
  if (p.kind === "error" && (p.error.category === "auth" || p.error.category === "permission"))
    return "cannot";
  return "unknown";
}

function proxyVerdict(o: Observations): Verdict {
  const v = o.proxyHealth?.keyCanWithdraw;
  return v === true ? "can" : v === false ? "cannot" : "unknown";
}

export function withdrawWarnings(o: Observations): DoctorWarning[] {
  const t = KEY_CAN_WITHDRAW.text;
  if (o.viaProxy) {
    if (proxyVerdict(o) !== "can" || !o.proxyUrl) return [];
    const whose = t.proxyKey;
    return [
      {
        id: "key_can_withdraw",
        summary: t.summary(whose),
        evidence: [t.proxyEvidence(o.proxyUrl)],
        fix: t.fix(whose),
      },
    ];
  }
  if (directVerdict(o) !== "can" || isSkipped(o.withdrawProbe)) return [];
  const whose = t.directKey;
  return [
    {
      id: "key_can_withdraw",
      summary: t.summary(whose),
      evidence: [t.directEvidence(outcomeText(o.withdrawProbe))],
      fix: t.fix(whose),
    },
  ];
}

export function withdrawLine(o: Observations): { status: CheckStatus; detail: string } {
  const t = KEY_CAN_WITHDRAW.text;
  if (o.viaProxy) {
    const v = proxyVerdict(o);
    if (v === "can") return { status: "warn", detail: t.summary(t.proxyKey) };
    return v === "cannot"
      ? { status: "pass", detail: t.proxyPass }
      : { status: "skip", detail: t.proxyUnknown };
  }
  const p = o.withdrawProbe;
  if (isSkipped(p)) return { status: "skip", detail: p?.skipped ?? t.notRun };
  switch (directVerdict(o)) {
    case "can":
      return { status: "warn", detail: t.summary(t.directKey) };
    case "cannot":
      return { status: "pass", detail: t.pass(outcomeText(p)) };
    default:
      return { status: "warn", detail: t.inconclusive(outcomeText(p)) };
  }
}
