/**
 * The API's errors: one class a handler throws (`ApiHttpError`), the body every error answers with
 * (contract `ApiErrorBody`), and the Fastify error / not-found handlers that put every failure into
 * that shape.
 *
 * Invariants:
 * - Every error response is `{ error: { code, message, retryable, details } }` with a matching status.
 * - Bad input is never a 500: Fastify's own client errors (body too large, bad media type, bad
 *   content length) keep their 4xx status; only a failure of the server itself is 500, and its
 *   message never carries the exception text (it may hold data), only the log does.
 * - Validation details are `[{ field, problem }]`, the field a dotted path (`limits.cooldown_s`).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { AtpError } from "../domain/errors.js";
import type { ApiErrorBody } from "./contract/types.js";

export interface FieldProblem {
  field: string;
  problem: string;
}

/** A refusal of one request (the client's to fix): its status, contract code and details. */
export class ApiHttpError extends AtpError {
  readonly errorCode = "api.request";
  readonly disposition = "skip" as const;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly opts: { retryable?: boolean; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiHttpError";
  }
}

export function apiErrorBody(
  code: string,
  message: string,
  retryable = false,
  details: unknown = null,
): ApiErrorBody {
  return { error: { code, message, retryable, details } };
}

/** A 400 naming the fields. */
export function validationError(where: string, problems: FieldProblem[]): ApiHttpError {
  const list = problems.map((p) => `${p.field || where}: ${p.problem}`).join("; ");
  return new ApiHttpError(400, "validation", `invalid ${where}: ${list}`, { details: problems });
}

/** zod issues as field problems (`prefix` is "body", "query" or "params"; paths are dotted). */
export function fieldProblemsOf(error: z.ZodError, prefix: string): FieldProblem[] {
  return error.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join(".") : prefix,
    problem: i.message,
  }));
}

const CLIENT_ERROR_CODES: ReadonlyMap<number, string> = new Map([
  [400, "bad_request"],
  [401, "unauthorized"],
  [403, "forbidden"],
  [404, "not_found"],
  [405, "method_not_allowed"],
  [406, "not_acceptable"],
  [409, "conflict"],
  [411, "length_required"],
  [413, "too_large"],
  [415, "unsupported_media_type"],
  [429, "throttled"],
]);

function send(reply: FastifyReply, status: number, body: ApiErrorBody, headers?: Record<string, string>) {
  if (headers) for (const [k, v] of Object.entries(headers)) reply.header(k, v);
  return reply.code(status).type("application/json; charset=utf-8").send(body);
}

export function sendNotFound(req: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, apiErrorBody("not_found", `no route ${req.method} ${req.url.split("?")[0]}`));
}

/** `fallback` answers a request no route matched first (the dashboard's SPA fallback); true = answered. */
export function installErrorHandlers(
  app: FastifyInstance,
  fallback?: (req: FastifyRequest, reply: FastifyReply) => boolean,
): void {
  app.setErrorHandler((err: FastifyError | ApiHttpError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiHttpError) {
      return send(
        reply,
        err.status,
        apiErrorBody(err.code, err.message, err.opts.retryable ?? false, err.opts.details ?? null),
        err.opts.headers,
      );
    }
    const status = typeof err.statusCode === "number" ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = CLIENT_ERROR_CODES.get(status) ?? "bad_request";
      return send(reply, status, apiErrorBody(code, err.message, false, { fastify_code: err.code ?? null }));
    }
    req.log.error({ err: { name: err.name, code: err.code, stack: err.stack } }, "api: request failed");
    return send(reply, 500, apiErrorBody("internal", "internal error (see the server log)", true));
  });
  app.setNotFoundHandler((req, reply) => {
    if (fallback?.(req, reply)) return reply;
    return sendNotFound(req, reply);
  });
}
