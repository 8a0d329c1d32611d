/** Reconciliation of the store with a venue (reconciler.ts); docs/trading/reconcile.md. */
export * from "./reconciler.js";
export type { ReconcileHooks, ReconcileReport, ReconcilerOptions } from "./types.js";
