/** The auth circuit breaker (breaker.ts) and what it decides by (failures.ts); docs/trading/breaker.md. */
export * from "./breaker.js";
export * from "./failures.js";
export type { AuthDiagnose, AuthDiagnosis, AuthDiagnosisContext } from "./incident-log.js";
