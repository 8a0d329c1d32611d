/**
 * Authentication of a signed request, in the exchange's order (reference §3.5): key → IP → nonce →
 * signature. The signature is recomputed from the parsed body exactly as sent: numbers by their JSON
 * text, id and nonce as they appear. Used by REST private calls and WebSocket `public/auth`.
 */

import { JsonNumberText, type JsonValue, scalarText } from "../domain/json-text.js";
import { hmacHex, type Params, stringToSign } from "../exchange/cryptocom/signing.js";
import { ipAllowed, type KeyRecord, type KeyStore } from "./keys.js";

export interface SignedRequest {
  method: string;
  id: JsonValue | undefined;
  apiKey: JsonValue | undefined;
  sig: JsonValue | undefined;
  nonce: JsonValue | undefined;
  params: JsonValue | undefined;
  ip: string;
}

export interface AuthOptions {
  keys: KeyStore;
  now: number;
  window: { past: number; future: number };
  acceptJavaDepth3: boolean;
}

export type AuthResult = { ok: true; key: KeyRecord } | { ok: false; code: number; message: string };

export function authenticate(req: SignedRequest, o: AuthOptions): AuthResult {
  const apiKey = typeof req.apiKey === "string" ? req.apiKey : undefined;
  const key = apiKey !== undefined ? o.keys.get(apiKey) : undefined;
  if (!key?.enabled) return { ok: false, code: 40101, message: "UNAUTHORIZED" };
  if (!ipAllowed(key.ipWhitelist, req.ip)) return { ok: false, code: 40103, message: "IP_ILLEGAL" };
  const nonceText = scalarText(req.nonce);
  if (nonceText === undefined || !/^\d{1,19}$/.test(nonceText)) {
    return { ok: false, code: 40102, message: "INVALID_NONCE" };
  }
  const nonce = Number(nonceText);
  if (nonce < o.now - o.window.past || nonce > o.now + o.window.future) {
    return { ok: false, code: 40102, message: "INVALID_NONCE" };
  }
  const sig = typeof req.sig === "string" ? req.sig.toLowerCase() : undefined;
  if (sig === undefined) return { ok: false, code: 40101, message: "UNAUTHORIZED" };
  const idText = scalarText(req.id) ?? "";
  const params = (req.params ?? null) as Params | null;
  const payload = stringToSign({
    method: req.method,
    id: new JsonNumberText(idText),
    apiKey: key.apiKey,
    params,
    nonce: new JsonNumberText(nonceText),
  });
  if (hmacHex(key.secret, payload) === sig) return { ok: true, key };
  if (o.acceptJavaDepth3) {
    const javaPayload = req.method + idText + key.apiKey + javaParamString(req.params, 0) + nonceText;
    if (hmacHex(key.secret, javaPayload) === sig) return { ok: true, key };
  }
  return { ok: false, code: 40101, message: "UNAUTHORIZED" };
}

/**
 * The official Java sample's param string: like the canonical one, but at depth 3 it writes the
 * value's Java `toString()` (`[a, b]` for lists, `{k=v}` for maps).
 */
export function javaParamString(v: JsonValue | undefined, level: number): string {
  if (v === undefined || (v === null && level === 0)) return "";
  if (level >= 3) return javaToString(v);
  if (Array.isArray(v)) return v.map((x) => javaParamString(x, level + 1)).join("");
  if (v !== null && typeof v === "object" && !(v instanceof JsonNumberText)) {
    return Object.keys(v)
      .sort()
      .map((k) => {
        const val = v[k]!;
        const nested =
          Array.isArray(val) || (val !== null && typeof val === "object" && !(val instanceof JsonNumberText));
        return k + (nested ? javaParamString(val, level + 1) : javaToString(val));
      })
      .join("");
  }
  return javaToString(v);
}

function javaToString(v: JsonValue): string {
  if (v === null) return "null";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (v instanceof JsonNumberText) return v.text;
  if (Array.isArray(v)) return `[${v.map(javaToString).join(", ")}]`;
  return `{${Object.keys(v)
    .map((k) => `${k}=${javaToString(v[k]!)}`)
    .join(", ")}}`;
}
