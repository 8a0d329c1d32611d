/**
 * Signing self-checks, all local:
 * 1. the shared signer against the known-answer vectors;
 * 2. a round trip of our own serialisation: build a private envelope the way the client does
 *    (buildPrivateEnvelope), parse the body back as the exchange does (the number-text preserving
 *    parser the emulator uses), recompute the string to sign from what was parsed and compare the HMAC;
 * 3. the failing request's params (or the failing order's fields): every JSON number in them is a
 *    signature hazard, because the exchange signs its own re-serialisation of the parsed number
 *    (reference §3.4 pitfall 1). The re-serialisations of the usual server stacks are computed; when
 *    one differs from the text that was signed, the mismatch is certain.
 */

import { JsonNumberText, type JsonValue, parseJsonBody, scalarText } from "../domain/json-text.js";
import { buildPrivateEnvelope } from "../exchange/cryptocom/envelope.js";
import { hmacHex, type Params, sign, stringToSign } from "../exchange/cryptocom/signing.js";
import { Dec } from "../util/decimal.js";
import { SIGNING_VECTORS, type SigningVector } from "./signing-vectors.js";

export interface SelfTestResult {
  /** Names of vectors whose string-to-sign or signature differ. */
  failedVectors: string[];
  vectorCount: number;
  /** Why the serialisation round trip failed (undefined when it passed). */
  roundTripProblem: string | undefined;
}

export function checkVectors(vectors: readonly SigningVector[] = SIGNING_VECTORS): string[] {
  const failed: string[] = [];
  for (const v of vectors) {
    const input = {
      method: v.method,
      id: v.id,
      apiKey: v.api_key,
      params: v.params as Params,
      nonce: v.nonce,
    };
    try {
      if (stringToSign(input) !== v.string_to_sign || sign(input, v.secret) !== v.sig) failed.push(v.name);
    } catch {
      failed.push(v.name);
    }
  }
  return failed;
}

/** Params that exercise every canonicalisation rule (nesting, arrays, null, empty, unicode, integers). */
const ROUND_TRIP_PARAMS: Params = {
  instrument_name: "BTC_USD",
  side: "SELL",
  type: "LIMIT",
  price: "89936.01",
  quantity: "0.00011",
  client_oid: "atp-doctor-é✓",
  exec_inst: ["POST_ONLY"],
  order_list: [{ b: "2", a: null, c: [{ z: "", y: "x" }] }],
  limit: 100,
};

function canonicalFromParsed(body: JsonValue): string | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body) || body instanceof JsonNumberText) {
    return undefined;
  }
  const { method, api_key, params } = body;
  const id = scalarText(body.id);
  const nonce = scalarText(body.nonce);
  if (typeof method !== "string" || typeof api_key !== "string") return undefined;
  if (id === undefined || nonce === undefined) return undefined;
  return stringToSign({
    method,
    id: new JsonNumberText(id),
    apiKey: api_key,
    params: params as Params,
    nonce: new JsonNumberText(nonce),
  });
}

export function checkRoundTrip(): string | undefined {
  const secret = "atp-doctor-self-test-secret";
  const env = buildPrivateEnvelope(
    {
      method: "private/create-order",
      id: 1764300000001,
      nonce: 1764300000000,
      apiKey: "atp-doctor-self-test-key",
      params: ROUND_TRIP_PARAMS,
    },
    secret,
  );
  let parsed: JsonValue;
  try {
    parsed = parseJsonBody(env.body);
  } catch (err) {
    return `the body we send is not valid JSON (${(err as Error).message})`;
  }
  const s = canonicalFromParsed(parsed);
  if (s === undefined) return "the body we send lacks method, id, api_key or nonce";
  const sent = (parsed as { sig?: unknown }).sig;
  if (sent !== env.sig) return "the sig in the body differs from the one computed";
  if (hmacHex(secret, s) !== env.sig) {
    return "the exchange would compute a different signature from the body we send";
  }
  return undefined;
}

export function runSelfTest(vectors: readonly SigningVector[] = SIGNING_VECTORS): SelfTestResult {
  return {
    failedVectors: checkVectors(vectors),
    vectorCount: vectors.length,
    roundTripProblem: checkRoundTrip(),
  };
}

/** A JSON number found in a failing request, with how the usual server stacks would re-serialise it. */
export interface NumberHazard {
  path: string;
  /** The number as sent (its JSON text when known). */
  text: string;
  /** Renderings that differ from `text`: "JavaScript String(n) → 8000", ... */
  differing: string[];
}

/** Python's repr(float): shortest digits, exponent outside 1e-4 <= |x| < 1e16, ".0" on integers. */
export function pythonFloatRepr(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return Object.is(n, -0) ? "-0.0" : "0.0";
  const [mant, expText] = n.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = mant.includes(".") ? mant : mant;
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const fixed = new Dec(String(n)).toFixed();
  return fixed.includes(".") ? fixed : `${fixed}.0`;
}

/** Java BigDecimal.stripTrailingZeros().toPlainString() (the official Java verifier sample). */
export function javaPlain(text: string): string {
  try {
    const d = new Dec(text);
    return d.isZero() ? "0" : d.toFixed();
  } catch {
    return text;
  }
}

function hazardFor(path: string, value: number | JsonNumberText): NumberHazard | undefined {
  const text = value instanceof JsonNumberText ? value.text : String(value);
  const n = Number(text);
  if (/^-?\d+$/.test(text) && Number.isSafeInteger(n)) return undefined; // small integers are harmless
  const renderings: [string, string][] = [
    ["JavaScript String(n)", String(n)],
    ["Java BigDecimal plain", javaPlain(text)],
    ["Python repr(float)", pythonFloatRepr(n)],
  ];
  const differing = renderings.filter(([, r]) => r !== text).map(([who, r]) => `${who} → ${r}`);
  return { path, text, differing };
}

function walk(value: unknown, path: string, out: NumberHazard[]): void {
  if (typeof value === "number" || value instanceof JsonNumberText) {
    const h = hazardFor(path, value);
    if (h) out.push(h);
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, out);
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, `${path}.${k}`, out);
  }
}

/** Every fractional or unsafe JSON number in `params` (paths like `params.quantity`). */
export function numberHazards(params: unknown, root = "params"): NumberHazard[] {
  const out: NumberHazard[] = [];
  walk(params, root, out);
  return out;
}
