/**
 * The transport's connections to its primary origin (the client's base URL): one undici `Pool`,
 * dispatched to directly (no agent lookup per request), whose connector can hand a connection
 * dialled ahead of time (`warm()`) to the pool's next new connection, so a request after a quiet
 * spell does not wait for TCP and TLS.
 *
 * Invariants:
 * - At most one spare (dialled, never used) connection exists; `warm()` dials only when the pool
 *   has no idle connection and there is no spare.
 * - A spare is closed after `keepAliveMs` unused, the bound of every idle connection: a socket the
 *   server may be closing for idleness is never written to. One the server closed (or that failed)
 *   is dropped at once, never handed over.
 * - keepWarm: whenever the pool has no connection and there is no spare, one is dialled (one dial at
 *   a time; after a failed dial the next waits `keepAliveMs`), so one connection is always ready.
 * - close()/destroy() close the spare and stop re-dialling; nothing here sends a request.
 */
import type { LookupFunction, Socket } from "node:net";
import { buildConnector, Pool } from "undici";

export interface PrimaryConnectionOptions {
  connectTimeout: number;
  headersTimeout: number;
  bodyTimeout: number;
  keepAliveTimeout: number;
  keepAliveMaxTimeout: number;
  localAddress?: string | undefined;
  lookup?: LookupFunction | undefined;
  keepWarm: boolean;
}

export class PrimaryConnection {
  readonly pool: Pool;
  private readonly dial: buildConnector.connector;
  private readonly params: buildConnector.Options;
  private readonly idleMs: number;
  private readonly keepWarm: boolean;
  private spare: Socket | undefined;
  private spareTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private dialing: Promise<boolean> | undefined;
  private closed = false;
  private readonly dropSpare = () => this.discardSpare();

  constructor(
    readonly origin: string,
    opts: PrimaryConnectionOptions,
  ) {
    const url = new URL(origin);
    const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
    this.params = {
      host: url.host,
      hostname,
      protocol: url.protocol,
      port: url.port,
      localAddress: opts.localAddress ?? null,
    };
    this.idleMs = opts.keepAliveTimeout;
    this.keepWarm = opts.keepWarm;
    this.dial = buildConnector({
      timeout: opts.connectTimeout,
      ...(opts.lookup ? { lookup: opts.lookup } : {}),
    });
    this.pool = new Pool(origin, {
      headersTimeout: opts.headersTimeout,
      bodyTimeout: opts.bodyTimeout,
      keepAliveTimeout: opts.keepAliveTimeout,
      keepAliveMaxTimeout: opts.keepAliveMaxTimeout,
      pipelining: 1,
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
      connect: (o, cb) => this.connect(o, cb),
    });
    if (this.keepWarm) this.pool.on("disconnect", () => this.topUp());
  }

  /** See HttpTransport.warm(). */
  warm(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.spare !== undefined || this.pool.stats.free > 0) return Promise.resolve(true);
    return this.dialSpare();
  }

  /** Open connections in the pool, and the spare (0 or 1). */
  counts(): { pooled: number; spare: number } {
    return { pooled: this.pool.stats.connected, spare: this.spare ? 1 : 0 };
  }

  async close(): Promise<void> {
    this.stop();
    await this.pool.close();
  }

  async destroy(): Promise<void> {
    this.stop();
    await this.pool.destroy();
  }

  private stop(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.discardSpare();
  }

  /**
   * The pool's connector: the spare when there is a usable one, else a new connection. The spare
   * is handed over on the next tick, as a dial answers: undici's client ignores a connection that
   * arrives while it is still inside the call that asked for it.
   */
  private connect(o: buildConnector.Options, cb: buildConnector.Callback): void {
    const s = this.takeSpare();
    if (s) process.nextTick(cb, null, s);
    else this.dial(o, cb);
  }

  private takeSpare(): Socket | undefined {
    const s = this.spare;
    if (!s) return undefined;
    this.release(s);
    if (s.destroyed || !s.writable || s.readableEnded) {
      s.destroy();
      return undefined;
    }
    return s;
  }

  private dialSpare(): Promise<boolean> {
    this.dialing ??= new Promise<boolean>((resolve) => {
      this.dial({ ...this.params }, (err, socket) => {
        this.dialing = undefined;
        if (err || !socket) {
          this.retryLater();
          resolve(false);
          return;
        }
        if (this.closed || this.spare !== undefined) {
          socket.destroy();
          resolve(!this.closed);
          return;
        }
        this.spare = socket;
        socket.once("end", this.dropSpare).once("close", this.dropSpare).on("error", this.dropSpare);
        this.spareTimer = setTimeout(this.dropSpare, this.idleMs);
        this.spareTimer.unref();
        resolve(true);
      });
    });
    return this.dialing;
  }

  /** The spare closed, failed or stayed unused for `keepAliveMs`: closed, and replaced when keepWarm. */
  private discardSpare(): void {
    const s = this.spare;
    if (!s) return;
    this.release(s);
    s.destroy();
    this.topUp();
  }

  private release(s: Socket): void {
    this.spare = undefined;
    clearTimeout(this.spareTimer);
    this.spareTimer = undefined;
    s.off("end", this.dropSpare).off("close", this.dropSpare).off("error", this.dropSpare);
  }

  /** keepWarm: dial a spare when nothing is connected (the last connection closed, or the spare went). */
  private topUp(): void {
    if (!this.keepWarm || this.closed || this.retryTimer !== undefined) return;
    if (this.spare !== undefined || this.pool.stats.connected > 0) return;
    void this.dialSpare();
  }

  private retryLater(): void {
    if (!this.keepWarm || this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.topUp();
    }, this.idleMs);
    this.retryTimer.unref();
  }
}
