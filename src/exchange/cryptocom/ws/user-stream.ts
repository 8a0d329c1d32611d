/**
 * User stream on the user socket (reference §7): `public/auth`, then `user.order`, `user.trade`,
 * `user.balance`, `user.advanced.order`.
 *
 * Invariants:
 * - Nothing but `public/auth` is sent before auth succeeds; a non-zero auth code is fatal (the
 *   stream stops and emits `error` with the classified ExchangeError; it does not retry a bad key).
 * - After every reconnect: auth again, resubscribe, then a REST gap-fill — open orders, open
 *   trigger orders and the order history since the disconnect (minus a margin) — emitted as
 *   `order` / `triggerOrder` events with source "gapfill", so no fill or cancel that happened while
 *   the socket was down is missed. `ready` is emitted after the gap-fill.
 */
import { EventEmitter } from "node:events";
import type { Logger } from "../../../log/logger.js";
import type { ExchangeClient, UserStreamEvents } from "../../types.js";
import { assertSendableParams } from "../envelope.js";
import { ExchangeError } from "../errors.js";
import { NonceSource } from "../nonce.js";
import { parseBalanceRow } from "../parsers/account.js";
import { parseFillArray, parseOrderArray } from "../parsers/orders.js";
import { type Params, sign } from "../signing.js";
import { FatalSocketError, ReconnectingSocket, type SocketOptions, type WsPush } from "./socket.js";

type Args<T> = { [K in keyof T]: T[K] extends (...a: infer A) => void ? A : never };

export const USER_CHANNELS = ["user.order", "user.trade", "user.balance", "user.advanced.order"] as const;

/** The REST calls the gap-fill needs (CryptoComClient satisfies it). */
export type GapFillSource = Pick<
  ExchangeClient,
  "getOpenOrders" | "getOpenTriggerOrders" | "getOrderHistory"
>;

export interface UserStreamOptions extends Omit<SocketOptions, "sendLimit"> {
  apiKey: string;
  apiSecret: string;
  /** REST client for the gap-fill after a reconnect (omit to skip it). */
  rest?: GapFillSource | undefined;
  channels?: readonly string[] | undefined;
  /** History looked back before the disconnect instant (default 10 s). */
  gapFillMarginMs?: number | undefined;
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
}

/**
 * The listener signatures of `OrderUpdateSource` (src/exchange/types.ts), declared beside the
 * emitter's own so a UserStream is usable wherever the trader takes an order-update source.
 */
export interface UserStream {
  on<E extends keyof UserStreamEvents>(event: E, listener: UserStreamEvents[E]): this;
  off<E extends keyof UserStreamEvents>(event: E, listener: UserStreamEvents[E]): this;
}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the interface adds listener overloads only, no properties
export class UserStream extends EventEmitter<Args<UserStreamEvents>> {
  private readonly socket: ReconnectingSocket;
  private readonly nonces: NonceSource;
  private readonly now: () => number;
  private disconnectedAt: number | undefined;
  private authenticated = false;

  constructor(private readonly opts: UserStreamOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.nonces = new NonceSource(this.now);
    this.socket = new ReconnectingSocket(
      { ...opts, sendLimit: { limit: 150, windowMs: 1_000 } },
      { onSession: (re) => this.onSession(re), onPush: (p) => this.onPush(p) },
    );
    this.socket.on("ready", () => this.emit("ready"));
    this.socket.on("disconnected", (info) => {
      this.authenticated = false;
      this.disconnectedAt ??= this.now();
      this.emit("disconnected", info);
    });
    this.socket.on("error", (e) => {
      if (this.listenerCount("error") > 0) this.emit("error", e);
    });
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** Authenticated and subscribed right now (`OrderUpdateSource`). */
  get connected(): boolean {
    return this.authenticated;
  }

  start(): void {
    this.socket.start();
  }

  /** Closes the socket; from now on the stream is not `connected` (no session, nothing pushed). */
  stop(): Promise<void> {
    this.authenticated = false;
    return this.socket.stop();
  }

  /**
   * Sends a private request over the authenticated socket (same result shape as REST). Params obey
   * the same rule as REST: no fractional numbers, decimals as strings (checked before sending).
   */
  async call(method: string, params: Params = {}): Promise<unknown> {
    assertSendableParams(params);
    if (!this.authenticated) {
      throw new ExchangeError({ method, category: "auth", message: "user socket not authenticated yet" });
    }
    const reply = await this.socket.request(method, { params, nonce: this.nonces.next() });
    return reply.result;
  }

  private async onSession(isReconnect: boolean): Promise<void> {
    const id = this.socket.newId();
    const nonce = this.nonces.next();
    const sig = sign({ method: "public/auth", id, apiKey: this.opts.apiKey, nonce }, this.opts.apiSecret);
    try {
      await this.socket.request("public/auth", { id, api_key: this.opts.apiKey, sig, nonce });
    } catch (e) {
      if (e instanceof ExchangeError && e.code !== undefined) {
        throw new FatalSocketError(`public/auth refused: ${e.code} ${e.codeName}`, e);
      }
      throw e;
    }
    this.authenticated = true;
    await this.socket.request("subscribe", {
      params: { channels: [...(this.opts.channels ?? USER_CHANNELS)] },
      nonce: this.nonces.next(),
    });
    if (isReconnect) await this.gapFill();
    this.disconnectedAt = undefined;
  }

  private async gapFill(): Promise<void> {
    const rest = this.opts.rest;
    if (!rest) return;
    const since = (this.disconnectedAt ?? this.now()) - (this.opts.gapFillMarginMs ?? 10_000);
    try {
      const [open, triggers, history] = await Promise.all([
        rest.getOpenOrders(),
        rest.getOpenTriggerOrders(),
        rest.getOrderHistory({ startTime: since }),
      ]);
      for (const o of history) this.emit("order", o, "gapfill");
      for (const o of open) this.emit("order", o, "gapfill");
      for (const o of triggers) this.emit("triggerOrder", o, "gapfill");
    } catch (e) {
      if (this.listenerCount("error") > 0) this.emit("error", e instanceof Error ? e : new Error(String(e)));
    }
  }

  private onPush(p: WsPush): void {
    const ch = p.subscription;
    if (ch.startsWith("user.advanced.order") || ch.startsWith("user.advance.order")) {
      for (const o of parseOrderArray(p.data, "data")) this.emit("triggerOrder", o, "stream");
    } else if (ch.startsWith("user.order")) {
      for (const o of parseOrderArray(p.data, "data")) this.emit("order", o, "stream");
    } else if (ch.startsWith("user.trade")) {
      for (const f of parseFillArray(p.data, "data")) this.emit("trade", f);
    } else if (ch.startsWith("user.balance")) {
      for (const row of p.data) this.emit("balance", { balance: parseBalanceRow(row), time: this.now() });
    }
  }
}
