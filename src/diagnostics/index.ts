/**
 * The auth and connectivity doctor (docs/doctor.md). A library first: the engine, the API and
 * Telegram call `diagnose()` with the failing request's context and get a `DoctorReport`; `atp doctor`
 * is a thin command over it.
 */
export { AUTH_CAUSES, CAUSE_BY_ID, CAUSES, type CauseInfo, PRECEDENCE } from "./causes.js";
export { diagnose } from "./diagnose.js";
export { OrderInputError } from "./order-check.js";
export { rankCauses } from "./rank.js";
export { type MarkdownOptions, renderHuman, renderJson, renderMarkdown } from "./render.js";
export {
  CAUSE_IDS,
  type CallRecord,
  type Cause,
  type CauseId,
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CheckStatus,
  type Confidence,
  DEFAULT_TIMEOUTS,
  type DoctorContext,
  type DoctorReport,
  type DoctorTimeouts,
  type EngineFailure,
  type FailingOrderInput,
  type FailingRequest,
} from "./types.js";
