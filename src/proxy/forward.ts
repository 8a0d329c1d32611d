/**
 * POST /proxy/private: `{method, params}` with header X-Proxy-Token → the proxy signs and forwards.
 * Order of checks: throttled client IP (429) → token (401, compared in constant time over
 * SHA-256 digests, so neither length nor content leaks) → body (413/400) → method policy (403) →
 * params (400) → sign and send (502 unreachable, 504 timeout) → the exchange's answer, relayed
 * (replies.ts). Nothing is forwarded unless every check before "sign and send" passed.
 *
 * Invariants: the token, key, secret and signature never reach a log line or an answer; each
 * request has one request id (x-request-id), in every answer and log line about it.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  answerForm,
  PASSTHROUGH,
  PROXY_TOKEN_HEADER,
  type ProxyAnswerForm,
} from "../exchange/cryptocom/proxy-protocol.js";
import { parseJson, wireCode } from "../exchange/cryptocom/response.js";
import { type Params, UnsignableParamError } from "../exchange/cryptocom/signing.js";
import { TransportError } from "../exchange/cryptocom/transport.js";
import { authLog, type Logger } from "../log/logger.js";
import { readBody } from "../util/http-body.js";
import type { MethodPolicy } from "./method-policy.js";
import { sendFailure, sendUpstream } from "./replies.js";
import type { ProxySigner } from "./signer.js";
import type { TokenFailureThrottle } from "./throttle.js";

const MAX_BODY = 1024 * 1024;

export function tokenDigest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

export function tokenMatches(req: IncomingMessage, expected: Buffer): boolean {
  const given = req.headers[PROXY_TOKEN_HEADER];
  if (typeof given !== "string") return false;
  return timingSafeEqual(tokenDigest(given), expected);
}

export function proxyClientIp(req: IncomingMessage): string {
  const a = req.socket.remoteAddress ?? "";
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

export interface ForwardDeps {
  signer: ProxySigner;
  policy: MethodPolicy;
  throttle: TokenFailureThrottle;
  token: Buffer;
  log: Logger;
  /** The answer form of a request without `x-proxy-protocol`. */
  defaultProtocol: ProxyAnswerForm;
}

/** Token check with the throttle; answers the refusal itself and returns false when refused. */
export function admitted(d: ForwardDeps, req: IncomingMessage, res: ServerResponse, rid: string): boolean {
  const ip = proxyClientIp(req);
  const wait = d.throttle.blockedForMs(ip);
  if (wait > 0) {
    d.log.warn({ rid, client_ip: ip, retry_after_ms: wait }, "proxy: throttled a client after failed tokens");
    sendFailure(res, "throttled", "too many failed token attempts from this address", rid, {
      "retry-after": String(Math.ceil(wait / 1000)),
    });
    return false;
  }
  if (tokenMatches(req, d.token)) return true;
  d.throttle.recordFailure(ip);
  d.log.warn({ rid, client_ip: ip }, "proxy: refused a request with a wrong or missing X-Proxy-Token");
  sendFailure(res, "bad_token", "invalid proxy token", rid);
  return false;
}

export async function forwardPrivate(
  d: ForwardDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const rid = randomUUID();
  if (!admitted(d, req, res, rid)) return;
  const passthrough = answerForm(req.headers, d.defaultProtocol) === PASSTHROUGH;
  const text = await readBody(req, MAX_BODY);
  if (text === undefined) return sendFailure(res, "body_too_large", "body too large", rid);
  const body = parseJson(text) as { method?: unknown; params?: unknown } | undefined;
  if (
    !body ||
    typeof body !== "object" ||
    typeof body.method !== "string" ||
    !body.method.startsWith("private/")
  ) {
    return sendFailure(res, "bad_request", 'body must be {"method": "private/...", "params": {...}}', rid);
  }
  const method = body.method;
  const refused = d.policy.refusal(method);
  if (refused) {
    d.log.warn({ rid, method }, "proxy: refused to sign a method outside its allow-list");
    return sendFailure(res, "method_not_allowed", refused, rid);
  }
  const params = body.params ?? {};
  if (params === null || typeof params !== "object" || Array.isArray(params)) {
    return sendFailure(res, "bad_request", "params must be a JSON object", rid);
  }
  let up: Awaited<ReturnType<ProxySigner["send"]>>;
  try {
    up = await d.signer.send(method, params as Params, rid);
  } catch (err) {
    if (err instanceof UnsignableParamError) return sendFailure(res, "bad_request", err.message, rid);
    if (!(err instanceof TransportError)) throw err;
    d.log.warn({ rid, method, failure: err.kind, errno: err.errno }, "proxy: upstream failed");
    return err.isTimeout
      ? sendFailure(res, "upstream_timeout", "upstream timeout", rid)
      : sendFailure(res, "upstream_unreachable", `upstream unreachable (${err.kind})`, rid);
  }
  const parsed = parseJson(up.text) as { code?: unknown } | undefined;
  const code = parsed && typeof parsed === "object" ? wireCode(parsed.code) : undefined;
  d.log.info({ rid, method, upstream_status: up.status, code }, "proxy: forwarded");
  if (code !== undefined && code !== 0 && up.status === 401) {
    authLog(
      d.log,
      "warn",
      { rid, method, http_status: up.status, code, key_fp: d.signer.keyFingerprint },
      `${method} refused upstream: ${code}`,
    );
  }
  sendUpstream(res, passthrough, rid, {
    status: up.status,
    text: up.text,
    contentType: up.headers["content-type"],
  });
}
