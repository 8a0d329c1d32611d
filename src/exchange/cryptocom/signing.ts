/**
 * Crypto.com Exchange v1 request signing (reference §3.1).
 *
 *   P   = canonical param string: object keys in ascending code-unit order, each key followed by
 *         its value's canonical form; arrays are the concatenation of their elements; null is
 *         "null"; strings are raw; recursion is unbounded (what Crypto.com's own CLI ships).
 *   S   = method + id + api_key + P + nonce
 *   sig = lowercase hex HMAC-SHA256(secret, S)
 *
 * This module is shared by the client (which signs) and the emulator (which verifies), so both
 * sides agree by construction; the known-answer vectors (src/diagnostics/signing-vectors.ts) pin it to the spec.
 */

import { createHmac } from "node:crypto";
import { AtpError, type Disposition } from "../../domain/errors.js";
import { JsonNumberText } from "../../domain/json-text.js";

/**
 * A JSON number kept as the exact text it had in a request body. The emulator's body parser
 * produces these so that it can canonicalise numbers "as the exchange parsed them".
 */

export type ParamValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | JsonNumberText
  | readonly ParamValue[]
  | { readonly [key: string]: ParamValue };

export type Params = { readonly [key: string]: ParamValue };

/** Thrown when params contain something the exchange could not verify (a fractional JS number). */
export class UnsignableParamError extends AtpError {
  get errorCode(): string {
    return "exchange.unsignable_param";
  }
  get disposition(): Disposition {
    return "fatal";
  }

  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`param ${path}: ${detail}`);
    this.name = "UnsignableParamError";
  }
}

/** Canonical form of one value. Hot path: plain string concatenation, no path bookkeeping. */
function canonical(value: ParamValue, root: ParamValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new UnsignableParamError(
          pathOf(root, value) ?? "?",
          `${value} is not a safe integer; send decimals as strings formatted from a decimal type`,
        );
      }
      return String(value);
    case "bigint":
      return value.toString();
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
      return "";
    default:
      break;
  }
  if (value instanceof JsonNumberText) return value.text;
  let out = "";
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) out += canonical(value[i] as ParamValue, root);
    return out;
  }
  const obj = value as { readonly [key: string]: ParamValue };
  const keys = Object.keys(obj).sort();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const v = obj[key];
    if (v === undefined) continue; // JSON.stringify drops it too, so the server never sees it
    out += key + canonical(v, root);
  }
  return out;
}

/** Where `needle` sits inside `root` (`order_list[1].price`), for error messages only. */
function pathOf(root: ParamValue, needle: number, path = ""): string | undefined {
  if (root === needle) return path;
  if (root === null || typeof root !== "object" || root instanceof JsonNumberText) return undefined;
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) {
      const p = pathOf(root[i] as ParamValue, needle, `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  for (const [k, v] of Object.entries(root as { readonly [key: string]: ParamValue })) {
    const p = pathOf(v, needle, path ? `${path}.${k}` : k);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** The canonical parameter string `P` (empty for absent, null or empty params). */
export function paramString(params: Params | null | undefined): string {
  if (params === null || params === undefined) return "";
  return canonical(params, params);
}

export interface SignInput {
  method: string;
  id: string | number | JsonNumberText;
  apiKey: string;
  params?: Params | null | undefined;
  nonce: string | number | JsonNumberText;
}

function render(v: string | number | JsonNumberText): string {
  return v instanceof JsonNumberText ? v.text : String(v);
}

/** The string to sign `S = method + id + api_key + P + nonce`. */
export function stringToSign(input: SignInput): string {
  return input.method + render(input.id) + input.apiKey + paramString(input.params) + render(input.nonce);
}

/** Lowercase hex HMAC-SHA256 of `payload` keyed with `secret` (both UTF-8). */
export function hmacHex(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload, "utf8").digest("hex");
}

export function sign(input: SignInput, secret: string): string {
  return hmacHex(secret, stringToSign(input));
}
