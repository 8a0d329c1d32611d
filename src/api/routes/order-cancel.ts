/**
 * `POST /api/orders/{id}/cancel`: cancels one of OUR open orders at the venue.
 *
 * The API holds no venue (it may not import exchange code): the composition root provides
 * `deps.cancelOrder`. Without it the
 * route answers 501 `not_implemented`, after the same checks, so a client learns why.
 *
 * Invariants (checked before anything is sent):
 * - 404 for an unknown order; 409 `external_order` for an order atp did not place; 409
 *   `order_final` for a final one; 409 `order_unconfirmed` while its placement outcome is unknown
 *   (PENDING_SUBMIT/UNKNOWN: reconciliation settles it first).
 * - A protective leg (STOP_LOSS/TAKE_PROFIT) is refused with 409 `protective_order` unless the body
 *   says `{"confirm": "UNPROTECT"}`: cancelling it leaves the position unprotected.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { isFinalOrder, isInDoubt } from "../../store/vocabulary.js";
import type { ApiDeps } from "../deps.js";
import { ApiHttpError } from "../errors.js";
import { apiOrderOf } from "../mappers/orders.js";
import { apiOrderSchema } from "../mappers/schemas.js";
import { defineRoute } from "../route.js";

export const UNPROTECT_CONFIRMATION = "UNPROTECT";

export function registerOrderCancelRoute(app: FastifyInstance, deps: ApiDeps): void {
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/orders/:id/cancel",
      auth: "write",
      params: z.object({ id: z.string().min(1).max(128) }),
      body: z.strictObject({ confirm: z.string().max(32).optional() }),
      response: apiOrderSchema,
      summary: "Cancels one of our open orders (a stop-loss or take-profit leg only with confirm UNPROTECT)",
      tags: ["orders"],
    },
    async ({ params, body, actor }) => {
      const o = await deps.store.orders.get(params.id);
      if (!o) throw new ApiHttpError(404, "not_found", `no order ${params.id}`);
      if (o.external) throw new ApiHttpError(409, "external_order", "this order was not placed by atp");
      if (isFinalOrder(o))
        throw new ApiHttpError(409, "order_final", `the order is ${o.status}: nothing to cancel`);
      if (isInDoubt(o))
        throw new ApiHttpError(409, "order_unconfirmed", "the order's placement is not confirmed yet", {
          retryable: true,
        });
      const protective = o.role === "STOP_LOSS" || o.role === "TAKE_PROFIT";
      if (protective && body.confirm !== UNPROTECT_CONFIRMATION)
        throw new ApiHttpError(
          409,
          "protective_order",
          `this is the ${o.role} leg of position ${o.lotId ?? "?"}: cancelling it leaves the position unprotected; send {"confirm":"${UNPROTECT_CONFIRMATION}"} to do it anyway`,
        );
      if (!deps.cancelOrder)
        throw new ApiHttpError(501, "not_implemented", "cancelling orders is not available in this process");
      return apiOrderOf(await deps.cancelOrder(o.id, actor));
    },
  );
}
