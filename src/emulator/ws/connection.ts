/**
 * One WebSocket connection of the emulator (reference §7): its socket kind, caller IP, key after
 * `public/auth`, subscriptions, per-second request allowance and heartbeat. Everything sent to the
 * client goes through `send()`, so a stalled connection (heartbeat_stall fault) is silent in every
 * respect: no heartbeats, pushes or replies, while the TCP connection stays open.
 *
 * Heartbeat: every `heartbeat_ms` the server sends `public/heartbeat` with the emulator clock's
 * milliseconds as its id, and closes with 1000 when the matching `public/respond-heartbeat` does not
 * arrive within `heartbeat_deadline_ms`. One heartbeat is outstanding at a time: its deadline stands
 * even when the interval is shorter. The interval and the deadline are real timers (waits); the id
 * and the allowance's calendar second are the emulator clock's.
 */

import type { WebSocket } from "ws";
import type { JsonValue } from "../../domain/json-text.js";
import type { EmulatedExchange } from "../exchange.js";
import { envelope, idToken, type Reply } from "../http/envelope.js";
import type { KeyRecord } from "../keys.js";
import { CalendarSecondLimiter } from "../rate-limit.js";
import type { Sub } from "./channels.js";

export type SocketKind = "user" | "market";

/** Error replies quote at most this much of what the client sent (`original`, channel names). */
export const ECHO_MAX = 4_096;

export function bounded(text: string, max = ECHO_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more characters)`;
}

export class Connection {
  /** Subscriptions by channel name as the client wrote it. */
  readonly subs = new Map<string, Sub>();
  /** The key of a successful `public/auth` (user socket). */
  key: KeyRecord | undefined;
  /** The per-second request allowance (`ws_rate_limits`); undefined when off. */
  readonly limiter: CalendarSecondLimiter | undefined;
  private pendingHeartbeat: number | undefined;
  private stalled = false;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly kind: SocketKind,
    readonly ip: string,
    private readonly ex: EmulatedExchange,
  ) {
    const cfg = ex.config;
    const perSecond = cfg.ws_rate_limits
      ? kind === "user"
        ? cfg.limits.ws_user_requests_per_second
        : cfg.limits.ws_market_requests_per_second
      : undefined;
    const now = () => ex.clock.now();
    this.limiter = perSecond
      ? new CalendarSecondLimiter(perSecond, now(), cfg.switches.ws_prorate_first_second, now)
      : undefined;
  }

  // ------------------------------------------------------------ lifecycle

  /** Starts the heartbeat interval. */
  open(): void {
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.ex.config.heartbeat_ms);
  }

  /** Stops the connection's timers (on close, error, or the hub closing). Idempotent. */
  stop(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
  }

  /** Ends the connection without a close frame (clients see 1006). */
  terminate(): void {
    this.ws.terminate();
  }

  private heartbeat(): void {
    if (this.stalled || this.pendingHeartbeat !== undefined) return;
    const faults = this.ex.faults;
    if (faults.has("heartbeat_stall") && faults.fire("heartbeat_stall", this.kind)) {
      this.stalled = true;
      return;
    }
    const id = this.ex.clock.now();
    this.pendingHeartbeat = id;
    this.send(
      `{"id":${id},"method":"public/heartbeat","code":${this.ex.config.response_number_types ? "0" : '"0"'}}`,
    );
    this.deadlineTimer = setTimeout(() => {
      if (this.pendingHeartbeat === id) this.ws.close(1000, "heartbeat not answered");
    }, this.ex.config.heartbeat_deadline_ms);
  }

  /** `public/respond-heartbeat` with this id text: clears the outstanding heartbeat when it matches. */
  answerHeartbeat(idText: string | undefined): void {
    if (idText !== undefined && Number(idText) === this.pendingHeartbeat) {
      this.pendingHeartbeat = undefined;
      if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    }
  }

  // ------------------------------------------------------------ sending

  /** Sends a text frame unless the connection is stalled or no longer open. */
  send(text: string): void {
    if (this.stalled || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(text);
  }

  /** The exchange's envelope answering request `id`. */
  reply(id: JsonValue | undefined, method: string, r: Reply): void {
    const nt = this.ex.config.response_number_types;
    this.send(envelope(idToken(id, nt), method, r, nt));
  }

  /** A channel push (`method: "subscribe"`); `id` -1 unless it answers a subscribe request. */
  push(result: Record<string, unknown>, id: JsonValue | undefined = undefined): void {
    const nt = this.ex.config.response_number_types;
    this.send(envelope(idToken(id, nt), "subscribe", { code: 0, result }, nt));
  }

  /** `{id: -1, method: "ERROR", code, message, original?}`; `original` quotes at most ECHO_MAX characters. */
  error(code: number, message: string, original?: string): void {
    const nt = this.ex.config.response_number_types;
    const echo = original === undefined ? "" : `,"original":${JSON.stringify(bounded(original))}`;
    this.send(
      `{"id":-1,"method":"ERROR","code":${nt ? code : `"${code}"`},"message":${JSON.stringify(bounded(message))}${echo}}`,
    );
  }
}
