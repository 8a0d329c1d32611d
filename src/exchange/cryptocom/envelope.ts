/**
 * Request envelopes (reference §2.1, §3.1).
 *
 * Invariants:
 * - The private body is serialised exactly once (`JSON.stringify`), from the same params object the
 *   signature was computed over; `id` and `nonce` are safe integers, so the digits signed are the
 *   digits sent.
 * - Params may hold only strings, safe integers, booleans, null, arrays and plain objects. A
 *   fractional number, a bigint, a `Dec` or any other object is refused with `UnsignableParamError`
 *   before anything is sent: decimals travel as strings formatted once from a decimal type.
 * - Empty params are sent as `{}` (never `[]`).
 */
import { createHmac, type Hmac } from "node:crypto";
import { hmacHex, type Params, type ParamValue, stringToSign, UnsignableParamError } from "./signing.js";

export interface SignedEnvelope {
  method: string;
  id: number;
  nonce: number;
  /** The exact body sent (UTF-8 JSON). */
  body: string;
  sig: string;
  /** Lengths for CRYPTO_AUTH_DIAG (never the strings themselves). */
  paramStringLength: number;
  stringToSignLength: number;
}

export interface EnvelopeInput {
  method: string;
  id: number;
  nonce: number;
  apiKey: string;
  params?: Params | undefined;
}

const EMPTY: Params = Object.freeze({});

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function check(value: ParamValue, path: string): void {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return;
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new UnsignableParamError(
          path,
          `${value} is not a safe integer; send decimals as strings formatted from a decimal type`,
        );
      }
      return;
    case "bigint":
      throw new UnsignableParamError(path, "bigint cannot be serialised as JSON; send it as a string");
    case "object":
      break;
    default:
      throw new UnsignableParamError(path, `${typeof value} is not a JSON value`);
  }
  if (value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) check(value[i] as ParamValue, `${path}[${i}]`);
    return;
  }
  if (!isPlainObject(value)) {
    const name = (value as object).constructor?.name ?? "object";
    throw new UnsignableParamError(
      path || "params",
      `${name} is not a plain object; format decimals to strings (plain()) before building params`,
    );
  }
  const obj = value as { readonly [key: string]: ParamValue };
  for (const key in obj) check(obj[key], path ? `${path}.${key}` : key);
}

/** Fast path without paths: true when every value is sendable (the slow `check` names the culprit). */
function sendable(value: ParamValue): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
    case "undefined":
      return true;
    case "number":
      return Number.isSafeInteger(value);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!sendable(value[i] as ParamValue)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const obj = value as { readonly [key: string]: ParamValue };
  for (const key in obj) if (!sendable(obj[key])) return false;
  return true;
}

/** Throws UnsignableParamError for anything that is not a plain JSON value the exchange signs as sent. */
export function assertSendableParams(params: Params | undefined): void {
  if (params === undefined || sendable(params)) return;
  check(params, "");
}

function assertSafeInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative safe integer`);
}

/** Decimal digits of a non-negative safe integer (what String(n).length would say, without the string). */
function digits(n: number): number {
  let d = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) d++;
  return d;
}

/**
 * A secret's HMAC-SHA256 keyed ahead of time: `sign()` uses an HMAC keyed before the request (the
 * key set-up is most of an HMAC's cost on a cold CPU) and `prepare()` keys the next one, to be called
 * off the request's path (the client calls it when the answer is in). The signature is exactly
 * `hmacHex(secret, payload)`'s; without a prepared one, `sign()` keys one on the spot.
 */
export class PreparedHmac {
  private next: Hmac | undefined;

  constructor(private readonly secret: string) {}

  sign(payload: string): string {
    const mac = this.next ?? createHmac("sha256", this.secret);
    this.next = undefined;
    return mac.update(payload, "utf8").digest("hex");
  }

  /** Keys the HMAC the next `sign()` uses (no-op when one is ready). */
  prepare(): void {
    this.next ??= createHmac("sha256", this.secret);
  }
}

/** Builds and signs a private REST envelope (with the secret, or its prepared HMAC). */
export function buildPrivateEnvelope(input: EnvelopeInput, apiSecret: string | PreparedHmac): SignedEnvelope {
  assertSafeInt("id", input.id);
  assertSafeInt("nonce", input.nonce);
  const params = input.params ?? EMPTY;
  assertSendableParams(params);
  const s = stringToSign({
    method: input.method,
    id: input.id,
    apiKey: input.apiKey,
    params,
    nonce: input.nonce,
  });
  const sig = typeof apiSecret === "string" ? hmacHex(apiSecret, s) : apiSecret.sign(s);
  const body = JSON.stringify({
    id: input.id,
    method: input.method,
    api_key: input.apiKey,
    params,
    nonce: input.nonce,
    sig,
  });
  const fixed = input.method.length + digits(input.id) + input.apiKey.length + digits(input.nonce);
  return {
    method: input.method,
    id: input.id,
    nonce: input.nonce,
    body,
    sig,
    paramStringLength: s.length - fixed,
    stringToSignLength: s.length,
  };
}

/** Query values for a public GET: scalars only, with the same no-fractional-number rule. */
export function publicQuery(params: Params | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  if (!params) return out;
  assertSendableParams(params);
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    if (typeof v === "string" || typeof v === "number") out[k] = v;
    else if (typeof v === "boolean") out[k] = v ? "true" : "false";
    else throw new UnsignableParamError(k, "public query params must be scalars");
  }
  return out;
}

/** The proxy request body (original-platform §3.4): the proxy signs it with its own key and nonce. */
export function buildProxyBody(method: string, params: Params | undefined): string {
  const p = params ?? EMPTY;
  assertSendableParams(p);
  return JSON.stringify({ method, params: p });
}
