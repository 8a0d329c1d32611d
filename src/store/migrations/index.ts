/**
 * The store's one migration history, in order. To add a migration: write `NNN-name.ts` exporting a
 * `Migration` with the next version, append it here, never edit a released one (docs/store.md).
 */
import { initial } from "./001-initial.js";
import { webhooksMigration } from "./002-webhooks.js";
import { orderListsMigration } from "./003-order-lists.js";
import type { Migration } from "./types.js";

export const MIGRATIONS: readonly Migration[] = [initial, webhooksMigration, orderListsMigration];

/** The highest schema version this atp knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
