/**
 * One guard: the code it blocks with, which requests it applies to, and its check. A guard returns
 * what it compared in words; runGuards (index.ts) turns a thrown error into a block with the
 * guard's own code (fail closed).
 */
import type { GuardReads } from "./reads.js";
import type { GuardCode, GuardRequest } from "./types.js";

export interface TradingGuard {
  code: GuardCode;
  /** False: the guard does not concern this request and is not listed in the verdict. */
  applies(req: GuardRequest): boolean;
  check(reads: GuardReads): Promise<{ ok: boolean; detail: string }>;
}

/** The request opens a position (a BUY entry). */
export const isEntry = (req: GuardRequest): boolean => req.kind === "ENTRY";
