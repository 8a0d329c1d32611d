/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas (`z.toJSONSchema`), at
 * `/api/openapi.json`, and `/api/docs`: a self-contained HTML page (no script, no CDN) listing
 * every route with its auth level and its schemas.
 *
 * Invariants: every route in `app.apiRoutes` is in the document (built on request, so routes added
 * later are too); a schema zod cannot express in JSON Schema is documented as `{}` rather than failing.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { defineRoute, type RouteDoc } from "./route.js";

type JsonSchema = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  try {
    const s = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
    delete s.$schema;
    return s;
  } catch {
    return {};
  }
}

const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query"): unknown[] {
  if (!schema) return [];
  const js = jsonSchemaOf(schema, "input");
  const props = (js.properties ?? {}) as Record<string, unknown>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || required.has(name),
    schema: s,
  }));
}

function operationOf(r: RouteDoc): Record<string, unknown> {
  const security = r.auth === "public" ? [] : [{ bearer: [] }, { cookie: [] }];
  const op: Record<string, unknown> = {
    summary: r.summary,
    tags: r.tags,
    "x-atp-auth": r.auth,
    security,
    parameters: [...parametersOf(r.params, "path"), ...parametersOf(r.query, "query")],
    responses: {
      [String(r.status)]: {
        description: r.summary,
        content: {
          [r.contentType.split(";")[0] ?? "application/json"]: { schema: jsonSchemaOf(r.response, "output") },
        },
      },
      default: {
        description: "An error (ApiErrorBody)",
        content: { "application/json": { schema: { $ref: "#/components/schemas/ApiErrorBody" } } },
      },
    },
  };
  if (r.description) op.description = r.description;
  if (r.body)
    op.requestBody = {
      required: true,
      content: { "application/json": { schema: jsonSchemaOf(r.body, "input") } },
    };
  return op;
}

const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean(), details: z.unknown() }),
});

export function openApiDocument(routes: readonly RouteDoc[], version = "0"): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const p = openApiPath(r.url);
    paths[p] ??= {};
    (paths[p] as Record<string, unknown>)[r.method.toLowerCase()] = operationOf(r);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "atp HTTP API",
      version,
      description: "See docs/api.md: auth model, error shape, decimals as strings.",
    },
    paths,
    components: {
      schemas: { ApiErrorBody: jsonSchemaOf(errorBodySchema, "output") },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        cookie: { type: "apiKey", in: "cookie", name: "atp_session" },
      },
    },
  };
}

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function schemaBlock(title: string, schema: z.ZodType | undefined, io: "input" | "output"): string {
  if (!schema) return "";
  return `<details><summary>${esc(title)}</summary><pre>${esc(JSON.stringify(jsonSchemaOf(schema, io), null, 2))}</pre></details>`;
}

export function docsHtml(routes: readonly RouteDoc[]): string {
  const rows = routes
    .map(
      (r) => `<section><h2><span class="m">${esc(r.method)}</span> <code>${esc(openApiPath(r.url))}</code>
<span class="a">${esc(r.auth)}</span></h2><p>${esc(r.summary)}</p>
${schemaBlock("path parameters", r.params, "input")}${schemaBlock("query", r.query, "input")}${schemaBlock("request body", r.body, "input")}${schemaBlock(`response ${r.status} (${r.contentType})`, r.response, "output")}</section>`,
    )
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>atp API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
h2{font-size:1rem;margin:1.2rem 0 .2rem}.m{display:inline-block;min-width:4rem;color:#05a}
.a{font-size:.75rem;color:#666;border:1px solid #ccc;border-radius:3px;padding:0 .3rem}
pre{background:#f5f5f5;padding:.5rem;overflow:auto}</style></head><body>
<h1>atp HTTP API</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.
Errors: <code>{"error":{"code","message","retryable","details"}}</code>; decimals are strings.</p>
${rows}</body></html>`;
}

export async function registerOpenApiRoutes(app: FastifyInstance, version?: string): Promise<void> {
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/openapi.json",
      auth: "read",
      response: z.record(z.string(), z.unknown()),
      summary: "The OpenAPI document",
      tags: ["docs"],
    },
    () => openApiDocument(app.apiRoutes, version),
  );
  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/docs",
      auth: "read",
      response: z.string(),
      contentType: "text/html; charset=utf-8",
      summary: "The API documentation (HTML)",
      tags: ["docs"],
    },
    () => docsHtml(app.apiRoutes),
  );
}
