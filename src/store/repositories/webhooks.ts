/**
 * Webhooks (migration 002): a name and the SHA-256 (hex) of its secret, never the secret itself.
 * The table's row type lives here (db.ts is the schema of 001; Kysely's `withTables` adds this one).
 *
 * Invariants: `create` never replaces an existing row (the first secret of a name stands until it
 * is removed); `put` replaces the hash (for a secret whose source of truth is outside the store,
 * ATP_WEBHOOK_SECRET) and keeps `created_at`; `touch` never moves `last_used_at` back.
 */
import type { Selectable } from "kysely";
import type { RepoContext } from "../context.js";
import type { WebhookRecord, WebhooksRepo } from "../types.js";

interface WebhooksTable {
  name: string;
  secret_hash: string;
  created_at: number;
  last_used_at: number | null;
}

function fromRow(r: Selectable<WebhooksTable>): WebhookRecord {
  return {
    name: r.name,
    secretHash: r.secret_hash,
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? undefined : Number(r.last_used_at),
  };
}

export function webhooksRepo(ctx: RepoContext): WebhooksRepo {
  const db = () => ctx.db.withTables<{ webhooks: WebhooksTable }>();
  async function get(name: string): Promise<WebhookRecord | undefined> {
    const r = await db().selectFrom("webhooks").selectAll().where("name", "=", name).executeTakeFirst();
    return r && fromRow(r);
  }
  return {
    get,
    async list() {
      const rows = await db().selectFrom("webhooks").selectAll().orderBy("name").execute();
      return rows.map(fromRow);
    },
    async create(input) {
      const row = {
        name: input.name,
        secret_hash: input.secretHash,
        created_at: input.createdAt ?? ctx.now(),
        last_used_at: null,
      };
      const res = await db()
        .insertInto("webhooks")
        .values(row)
        .onConflict((oc) => oc.column("name").doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0n) > 0) return { created: true, webhook: fromRow(row) };
      const existing = await get(input.name);
      if (!existing) throw new Error(`webhook ${input.name} neither inserted nor found`);
      return { created: false, webhook: existing };
    },
    async put(input) {
      const now = input.createdAt ?? ctx.now();
      await db()
        .insertInto("webhooks")
        .values({ name: input.name, secret_hash: input.secretHash, created_at: now, last_used_at: null })
        .onConflict((oc) => oc.column("name").doUpdateSet({ secret_hash: input.secretHash }))
        .execute();
      const w = await get(input.name);
      if (!w) throw new Error(`webhook ${input.name} not found after put`);
      return w;
    },
    async touch(name, at) {
      const when = at ?? ctx.now();
      const res = await db()
        .updateTable("webhooks")
        .set({ last_used_at: when })
        .where("name", "=", name)
        // never back: a use written late (the API's deferred uses) does not replace a newer one
        .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", when)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) > 0) return true;
      return (await get(name)) !== undefined;
    },
    async remove(name) {
      const res = await db().deleteFrom("webhooks").where("name", "=", name).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
