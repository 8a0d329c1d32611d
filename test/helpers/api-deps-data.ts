/**
 * Test helpers of the API's data routes, on top of test/helpers/api-deps.ts: a server with the
 * webhook `default` secret, rows seeded through the store's own repositories (orders, lots), and a
 * stand-in for the engine's inbox consumer (claims PENDING signals and files them as the intake
 * does: intent by `signal:<id>`, signal ACCEPTED with it).
 */
import type { DashboardState } from "../../src/api/contract/types.js";
import { createApiServer } from "../../src/api/server.js";
import type { OrderRecord, Store } from "../../src/store/types.js";
import type { OrderRole, StoredOrderStatus } from "../../src/store/vocabulary.js";
import { dec } from "../../src/util/decimal.js";
import { type ApiTestOptions, type ApiTestServer, apiTestDeps } from "./api-deps.js";

export async function apiDataServer(
  o: ApiTestOptions & { webhookSecret?: string } = {},
): Promise<ApiTestServer> {
  const d = await apiTestDeps(o);
  if (o.webhookSecret) d.deps.defaultWebhookSecret = o.webhookSecret;
  const server = await createApiServer(d.deps);
  return {
    ...d,
    server,
    async close() {
      await server.close();
      await d.dispose();
    },
  };
}

let n = 0;
/** One order row: an intent and its attempt, then the status (and exchange id) given. */
export async function seedOrder(
  store: Store,
  o: {
    symbol?: string;
    role?: OrderRole;
    status?: StoredOrderStatus;
    side?: "BUY" | "SELL";
    lotId?: string;
  } = {},
): Promise<OrderRecord> {
  n += 1;
  const { intent } = (await store.intents.create({
    idempotencyKey: `seed-${n}-${Math.random()}`,
    kind: "ENTRY",
    symbol: o.symbol ?? "BTC_USD",
    side: o.side ?? "BUY",
    mode: "DRY_RUN",
    actor: "test",
  })) as { created: true; intent: { id: string } };
  const row = await store.orders.insertAttempt({
    intentId: intent.id,
    attempt: 1,
    clientOid: `atp-seed-${n}-${intent.id.slice(-6)}`,
    symbol: o.symbol ?? "BTC_USD",
    side: o.side ?? "BUY",
    type: o.role === "STOP_LOSS" ? "STOP_LIMIT" : "MARKET",
    role: o.role ?? "ENTRY",
    mode: "DRY_RUN",
    notional: dec("10.00"),
    ...(o.lotId ? { lotId: o.lotId } : {}),
  });
  if (!o.status || o.status === "PENDING_SUBMIT") return row;
  return (await store.orders.setStatus(row.id, o.status)) as OrderRecord;
}

/**
 * Claims PENDING inbox signals every few ms and accepts them (an intent per signal), as the engine's
 * intake does; `block` makes it block them with that code instead. Returns stop() (await it before closing).
 */
export function fakeInboxConsumer(store: Store, opts: { block?: string } = {}): () => Promise<void> {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const claimed = await store.transaction(async (tx) => {
        const rows = await tx.signals.claimPending(10);
        for (const s of rows) {
          const r = await tx.intents.create({
            idempotencyKey: `signal:${s.id}`,
            kind: s.side === "BUY" ? "ENTRY" : "EXIT",
            symbol: s.symbol,
            side: s.side,
            mode: "DRY_RUN",
            actor: "engine",
            signalId: s.id,
            ...(opts.block
              ? { status: "BLOCKED" as const, reasonCode: opts.block }
              : { status: "READY" as const }),
          });
          const intentId = r.created ? r.intent.id : r.existing.id;
          await tx.signals.updateStatus(s.id, {
            status: opts.block ? "BLOCKED" : "ACCEPTED",
            intentId,
            ...(opts.block ? { reasonCode: opts.block } : {}),
          });
        }
        return rows.length;
      });
      if (claimed === 0) await new Promise((r) => setTimeout(r, 10));
    }
  };
  const done = loop();
  return async () => {
    stopped = true;
    await done;
  };
}

/** `GET /api/dashboard/state` on the test server, its answer parsed (status checked by the caller when it matters). */
export async function dashboardStateOf(s: ApiTestServer): Promise<{ status: number; state: DashboardState }> {
  const r = await s.server.inject({ method: "GET", url: "/api/dashboard/state" });
  return { status: r.statusCode, state: r.json() as DashboardState };
}
