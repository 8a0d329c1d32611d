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
 * sides agree by construction; the known-answer vectors in ../shared/vectors pin it to the spec.
 */
import { createHmac } from "node:crypto";

/**
 * A JSON number kept as the exact text it had in a request body. The emulator's body parser
 * produces these so that it can canonicalise numbers "as the exchange parsed them".
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
  toJSON(): number {
    return Number(this.text);
  }
}

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
export class UnsignableParamError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`param ${path}: ${detail}`);
    this.name = "UnsignableParamError";
  }
}

function canonical(value: ParamValue, path: string, out: string[]): void {
  if (value === null) {
    out.push("null");
    return;
  }
  switch (typeof value) {
    case "string":
      out.push(value);
      return;
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new UnsignableParamError(
          path,
          `${value} is not a safe integer; send decimals as strings formatted from a decimal type`,
        );
      }
      out.push(String(value));
      return;
    case "bigint":
      out.push(value.toString());
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "undefined":
      return;
    default:
      break;
  }
  if (value instanceof JsonNumberText) {
    out.push(value.text);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) canonical(value[i] as ParamValue, `${path}[${i}]`, out);
    return;
  }
  const obj = value as { readonly [key: string]: ParamValue };
  const keys = Object.keys(obj).sort();
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue; // JSON.stringify drops it too, so the server never sees it
    out.push(key);
    canonical(v, path ? `${path}.${key}` : key, out);
  }
}

/** The canonical parameter string `P` (empty for absent, null or empty params). */
export function paramString(params: Params | null | undefined): string {
  if (params === null || params === undefined) return "";
  const out: string[] = [];
  canonical(params, "", out);
  return out.join("");
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
