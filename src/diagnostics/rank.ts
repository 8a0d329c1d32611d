/**
 * Ranking: confirmed before likely before possible; equal confidence is ordered by PRECEDENCE
 * (where on the request's path the problem is met). Two findings with the same id are merged:
 * the stronger confidence wins and the evidence/fix lines are united (first occurrence first).
 */
import { PRECEDENCE } from "./causes.js";
import { type Cause, CONFIDENCES, type Confidence } from "./types.js";

export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.indexOf(c);
}

function unite(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

export function mergeCauses(causes: readonly Cause[]): Cause[] {
  const byId = new Map<string, Cause>();
  for (const c of causes) {
    const prev = byId.get(c.id);
    if (!prev) {
      byId.set(c.id, { ...c, evidence: [...c.evidence], fix: [...c.fix] });
      continue;
    }
    const [strong, weak] =
      confidenceRank(c.confidence) < confidenceRank(prev.confidence) ? [c, prev] : [prev, c];
    byId.set(c.id, {
      id: c.id,
      confidence: strong.confidence,
      summary: strong.summary,
      evidence: unite(strong.evidence, weak.evidence),
      fix: unite(strong.fix, weak.fix),
    });
  }
  return [...byId.values()];
}

export function rankCauses(causes: readonly Cause[]): Cause[] {
  return mergeCauses(causes).sort(
    (a, b) =>
      confidenceRank(a.confidence) - confidenceRank(b.confidence) ||
      PRECEDENCE.indexOf(a.id) - PRECEDENCE.indexOf(b.id),
  );
}
