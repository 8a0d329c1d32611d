/**
 * Requests arriving on a socket, routed in the exchange's order: parse (40001) → `id` and `method`
 * present (40003) → `public/respond-heartbeat` (never counted, never answered) → the per-second
 * allowance (42901) → subscribe / unsubscribe → `public/auth` (user socket) → `private/*` (user
 * socket) → anything else 40002.
 *
 * Private methods run through the same pipeline as REST after authentication
 * (`EmulatedExchange.callPrivate`), behind the private-method faults: latency (held; closing the
 * emulator releases it without an answer), reset_before (the socket is terminated), error (its
 * code instead of the call) and lose_response (processed, not answered). `public/auth` checks key →
 * IP → nonce → signature exactly as REST does (`authenticate`).
 */
import {
  isJsonObject,
  type JsonObject,
  type JsonValue,
  parseJsonBody,
  scalarText,
} from "../../domain/json-text.js";
import { authenticate } from "../auth.js";
import type { EmulatedExchange } from "../exchange.js";
import { fail, faultMessage } from "../http/envelope.js";
import { parseChannel, type Sub, type UserSub } from "./channels.js";
import { bounded, type Connection } from "./connection.js";
import type { FanOut } from "./fan-out.js";

export class RequestRouter {
  constructor(
    private readonly ex: EmulatedExchange,
    private readonly fanOut: FanOut,
  ) {}

  /** Handles one text message. May throw on a bug (the hub answers 50001). */
  onMessage(c: Connection, text: string): void {
    let msg: JsonValue;
    try {
      msg = parseJsonBody(text);
    } catch (err) {
      c.error(40001, `BAD_REQUEST: ${(err as Error).message}`, text);
      return;
    }
    if (!isJsonObject(msg) || typeof msg.method !== "string" || msg.id === undefined) {
      c.error(40003, "INVALID_REQUEST: id and method are required", text);
      return;
    }
    const method = msg.method;
    if (method === "public/respond-heartbeat") {
      c.answerHeartbeat(scalarText(msg.id));
      return;
    }
    if (c.limiter && !c.limiter.allow()) {
      c.reply(msg.id, method, fail(42901, "TOO_MANY_REQUESTS"));
      return;
    }
    if (method === "subscribe" || method === "unsubscribe") {
      this.subscription(c, msg, method === "subscribe");
      return;
    }
    if (c.kind === "user" && method === "public/auth") {
      this.auth(c, msg);
      return;
    }
    if (c.kind === "user" && method.startsWith("private/")) {
      this.privateCall(c, msg, method).catch((err: unknown) => {
        c.reply(msg.id, method, fail(50001, `INTERNAL_SERVER_ERROR: ${(err as Error).message}`));
      });
      return;
    }
    c.reply(msg.id, method, fail(40002, "METHOD_NOT_FOUND"));
  }

  private auth(c: Connection, msg: JsonObject): void {
    const ex = this.ex;
    const r = authenticate(
      {
        method: "public/auth",
        id: msg.id,
        apiKey: msg.api_key,
        sig: msg.sig,
        nonce: msg.nonce,
        params: msg.params,
        ip: c.ip,
      },
      {
        keys: ex.keys,
        now: ex.clock.now(),
        window: ex.config.nonce_window_ms,
        acceptJavaDepth3: ex.config.switches.accept_java_depth3_signature,
      },
    );
    if (!r.ok) {
      c.reply(msg.id, "public/auth", fail(r.code, r.message));
      return;
    }
    c.key = r.key;
    c.reply(msg.id, "public/auth", { code: 0 });
  }

  private async privateCall(c: Connection, msg: JsonObject, method: string): Promise<void> {
    const ex = this.ex;
    const key = c.key && ex.keys.get(c.key.apiKey);
    if (!key?.enabled) {
      c.reply(msg.id, method, fail(40101, "UNAUTHORIZED"));
      return;
    }
    const faults = ex.faults;
    const delay = faults.latency(method);
    if (delay > 0 && !(await ex.hold(delay))) return; // closed while held
    if (faults.fire("reset_before", method)) {
      c.terminate();
      return;
    }
    const f = faults.fire("error", method);
    if (f) {
      c.reply(msg.id, method, fail(f.code, f.message ?? faultMessage(f.code)));
      return;
    }
    const r = ex.callPrivate({
      method,
      key,
      params: msg.params,
      nonceText: scalarText(msg.nonce) ?? scalarText(msg.id),
      ip: c.ip,
      transport: "ws",
    });
    if (faults.fire("lose_response", method)) {
      r.after?.();
      return;
    }
    c.reply(msg.id, method, r);
    r.after?.();
  }

  /**
   * subscribe / unsubscribe: every channel must parse (else `invalid_channel_code` naming the first
   * bad one, nothing changed); user channels need `public/auth`; a market socket holds at most
   * `limits.max_market_subscriptions`. Market: the reply, then each channel's first message; user:
   * each channel's first message answers the request.
   */
  private subscription(c: Connection, msg: JsonObject, on: boolean): void {
    const params = isJsonObject(msg.params) ? msg.params : undefined;
    const channels = params?.channels;
    const method = on ? "subscribe" : "unsubscribe";
    if (!Array.isArray(channels) || channels.some((ch) => typeof ch !== "string")) {
      c.reply(msg.id, method, fail(40004, "Missing or invalid argument: params.channels"));
      return;
    }
    if (c.kind === "user" && !c.key) {
      c.reply(msg.id, method, fail(40101, "UNAUTHORIZED"));
      return;
    }
    const market = this.ex.market;
    const parsed: [string, Sub][] = [];
    for (const name of channels as string[]) {
      const sub = parseChannel(c.kind, name, params!, (s) => market.has(s));
      if (!sub) {
        const why = `invalid channel {"channels":${JSON.stringify([bounded(name, 256)])}}`;
        c.reply(msg.id, method, fail(this.ex.config.switches.invalid_channel_code, why));
        return;
      }
      parsed.push([name, sub]);
    }
    if (!on) {
      for (const [name] of parsed) c.subs.delete(name);
      c.reply(msg.id, method, { code: 0 });
      return;
    }
    const fresh = parsed.filter(([name]) => !c.subs.has(name));
    if (c.kind === "market" && c.subs.size + fresh.length > this.ex.config.limits.max_market_subscriptions) {
      c.reply(msg.id, method, fail(40107, "EXCEED_MAX_SUBSCRIPTIONS"));
      return;
    }
    for (const [name, sub] of parsed) c.subs.set(name, sub);
    if (c.kind === "market") {
      c.reply(msg.id, method, { code: 0 });
      for (const [name, sub] of parsed) this.fanOut.initialMarket(c, name, sub);
    } else {
      for (const [name, sub] of parsed) this.fanOut.initialUser(c, msg.id, name, sub as UserSub);
    }
  }
}
