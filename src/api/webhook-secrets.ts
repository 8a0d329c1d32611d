/**
 * The webhooks' secret digests in memory, for `POST /api/signals/webhook/{name}`: one versioned read
 * of the `webhooks` table (versioned-read.ts) instead of a store read per signal. Read again after
 * every committed write of this process to the table (a webhook created or deleted, the default's
 * secret put, uses written), and:
 * - on PostgreSQL when `WEBHOOK_SECRETS_MAX_AGE_MS` (1 s) old: a webhook created or deleted through
 *   another atp's API on the same database answers accordingly within it;
 * - on SQLite never for age: one atp process per file (the store's lock, docs/store.md), and no
 *   command writes webhooks (the CLI's readers insert inbox signals only), so this process's writes
 *   are all the writes and the version alone says when the digests changed.
 *
 * Invariants:
 * - Only the stored SHA-256 digests are held (never a secret); the given secret is hashed once and
 *   compared with `timingSafeEqual` against the webhook's digest, or a dummy digest for an unknown
 *   name: the same work either way, and an unknown name and a wrong secret are the same `false`.
 * - Names are looked up in a Map.
 */
import { hash, timingSafeEqual } from "node:crypto";
import type { Store } from "../store/types.js";
import type { Clock } from "../util/clock.js";
import { VersionedRead } from "./versioned-read.js";

export const WEBHOOK_SECRETS_MAX_AGE_MS = 1_000;

const digestOf = (text: string): Buffer => hash("sha256", text, "buffer");
const DUMMY_DIGEST = digestOf("no such webhook");

export class WebhookSecrets {
  private readonly digests: VersionedRead<Map<string, Buffer>>;
  private readonly maxAgeMs: number;

  constructor(store: Store, clock: Clock) {
    this.maxAgeMs = store.dialect === "sqlite" ? Number.POSITIVE_INFINITY : WEBHOOK_SECRETS_MAX_AGE_MS;
    this.digests = new VersionedRead(store, clock, ["webhooks"], async () => {
      const out = new Map<string, Buffer>();
      for (const w of await store.webhooks.list()) {
        const d = Buffer.from(w.secretHash, "hex");
        if (d.length === 32) out.set(w.name, d);
      }
      return out;
    });
  }

  /** Whether `secret` is webhook `name`'s secret (false for an unknown name, a missing or wrong secret). */
  async check(name: string, secret: string | undefined): Promise<boolean> {
    const stored = (await this.digests.get(this.maxAgeMs)).get(name);
    const same = timingSafeEqual(digestOf(secret ?? ""), stored ?? DUMMY_DIGEST);
    return same && stored !== undefined && secret !== undefined;
  }
}
