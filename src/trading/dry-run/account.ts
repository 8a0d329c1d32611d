/**
 * The simulated account: every private call of `ExchangeClient`, answered by the emulator's
 * matching core in process. Nothing here performs I/O except through `prepare` (the broker's
 * book refresh before an order is matched).
 *
 * Invariants:
 * - Outcomes have the live client's shapes and meanings: `accepted` (the order exists), `rejected`
 *   with the core's code (with `orderId` when the core recorded it REJECTED), `not_sent` when no
 *   book could be obtained for the symbol (nothing was placed). A duplicate client_oid (204) is
 *   answered as the live client answers it after probing: `accepted` with `probed: true` and the
 *   existing order — never a second order.
 * - An accepted order is worked (matched, rested, triggered) on the next turn of the event loop,
 *   after the caller has its acknowledgement, as the exchange processes orders after the ack.
 * - Reads and cancels throw a `DryRunRefusal` carrying the core's code where the live client
 *   would throw an ExchangeError; `getOrder` / `getTriggerOrder` answer undefined for an unknown order.
 */
import { isPlainOrderType, isTriggerType } from "../../domain/orders.js";
import type { MatchingEngine, Origin, VenueOrderRequest } from "../../emulator/matching/index.js";
import type {
  CancelAck,
  ExchangeFailure,
  Fill,
  HistoryQuery,
  OcoRequest,
  Order,
  OrderRef,
  OrderRequest,
  PlaceOcoOutcome,
  PlaceOrderOutcome,
  TriggerOrderRequest,
} from "../../exchange/types.js";
import type { Clock } from "../../util/clock.js";
import { dryRunClientOid, dryRunLegIntentId } from "./client-oid.js";
import {
  fillFromVenue,
  legVenueRequest,
  orderFromVenue,
  plainVenueRequest,
  triggerVenueRequest,
} from "./convert.js";
import { DryRunRefusal } from "./errors.js";

/** The one simulated account's name inside the matching core. */
export const DRY_RUN_ACCOUNT = "dry-run";
const DAY_MS = 86_400_000;

export interface DryRunAccountDeps {
  engine: MatchingEngine;
  clock: Clock;
  /** Makes the symbol's book fresh enough to match against; a failure when there is none at all. */
  prepare(symbol: string): Promise<ExchangeFailure | undefined>;
  /** Runs `fn` after the current turn of the event loop. */
  defer(fn: () => void): void;
}

export class DryRunAccount {
  constructor(private readonly d: DryRunAccountDeps) {}

  placeOrder(req: OrderRequest): Promise<PlaceOrderOutcome> {
    const oid = dryRunClientOid(req.intentId);
    if (!isPlainOrderType(req.type)) {
      return Promise.resolve(
        this.refused("private/create-order", oid, 140001, `${req.type} on create-order`),
      );
    }
    return this.submit("private/create-order", req.symbol, plainVenueRequest(req, oid), "plain");
  }

  placeTriggerOrder(req: TriggerOrderRequest): Promise<PlaceOrderOutcome> {
    const oid = dryRunClientOid(req.intentId);
    if (!isTriggerType(req.type)) {
      return Promise.resolve(this.refused("private/advanced/create-order", oid, 218, `${req.type}`));
    }
    return this.submit(
      "private/advanced/create-order",
      req.symbol,
      triggerVenueRequest(req, oid),
      "advanced",
    );
  }

  async placeOco(req: OcoRequest): Promise<PlaceOcoOutcome> {
    const method = "private/advanced/create-oco";
    const oids = req.legs.map((l, i) => dryRunClientOid(l.intentId ?? dryRunLegIntentId(req.intentId, i)));
    const clientOids: [string, string] = [oids[0]!, oids[1] ?? ""];
    if (req.legs.length !== 2)
      return this.refused(method, clientOids[0], 40004, "an OCO has exactly two legs");
    const failure = await this.d.prepare(req.symbol);
    if (failure) return { status: "not_sent", clientOid: clientOids[0], error: failure, attempts: 1 };
    const legs = req.legs.map((l, i) => legVenueRequest(req.symbol, l, oids[i]!));
    const r = this.d.engine.submitOco(DRY_RUN_ACCOUNT, legs);
    if (r.ok) {
      for (const o of r.orders) this.d.defer(() => this.d.engine.execute(o.orderId));
      return { status: "accepted", listId: r.listId, clientOids, probed: false, attempts: 1 };
    }
    const existing = r.code === 204 ? this.find({ clientOid: clientOids[0] }) : undefined;
    if (existing?.listId) {
      return { status: "accepted", listId: existing.listId, clientOids, probed: true, attempts: 1 };
    }
    return this.refused(method, clientOids[0], r.code, r.message);
  }

  private async submit(
    method: string,
    symbol: string,
    req: VenueOrderRequest,
    origin: Origin,
  ): Promise<PlaceOrderOutcome> {
    const clientOid = req.client_oid;
    const failure = await this.d.prepare(symbol);
    if (failure) return { status: "not_sent", clientOid, error: failure, attempts: 1 };
    const r = this.d.engine.submit(DRY_RUN_ACCOUNT, req, { origin });
    if (r.ok) {
      const id = r.order.orderId;
      this.d.defer(() => this.d.engine.execute(id));
      return { status: "accepted", clientOid, orderId: id, probed: false, attempts: 1 };
    }
    const existing = r.code === 204 ? this.find({ clientOid }) : undefined;
    if (existing) {
      return {
        status: "accepted",
        clientOid,
        orderId: existing.orderId,
        probed: true,
        order: existing,
        attempts: 1,
      };
    }
    return this.refused(method, clientOid, r.code, r.message, r.order?.orderId);
  }

  private refused(
    method: string,
    clientOid: string,
    code: number,
    message: string,
    orderId?: string,
  ): PlaceOrderOutcome & { status: "rejected" } {
    return {
      status: "rejected",
      clientOid,
      error: new DryRunRefusal(method, code, message),
      orderId,
      attempts: 1,
    };
  }

  private find(ref: OrderRef): Order | undefined {
    const o = this.d.engine.order(DRY_RUN_ACCOUNT, ref);
    return o ? orderFromVenue(o) : undefined;
  }

  probeOrder(clientOid: string): Promise<Order | undefined> {
    return Promise.resolve(this.find({ clientOid }));
  }

  getOrder(ref: OrderRef): Promise<Order | undefined> {
    return Promise.resolve(this.find(ref));
  }

  cancelOrder(ref: OrderRef): Promise<CancelAck> {
    const r = this.d.engine.cancel(DRY_RUN_ACCOUNT, ref);
    if (!r.ok) return Promise.reject(new DryRunRefusal("private/cancel-order", r.code, r.message));
    return Promise.resolve({ orderId: r.order.orderId, clientOid: r.order.clientOid });
  }

  cancelAllOrders(symbol?: string): Promise<void> {
    if (symbol !== undefined && !this.d.engine.instrument(symbol)) {
      return Promise.reject(new DryRunRefusal("private/cancel-all-orders", 209, `unknown ${symbol}`));
    }
    this.d.engine.cancelAll(DRY_RUN_ACCOUNT, { instrument: symbol, origin: "plain", kind: "ALL" });
    return Promise.resolve();
  }

  cancelOco(listId: string): Promise<void> {
    const r = this.d.engine.cancelList(DRY_RUN_ACCOUNT, listId);
    if (!r.ok) return Promise.reject(new DryRunRefusal("private/advanced/cancel-oco", r.code, r.message));
    return Promise.resolve();
  }

  openOrders(origin: Origin, symbol?: string): Promise<Order[]> {
    return Promise.resolve(
      this.d.engine.open(DRY_RUN_ACCOUNT, { instrument: symbol, origin }).map(orderFromVenue),
    );
  }

  /** History as the exchange windows it: the last day by default, at most 100 rows. */
  getOrderHistory(q: HistoryQuery = {}): Promise<Order[]> {
    const f = this.window(q);
    return Promise.resolve(
      this.d.engine.history(DRY_RUN_ACCOUNT, { ...f, origin: "plain" }).map(orderFromVenue),
    );
  }

  getMyTrades(q: HistoryQuery = {}): Promise<Fill[]> {
    return Promise.resolve(this.d.engine.trades(DRY_RUN_ACCOUNT, this.window(q)).map(fillFromVenue));
  }

  private window(q: HistoryQuery) {
    const endTime = q.endTime ?? this.d.clock.now();
    const startTime = q.startTime ?? endTime - DAY_MS;
    return { instrument: q.symbol, startTime, endTime, limit: Math.min(q.limit ?? 100, 100) };
  }
}
