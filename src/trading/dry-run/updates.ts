/**
 * The dry-run broker's order-update source: the same events, with the same payloads, as the live
 * user stream (`OrderUpdateSource`, src/exchange/types.ts).
 *
 * Invariants:
 * - Always connected: there is no socket to lose, so no `disconnected` event is ever emitted.
 * - Events are delivered asynchronously and in the order they were queued (on the next turn of
 *   the event loop, or by `flush()` at the end of the broker's own deferred work), never inside
 *   the caller's call that caused them: a caller sees a placement's outcome before that order's
 *   updates, as with the exchange's acknowledgement and pushes. One `ManualTime.settle()` after a
 *   placement delivers them all.
 * - A listener that throws is logged and does not stop the others.
 */

import type { OrderUpdateSource, UserStreamEvents } from "../../exchange/types.js";
import type { Logger } from "../../log/logger.js";

type EventName = keyof UserStreamEvents;
type AnyListener = (...args: never[]) => void;
type Queued = { [E in EventName]: { event: E; args: Parameters<UserStreamEvents[E]> } }[EventName];

export class DryRunUpdateHub implements OrderUpdateSource {
  readonly connected = true;
  private readonly listeners = new Map<EventName, Set<AnyListener>>();
  private readonly queue: Queued[] = [];
  private scheduled = false;

  constructor(private readonly logger: Logger) {}

  on<E extends EventName>(event: E, listener: UserStreamEvents[E]): this {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as AnyListener);
    return this;
  }

  off<E extends EventName>(event: E, listener: UserStreamEvents[E]): this {
    this.listeners.get(event)?.delete(listener as AnyListener);
    return this;
  }

  /** Queues an event for delivery on the next turn of the event loop. */
  emit<E extends EventName>(event: E, ...args: Parameters<UserStreamEvents[E]>): void {
    this.queue.push({ event, args } as Queued);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Delivers everything queued now (the broker calls it after working an order on its own turn). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const q = this.queue.shift()!;
      for (const l of [...(this.listeners.get(q.event) ?? [])]) {
        try {
          (l as (...a: unknown[]) => void)(...q.args);
        } catch (e) {
          this.logger.error({ err: e, event: q.event }, "dry-run update listener threw");
        }
      }
    }
  }
}
