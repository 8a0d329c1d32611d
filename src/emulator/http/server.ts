/**
 * The REST transport: `/exchange/v1/{method}` (public GET with a query string, private POST with the
 * signed JSON envelope), `GET /ip` (the caller's address as plain text) and the admin API under
 * `/emulator/admin/` (loopback callers only).
 *
 * Private request pipeline, in the exchange's order (reference §3.5):
 *   faults (latency, reset_before, error) → body size (40001, HTTP 413 over
 *   limits.max_request_bytes; drained, never buffered) → JSON body (40001) → key (40101) → IP (40103) →
 *   nonce window (40102) → signature (40101) → permission (missing_permission_code) →
 *   rate limit (42901) → method (40002) → params (40003/40004/…) → handler → lose_response fault.
 * Everything after the signature is `EmulatedExchange.callPrivate`, shared with the user WebSocket.
 * Every response carries a `Date` header from the emulator clock and the HTTP status of its code;
 * every exchange answer is the JSON envelope, an unexpected exception included (50001). A request
 * held by a latency fault is released (its connection destroyed) when the emulator closes.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  isJsonObject,
  JsonNumberText,
  type JsonObject,
  type JsonValue,
  parseJsonBody,
  scalarText,
} from "../../domain/json-text.js";
import { httpStatusFor } from "../../exchange/cryptocom/error-codes.js";
import { readBody } from "../../util/http-body.js";
import { authenticate } from "../auth.js";
import type { EmulatedExchange } from "../exchange.js";
import { normaliseIp } from "../keys.js";
import { methodInfo } from "../methods/table.js";
import { envelope, fail, faultMessage, idToken, type Reply } from "./envelope.js";

const PREFIX = "/exchange/v1/";

export type AdminRouter = (req: IncomingMessage, res: ServerResponse, path: string, query: string) => void;

export class RestServer {
  constructor(
    private readonly ex: EmulatedExchange,
    private readonly admin: AdminRouter,
  ) {}

  handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.route(req, res).catch((err: unknown) => {
      // A bug: still the exchange's envelope (valid JSON), never a hung or reset connection.
      if (!res.headersSent && !res.destroyed) {
        const message = `INTERNAL_SERVER_ERROR: ${String((err as Error)?.message ?? err)}`;
        const nt = this.ex.config.response_number_types;
        this.send(res, 500, envelope(idToken(undefined, nt), "ERROR", fail(50001, message), nt));
      }
    });
  };

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? "" : url.slice(q + 1);
    if (path.startsWith(PREFIX)) return this.exchange(req, res, path.slice(PREFIX.length), query);
    if (path === "/ip" || path === "/ip/") {
      const ip = normaliseIp(req.socket.remoteAddress);
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8", Date: this.date() });
      res.end(`${ip}\n`);
      return;
    }
    if (path === "/emulator/admin" || path.startsWith("/emulator/admin/")) {
      this.admin(req, res, path, query);
      return;
    }
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8", Date: this.date() });
    res.end("not found: the exchange API is under /exchange/v1/\n");
  }

  private date(): string {
    return new Date(this.ex.clock.now()).toUTCString();
  }

  private send(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, {
      "Content-Type": "application/json",
      "Content-Length": Buffer.byteLength(body),
      Date: this.date(),
    });
    res.end(body);
  }

  private reply(res: ServerResponse, idTok: string, method: string, r: Reply): void {
    const nt = this.ex.config.response_number_types;
    this.send(res, r.httpStatus ?? httpStatusFor(r.code), envelope(idTok, method, r, nt));
  }

  private async exchange(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    query: string,
  ): Promise<void> {
    const ex = this.ex;
    const faults = ex.faults;
    const ip = normaliseIp(req.socket.remoteAddress);
    const nt = ex.config.response_number_types;
    const faulty =
      faults.has("latency") ||
      faults.has("reset_before") ||
      faults.has("error") ||
      faults.has("lose_response");
    if (faulty) {
      const delay = faults.latency(method);
      if (delay > 0 && !(await ex.hold(delay))) {
        req.socket.destroy(); // the emulator closed while the request was held
        return;
      }
      if (faults.fire("reset_before", method)) {
        req.socket.destroy();
        return;
      }
    }
    const maxBody = ex.config.limits.max_request_bytes;
    const bodyText = req.method === "POST" ? await readBody(req, maxBody) : "";
    if (bodyText === undefined) {
      // Over the limit (drained, never buffered) or a failed stream: a bounded error envelope.
      if (res.destroyed) return;
      this.reply(res, idToken(undefined, nt), method, {
        ...fail(40001, `BAD_REQUEST: the body is over the limit of ${maxBody} bytes`),
        httpStatus: 413,
      });
      return;
    }
    let body: JsonValue | undefined;
    let bodyError: string | undefined;
    if (bodyText.length > 0) {
      try {
        body = parseJsonBody(bodyText);
      } catch (err) {
        bodyError = (err as Error).message;
      }
    }
    const obj: JsonObject | undefined = isJsonObject(body) ? body : undefined;
    const info = methodInfo(method);
    const isPrivate = info ? info.access === "private" : method.startsWith("private/");
    const defaultId = isPrivate
      ? undefined
      : new JsonNumberText(String(ex.config.switches.public_response_id));
    const idTok = idToken(obj?.id ?? defaultId, nt);
    if (faulty) {
      const f = faults.fire("error", method);
      if (f) {
        const status = f.http_status ?? httpStatusFor(f.code);
        if (f.raw_body !== undefined) {
          res.writeHead(status, { "Content-Type": "text/html", Date: this.date() });
          res.end(f.raw_body);
        } else if (f.code === 9010001) {
          // The maintenance body observed live has no id/method (reference §2.2).
          const code = nt ? String(f.code) : `"${f.code}"`;
          this.send(
            res,
            status,
            `{"code":${code},"message":"SYSTEM_MAINTENANCE","details":${JSON.stringify(f.message ?? "The exchange is under maintenance (emulated fault)")}}`,
          );
        } else {
          this.reply(res, idTok, method, {
            ...fail(f.code, f.message ?? faultMessage(f.code)),
            httpStatus: status,
          });
        }
        return;
      }
    }

    let r: Reply;
    if (!isPrivate) {
      r = this.publicCall(method, query, obj, ip);
    } else if (bodyError !== undefined || obj === undefined) {
      r = fail(
        40001,
        bodyError
          ? `BAD_REQUEST: ${bodyError}`
          : "BAD_REQUEST: private methods take a POST with a JSON object body",
      );
    } else {
      r = this.privateCall(method, obj, ip);
    }
    if (faulty && faults.fire("lose_response", method)) {
      // Processed, but the answer never arrives: the ambiguous case.
      r.after?.();
      req.socket.destroy();
      return;
    }
    this.reply(res, idTok, method, r);
    r.after?.();
  }

  private publicCall(method: string, query: string, body: JsonObject | undefined, ip: string): Reply {
    const ex = this.ex;
    const info = methodInfo(method);
    if (ex.config.rate_limits && info) {
      if (!ex.limiter.allow(`ip|${ip}|${method}`, info.rateLimit.limit, info.rateLimit.windowMs)) {
        return fail(42901, "TOO_MANY_REQUESTS");
      }
    }
    if (!info?.handler) return fail(40002, "METHOD_NOT_FOUND");
    const params: JsonObject = Object.create(null);
    for (const [k, v] of new URLSearchParams(query)) params[k] = v;
    if (body && isJsonObject(body.params)) Object.assign(params, body.params);
    return ex.call({ method, params, ip, transport: "rest" });
  }

  private privateCall(method: string, body: JsonObject, ip: string): Reply {
    const ex = this.ex;
    const signedMethod = typeof body.method === "string" ? body.method : method;
    const auth = authenticate(
      {
        method: signedMethod,
        id: body.id,
        apiKey: body.api_key,
        sig: body.sig,
        nonce: body.nonce,
        params: body.params,
        ip,
      },
      {
        keys: ex.keys,
        now: ex.clock.now(),
        window: ex.config.nonce_window_ms,
        acceptJavaDepth3: ex.config.switches.accept_java_depth3_signature,
      },
    );
    if (!auth.ok) return fail(auth.code, auth.message);
    return ex.callPrivate({
      method,
      key: auth.key,
      params: body.params,
      nonceText: scalarText(body.nonce),
      ip,
      transport: "rest",
      bodyMethod: signedMethod,
    });
  }
}
