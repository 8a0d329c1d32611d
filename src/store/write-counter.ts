/**
 * What this process has written, per table, as counters (`Store.writeVersion`): the API's dashboard
 * snapshot is rebuilt when one of the tables it reads was written, and served from memory otherwise.
 * A Kysely plugin on the store's connection sees every insert, update and delete the query builder
 * runs (the repositories, leadership) and counts its table.
 *
 * Invariants:
 * - A write outside a transaction (autocommit) is counted when it has executed: committed.
 * - A write inside `transaction(fn)` is counted when it executes AND again when the transaction has
 *   ended (committed or rolled back): a reader that saw the first count but read before the commit
 *   sees the count move once more after it, so a cache keyed by the version is never left holding
 *   data older than a committed write. A rollback only costs a spurious rebuild. The transaction's
 *   own connection handle carries a second plugin that notes the tables it wrote (no async context).
 * - A statement compiled once and run again (prepared.ts) passed the plugins' query transform only
 *   when it was compiled: its query id names the table it writes (`WritingQueryId`), and both
 *   plugins count that instead.
 * - Raw SQL (`sql\`…\``) is not parsed: the store writes none (BEGIN/COMMIT/ROLLBACK aside).
 */
import {
  AliasNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  TableNode,
  type UnknownRow,
} from "kysely";
import type { Db } from "./db.js";

/** The query id of a prepared statement's run (prepared.ts): the table it writes, if any. */
export interface WritingQueryId extends QueryId {
  readonly writes: string | undefined;
}

/** The table a prepared statement's run writes (undefined for any other query). */
function preparedWrite(id: QueryId): string | undefined {
  return "writes" in id ? (id as WritingQueryId).writes : undefined;
}

function tableOf(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (TableNode.is(node)) return node.table.identifier.name;
  if (AliasNode.is(node)) return tableOf(node.node);
  return undefined;
}

/** The table an insert, update or delete writes (undefined for reads and raw SQL). */
export function writtenTable(node: RootOperationNode): string | undefined {
  switch (node.kind) {
    case "InsertQueryNode":
      return tableOf(node.into);
    case "UpdateQueryNode":
      return tableOf(node.table);
    case "DeleteQueryNode":
      return tableOf(node.from.froms[0]);
    default:
      return undefined;
  }
}

export class WriteCounter {
  /** `onWrite`: called once per write statement executed (the SQLite checkpointer's measure of the WAL). */
  constructor(private readonly onWrite?: () => void) {}

  private readonly counts = new Map<string, number>();
  private readonly pending = new WeakMap<QueryId, string>();

  /** The plugin to put on the store's Kysely handle. */
  readonly plugin: KyselyPlugin = {
    transformQuery: (args: PluginTransformQueryArgs): RootOperationNode => {
      const table = writtenTable(args.node);
      if (table !== undefined) this.pending.set(args.queryId, table);
      return args.node;
    },
    transformResult: async (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => {
      const table = this.pending.get(args.queryId) ?? preparedWrite(args.queryId);
      if (table !== undefined) {
        this.pending.delete(args.queryId);
        this.bump(table);
        this.onWrite?.();
      }
      return args.result;
    },
  };

  /**
   * Runs one transaction (`fn` includes its commit or rollback); `fn` runs its statements on
   * `counted(conn)`, and what they wrote is counted again after.
   */
  async transaction<T>(fn: (counted: (conn: Db) => Db) => Promise<T>): Promise<T> {
    const wrote = new Set<string>();
    const noting: KyselyPlugin = {
      transformQuery: (args) => {
        const table = writtenTable(args.node);
        if (table !== undefined) wrote.add(table);
        return args.node;
      },
      transformResult: async (args) => {
        const table = preparedWrite(args.queryId);
        if (table !== undefined) wrote.add(table);
        return args.result;
      },
    };
    try {
      return await fn((conn) => conn.withPlugin(noting));
    } finally {
      for (const table of wrote) this.bump(table);
    }
  }

  /** The sum of the tables' counters: changes exactly when one of them was written. */
  version(tables: readonly string[]): number {
    let v = 0;
    for (const t of tables) v += this.counts.get(t) ?? 0;
    return v;
  }

  private bump(table: string): void {
    this.counts.set(table, (this.counts.get(table) ?? 0) + 1);
  }
}
