/**
 * The signal throttle's state (the `ThrottleStore` of src/strategy/throttle.ts): the last emitted
 * signal per (symbol, strategy, side). Its price is an analytics number, stored as its shortest
 * round-trip text (no float column), so what is loaded is exactly what was saved.
 */
import type { ThrottleRecord, ThrottleStore } from "../../strategy/throttle.js";
import type { RepoContext } from "../context.js";
import { StoreDataError } from "../errors.js";
import { parseMember, SIDES } from "../vocabulary.js";

export function throttleRepo(ctx: RepoContext): ThrottleStore {
  return {
    async load() {
      const rows = await ctx.db.selectFrom("throttle").selectAll().orderBy("symbol").execute();
      return rows.map((r): ThrottleRecord => {
        const price = Number(r.price);
        if (!Number.isFinite(price))
          throw new StoreDataError("throttle.price", `${JSON.stringify(r.price)} is not a number`);
        return {
          symbol: r.symbol,
          strategy: r.strategy,
          side: parseMember(SIDES, r.side, "throttle.side"),
          price,
          at: r.at,
          configHash: r.config_hash,
        };
      });
    },
    async save(record) {
      const values = { price: String(record.price), at: record.at, config_hash: record.configHash };
      await ctx.db
        .insertInto("throttle")
        .values({ symbol: record.symbol, strategy: record.strategy, side: record.side, ...values })
        .onConflict((oc) => oc.columns(["symbol", "strategy", "side"]).doUpdateSet(values))
        .execute();
    },
  };
}
