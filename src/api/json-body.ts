/**
 * The JSON body parser: a size limit (Fastify's bodyLimit, 413) and a nesting-depth scan BEFORE
 * `JSON.parse`, so a deeply nested document is a 400 and never a stack overflow or a 500.
 *
 * Invariants:
 * - The scan is iterative (no recursion) and counts `[`/`{` outside strings (escapes honoured).
 * - Depth > MAX_JSON_DEPTH → 400 `validation`; unparsable JSON → 400 `invalid_json`; an empty body
 *   parses as `undefined` (a route without a body schema ignores it; one with a schema sees `{}`).
 */
import type { FastifyInstance } from "fastify";
import { ApiHttpError } from "./errors.js";

export const MAX_JSON_BYTES = 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of `text` (stops counting once `limit` is exceeded). */
export function jsonDepthOf(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

export function parseApiJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  if (jsonDepthOf(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ApiHttpError(400, "validation", `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, {
      details: [{ field: "body", problem: `nesting deeper than ${MAX_JSON_DEPTH}` }],
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    // the parser's message quotes the body (which may hold a webhook secret): not repeated
    throw new ApiHttpError(400, "invalid_json", "the body is not valid JSON", {
      details: [{ field: "body", problem: "not valid JSON" }],
    });
  }
}

export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser(["application/json"]);
  for (const type of ["application/json", /^application\/[a-z.+-]*\+json$/]) {
    app.addContentTypeParser(type, { parseAs: "string", bodyLimit: MAX_JSON_BYTES }, (_req, body, done) => {
      try {
        done(null, parseApiJsonBody(String(body)));
      } catch (e) {
        done(e as Error, undefined);
      }
    });
  }
}
