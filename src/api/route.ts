/**
 * `defineRoute`: the one way a route is declared. It registers the Fastify route, validates params,
 * query and body with zod (a 400 naming each field), tags the route with its auth level (enforced by
 * the auth hook, src/api/auth/guard.ts) and records the route, with its schemas, for the OpenAPI
 * document (src/api/openapi.ts).
 *
 * Invariants:
 * - A handler sees only validated input (zod's output); it never parses the raw request itself.
 * - Every route defined here is in `app.apiRoutes` (so in /api/openapi.json), in definition order.
 * - The handler's return value is the response body (typed by the response schema); a handler that
 *   answered itself (`reply.sent`, e.g. a redirect or an event stream) returns nothing more. A
 *   `SerializedJson` is a body already serialised (a cached snapshot): its bytes are sent as they are.
 * - Write routes are told the actor (`operator:api`) for the audit log.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { fieldProblemsOf, validationError } from "./errors.js";

export type AuthLevel = "read" | "write" | "public";
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The actor every change made through the API is audited as. */
export const API_ACTOR = "operator:api";

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType> {
  method: HttpMethod;
  /** Fastify syntax (`/api/orders/:id`); OpenAPI gets `{id}`. */
  url: string;
  auth: AuthLevel;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status (default 200). */
  status?: number;
  /** Default application/json; e.g. "text/plain; version=0.0.4" for /metrics (the body is then a string). */
  contentType?: string;
  summary: string;
  description?: string;
  tags: string[];
}

export interface RouteCall<P extends Schema, Q extends Schema, B extends Schema> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  request: FastifyRequest;
  reply: FastifyReply;
  actor: string;
}

/** A JSON body serialised already (UTF-8), of the route's response schema: sent without re-serialising. */
export class SerializedJson {
  constructor(readonly bytes: Buffer) {}
}

export type RouteHandler<P extends Schema, Q extends Schema, B extends Schema, R extends z.ZodType> = (
  call: RouteCall<P, Q, B>,
) => Promise<z.input<R> | SerializedJson | undefined> | z.input<R> | SerializedJson | undefined;

/** A route as recorded for the OpenAPI document and the tests. */
export interface RouteDoc {
  method: HttpMethod;
  url: string;
  auth: AuthLevel;
  summary: string;
  description: string | undefined;
  tags: string[];
  status: number;
  contentType: string;
  params: z.ZodType | undefined;
  query: z.ZodType | undefined;
  body: z.ZodType | undefined;
  response: z.ZodType;
}

declare module "fastify" {
  interface FastifyInstance {
    apiRoutes: RouteDoc[];
  }
  interface FastifyContextConfig {
    atpAuth?: AuthLevel;
  }
}

function check<S extends Schema>(schema: S | undefined, value: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>;
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(where, fieldProblemsOf(r.error, where));
  return r.data as Out<S>;
}

export function defineRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends z.ZodType = z.ZodType,
>(app: FastifyInstance, spec: RouteSpec<P, Q, B, R>, handler: RouteHandler<P, Q, B, R>): void {
  const status = spec.status ?? 200;
  const contentType = spec.contentType ?? "application/json; charset=utf-8";
  app.apiRoutes.push({
    method: spec.method,
    url: spec.url,
    auth: spec.auth,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    status,
    contentType,
    params: spec.params,
    query: spec.query,
    body: spec.body,
    response: spec.response,
  });
  app.route({
    method: spec.method,
    url: spec.url,
    config: { atpAuth: spec.auth },
    handler: async (request, reply) => {
      const params = check(spec.params, request.params ?? {}, "params");
      const query = check(spec.query, request.query ?? {}, "query");
      const body = check(spec.body, request.body ?? {}, "body");
      const out = await handler({ params, query, body, request, reply, actor: API_ACTOR });
      if (reply.sent) return reply;
      if (reply.statusCode === 200 && status !== 200) reply.code(status);
      reply.type(contentType);
      if (out instanceof SerializedJson) return reply.send(out.bytes);
      return reply.send(contentType.startsWith("application/json") ? JSON.stringify(out) : out);
    },
  });
}
