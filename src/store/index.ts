/** src/store: the store's entry points (see types.ts for the interface, docs/store.md for the reference). */

export * from "./errors.js";
export { acquireLeadership, type Leadership, type LeadershipOptions, type LostReason } from "./leader.js";
export { type OpenStoreOptions, openStore } from "./open.js";
export type * from "./types.js";
