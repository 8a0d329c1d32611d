/**
 * Statements compiled once (src/store/prepared.ts), on both dialects: the same SQL and rows as the
 * builder, values bound by name (a missing or extra one throws), writes counted by the write
 * counter as any other (outside and inside a transaction), and a transaction's statements roll back
 * with it.
 */
import { describe, expect, it } from "vitest";
import { internalsOf } from "../../src/store/internals.js";
import { given, placeholders, Shape, ShapeFamily } from "../../src/store/prepared.js";
import { DIALECTS, storePerSuite } from "./helpers.js";

const row = (key: string, value: string) => ({ key, value, updated_at: 7 });

const INSERT = new Shape<never>("test.insert", (db, p, first) =>
  db.insertInto("settings").values(placeholders(first, p) as never),
);
const BY_KEY = new Shape<{ key: string; value: string }>("test.byKey", (db, p) =>
  db.selectFrom("settings").select(["key", "value"]).where("key", "=", p("key")),
);
const LIST = new ShapeFamily<{ key: string }>("test.list", (db, p, f) => {
  let q = db.selectFrom("settings").select("key").orderBy("key");
  if (Object.hasOwn(f, "after")) q = q.where("key", ">", p("after"));
  if (Object.hasOwn(f, "at")) q = q.where("updated_at", "=", p("at"));
  return q;
});

describe.each(DIALECTS)("store statements compiled once: %s", (dialect) => {
  const t = storePerSuite(dialect);

  it("runs the builder's SQL with each run's values, bound by name", async () => {
    const { db } = internalsOf(t.store);
    await INSERT.run(db, dialect, row("a", '"x"'));
    await INSERT.run(db, dialect, row("b", '"y"'));
    const built = db.selectFrom("settings").select(["key", "value"]).where("key", "=", "b");
    expect((await BY_KEY.run(db, dialect, { key: "b" })).rows).toEqual(await built.execute());
    expect((await BY_KEY.run(db, dialect, { key: "a" })).rows).toEqual([{ key: "a", value: '"x"' }]);
    expect((await BY_KEY.run(db, dialect, { key: "zz" })).rows).toEqual([]);
  });

  it("refuses a run that lacks a name or brings one the statement does not have", async () => {
    const { db } = internalsOf(t.store);
    await BY_KEY.run(db, dialect, { key: "a" }); // compiled
    expect(() => BY_KEY.run(db, dialect, {})).toThrow(/no value for "key"|0 values for 1 names/);
    expect(() => BY_KEY.run(db, dialect, { key: "a", extra: 1 })).toThrow(/2 values for 1 names/);
    await INSERT.run(db, dialect, row("c", '"z"'));
    // a row with a column more than the compiled insert is refused, never inserted without it
    expect(() => INSERT.run(db, dialect, { ...row("d", '"w"'), more: 1 })).toThrow(/4 values for 3 names/);
    expect((await BY_KEY.run(db, dialect, { key: "d" })).rows).toEqual([]);
  });

  it("a family compiles one statement per set of filters given", async () => {
    const { db } = internalsOf(t.store);
    for (const [k, at] of [
      ["a", 1],
      ["b", 2],
      ["c", 2],
    ] as const)
      await db.insertInto("settings").values({ key: k, value: "1", updated_at: at }).execute();
    const keys = async (f: { after?: string; at?: number }) =>
      (await LIST.run(db, dialect, given(f))).rows.map((r) => r.key);
    expect(await keys({})).toEqual(["a", "b", "c"]);
    expect(await keys({ after: "a" })).toEqual(["b", "c"]);
    expect(await keys({ at: 1 })).toEqual(["a"]);
    expect(await keys({ after: "b", at: 2 })).toEqual(["c"]);
    expect(await keys({ after: undefined, at: 2 })).toEqual(["b", "c"]);
  });

  it("its writes move the write counter, outside and inside a transaction, and roll back with it", async () => {
    const { db } = internalsOf(t.store);
    const v0 = t.store.writeVersion(["settings"]);
    await INSERT.run(db, dialect, row("e", '"1"'));
    expect(t.store.writeVersion(["settings"])).toBe(v0 + 1);
    // signals.insert is a compiled statement: counted when it runs and again when its transaction ends
    const signal = { symbol: "BTC_USD", side: "BUY", source: "test", strategy: "t", trace: {} } as const;
    const s0 = t.store.writeVersion(["signals"]);
    let inside = 0;
    const kept = await t.store.transaction(async (tx) => {
      const r = await tx.signals.insert(signal);
      inside = t.store.writeVersion(["signals"]);
      return r;
    });
    expect(inside).toBe(s0 + 1);
    expect(t.store.writeVersion(["signals"])).toBe(s0 + 2);
    expect(await t.store.signals.get(kept.id)).toMatchObject({ id: kept.id, symbol: "BTC_USD" });
    let lost = "";
    await expect(
      t.store.transaction(async (tx) => {
        lost = (await tx.signals.insert(signal)).id;
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(lost).not.toBe("");
    expect(await t.store.signals.get(lost)).toBeUndefined();
    expect(t.store.writeVersion(["signals"])).toBe(s0 + 4); // a rollback costs a spurious rebuild only
  });
});
