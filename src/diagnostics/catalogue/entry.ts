/**
 * One entry of the cause catalogue: the generic text (docs/troubleshooting.md is generated from it)
 * and the templates of the run-specific summary, evidence and fix lines the decision rules fill in.
 */
import type { CauseId } from "../types.js";

export interface CauseInfo {
  id: CauseId;
  title: string;
  /** When the cause applies (the definition). */
  when: string;
  /** How the doctor establishes it, and with which confidence. */
  found: string;
  /** The evidence a report shows for it. */
  evidence: string;
  /** Generic fix (reports give the exact values for the user). */
  fix: string[];
  /** Exchange codes that point to it (for the troubleshooting index). */
  codes: number[];
}

export interface CauseEntry<T> extends CauseInfo {
  /** Run-specific wording: templates that only format what the rules hand them. */
  text: T;
}

export function entry<T>(e: CauseEntry<T>): CauseEntry<T> {
  return e;
}
