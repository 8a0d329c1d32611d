/**
 * The store's errors. Each carries a stable dotted `errorCode` and a `disposition` (they extend the domain's `AtpError`) and a message an operator can
 * act on. None of them ever contains a password: URLs pass through `displayUrl`.
 *
 * | class                    | errorCode                 | CLI exit | when                                   |
 * |--------------------------|---------------------------|----------|----------------------------------------|
 * | `StoreConfigError`       | `store.config`            | 2        | a URL that is neither postgres:// nor empty, an unusable data dir |
 * | `StoreUnavailableError`  | `store.unavailable`       | 2        | the database cannot be opened or reached |
 * | `SchemaTooNewError`      | `store.schema_too_new`    | 2        | the database was migrated by a newer atp |
 * | `StoreLockedError`       | `store.locked`            | 2        | another atp holds the SQLite file       |
 * | `StoreDataError`         | `store.data`              | —        | a stored value this atp cannot read     |
 * | `StoreInputError`        | `store.input`             | —        | a cursor or limit the store cannot use  |
 * | `StoreMisuseError`       | `store.misuse`            | —        | the store used inside its own transaction (store.ts) |
 */

import { AtpError } from "../domain/errors.js";

export abstract class StoreError extends AtpError {}

/** The store's configuration is unusable (bad URL scheme, data directory not creatable). */
export class StoreConfigError extends StoreError {
  readonly errorCode = "store.config";
  readonly disposition = "fatal";
  constructor(message: string) {
    super(message);
    this.name = "StoreConfigError";
  }
}

/** The database could not be opened or reached (file not writable, server down, bad credentials). */
export class StoreUnavailableError extends StoreError {
  readonly errorCode = "store.unavailable";
  readonly disposition = "fatal";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/** The database holds a schema version above every migration this atp knows. */
export class SchemaTooNewError extends StoreError {
  readonly errorCode = "store.schema_too_new";
  readonly disposition = "fatal";
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `database schema version ${found} is newer than this atp knows (up to ${known}): upgrade atp, or restore a backup made by this version`,
    );
    this.name = "SchemaTooNewError";
  }
}

/** Who holds a lock, as far as it could be recorded. */
export interface LockHolder {
  pid: number;
  host: string;
  instanceId: string;
  since: number;
}

/** Another process holds the SQLite database's process lock. */
export class StoreLockedError extends StoreError {
  readonly errorCode = "store.locked";
  readonly disposition = "fatal";
  constructor(
    readonly file: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `another atp (pid ${holder.pid}${holder.host ? ` on ${holder.host}` : ""})`
      : "another atp";
    super(`${who} is using ${file}; stop it first`);
    this.name = "StoreLockedError";
  }
}

/** A stored value that this atp cannot read back (a value outside its column's union, bad JSON, …). */
export class StoreDataError extends StoreError {
  readonly errorCode = "store.data";
  readonly disposition = "skip";
  constructor(
    readonly where: string,
    detail: string,
  ) {
    super(`${where}: ${detail}`);
    this.name = "StoreDataError";
  }
}

/** A caller passed something the store cannot use (a cursor it did not issue, a limit out of range). */
export class StoreInputError extends StoreError {
  readonly errorCode = "store.input";
  readonly disposition = "skip";
  constructor(message: string) {
    super(message);
    this.name = "StoreInputError";
  }
}
