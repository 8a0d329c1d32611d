/**
 * Statements of the trading path built and compiled by Kysely once per dialect, then run again with
 * new values. Building and compiling a query (its operation tree, frozen node by node, then visited
 * into SQL) is most of what Kysely costs per query; a statement that always has the same shape
 * needs it once.
 *
 * Invariants:
 * - A shape's SQL and constants come from Kysely's own builder and compiler for the dialect (the
 *   same text a builder call makes); its values are placeholders named at build time (`p("name")`)
 *   and bound by name at each run. A run must give exactly the shape's names: a missing or an extra
 *   one is a programming error and throws (a row with a column the shape lacks is never cut short).
 * - A run goes through `db.executeQuery`, so it meets the same executor, connection (a transaction's
 *   own, or the pool's mutex) and result plugins as any other query. The write counter sees a
 *   shape's writes through its query id (write-counter.ts `WritingQueryId`), because the plugins'
 *   query transforms ran once, at compile time. The store's plugins never rewrite a query.
 * - Only statements whose SQL never depends on their values are shapes (no optional clauses, no
 *   `in` lists of varying length); a repository picks the shape by name for each variant.
 */
import type { Compilable, CompiledQuery, QueryResult, RootOperationNode } from "kysely";
import type { Db } from "./db.js";
import type { StoreDialect } from "./types.js";
import { type WritingQueryId, writtenTable } from "./write-counter.js";

/** The placeholder value of parameter `name` while a shape is compiled: never a stored value. */
const PLACEHOLDER = "\u0000atp-shape-parameter:";

type Slot = { name: string } | { value: unknown };

interface Compiled {
  sql: string;
  query: RootOperationNode;
  slots: Slot[];
  /** How many distinct names the slots bind. */
  names: number;
  writes: string | undefined;
}

type Values = { readonly [name: string]: unknown };

/**
 * Builds a shape's query; `p(name)` stands for the value bound to `name` at each run; `first` is the
 * first run's values (an insert takes its columns from their names).
 */
// biome-ignore lint/suspicious/noExplicitAny: a placeholder stands for a column value of any type
export type ShapeBuilder = (db: Db, p: (name: string) => any, first: Values) => Compilable<unknown>;

/** `row`'s names, each bound to its placeholder: the values of a one-row insert shape. */
// biome-ignore lint/suspicious/noExplicitAny: see ShapeBuilder
export function placeholders(row: Values, p: (name: string) => any): Record<string, any> {
  return Object.fromEntries(Object.keys(row).map((k) => [k, p(k)]));
}

export class Shape<R> {
  private readonly compiled = new Map<StoreDialect, Compiled>();
  private runs = 0;

  constructor(
    readonly name: string,
    private readonly build: ShapeBuilder,
  ) {}

  /** Runs the shape on `db` (the store's handle or a transaction's) with `values` bound by name. */
  run(db: Db, dialect: StoreDialect, values: Values): Promise<QueryResult<R>> {
    const c = this.compiled.get(dialect) ?? this.compile(db, dialect, values);
    if (Object.keys(values).length !== c.names)
      throw new Error(`store shape ${this.name}: ${Object.keys(values).length} values for ${c.names} names`);
    const parameters = c.slots.map((s) => {
      if (!("name" in s)) return s.value;
      if (!Object.hasOwn(values, s.name))
        throw new Error(`store shape ${this.name}: no value for "${s.name}"`);
      return values[s.name] ?? null;
    });
    const queryId: WritingQueryId = { queryId: `${this.name}#${++this.runs}`, writes: c.writes };
    const query: CompiledQuery<R> = { query: c.query, queryId, sql: c.sql, parameters };
    return db.executeQuery(query);
  }

  private compile(db: Db, dialect: StoreDialect, first: Values): Compiled {
    const out = this.build(db, (name) => `${PLACEHOLDER}${name}`, first).compile();
    const slots = out.parameters.map(
      (v): Slot =>
        typeof v === "string" && v.startsWith(PLACEHOLDER)
          ? { name: v.slice(PLACEHOLDER.length) }
          : { value: v },
    );
    const names = new Set(slots.flatMap((x) => ("name" in x ? [x.name] : []))).size;
    const c = { sql: out.sql, query: out.query, slots, names, writes: writtenTable(out.query) };
    this.compiled.set(dialect, c);
    return c;
  }
}

/**
 * Shapes of one query whose clauses depend on which values are given (optional filters): one shape
 * per set of names, compiled when first used. `values` holds only the given names (an undefined
 * filter is left out, not passed as undefined); the builder reads them from `first`.
 */
export class ShapeFamily<R> {
  private readonly shapes = new Map<string, Shape<R>>();

  constructor(
    readonly name: string,
    private readonly build: ShapeBuilder,
  ) {}

  run(db: Db, dialect: StoreDialect, values: Values): Promise<QueryResult<R>> {
    const names = Object.keys(values).join(",");
    let shape = this.shapes.get(names);
    if (!shape) {
      shape = new Shape<R>(`${this.name}(${names})`, this.build);
      this.shapes.set(names, shape);
    }
    return shape.run(db, dialect, values);
  }
}

/** `filter` without its undefined entries: the names a ShapeFamily run is given. */
export function given<T extends object>(filter: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(filter)) if (v !== undefined) out[k as keyof T] = v;
  return out;
}
