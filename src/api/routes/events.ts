/**
 * `GET /api/events`: server-sent events — the store's events (orders, fills, signals, incidents,
 * settings) and the live ones (`deps.liveEvents`: prices). every message is an unnamed SSE event whose `data:` is an ApiEvent (its `kind` says what happened).
 *
 * Invariants:
 * - Store events carry `id: <seq>`: a client that reconnects with `Last-Event-ID` (or `?after=`)
 *   gets every event after it, in order, none twice. A new client starts after the newest event.
 * - Live events carry no id (they are not stored; resuming never replays them).
 * - The store is polled every 250 ms (one poll at a time), a heartbeat comment goes out every 15 s;
 *   these are real timers of the live stream, not the engine's time. Streams end when the client
 *   goes away or the server closes (preClose), so closing never waits on them.
 */
import type { ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { EventRecord } from "../../store/types.js";
import type { ApiDeps } from "../deps.js";
import { apiEventOf } from "../mappers/market.js";
import { apiEventSchema } from "../mappers/schemas.js";
import { defineRoute } from "../route.js";

export const EVENTS_POLL_MS = 250;
export const EVENTS_HEARTBEAT_MS = 15_000;
const BATCH = 500;

function frame(e: EventRecord, withId: boolean): string {
  // unnamed ("message") events: a client reads every kind with one listener; the kind is in the data
  return `${withId ? `id: ${e.seq}\n` : ""}data: ${JSON.stringify(apiEventOf(e))}\n\n`;
}

function resumeFrom(header: string | string[] | undefined, after: number | undefined): number | undefined {
  if (typeof header === "string" && /^\d{1,15}$/.test(header.trim())) return Number(header.trim());
  return after;
}

export async function registerEventRoutes(app: FastifyInstance, deps: ApiDeps): Promise<void> {
  const open = new Set<ServerResponse>();
  app.addHook("preClose", async () => {
    for (const res of open) res.end();
  });

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/events",
      auth: "read",
      query: z.object({ after: z.coerce.number().int().min(0).optional() }),
      response: apiEventSchema,
      contentType: "text/event-stream",
      summary:
        "Server-sent events: orders, fills, signals, incidents, settings (id = seq; resume with Last-Event-ID) and prices",
      tags: ["events"],
    },
    async ({ request, reply, query }) => {
      let seq =
        resumeFrom(request.headers["last-event-id"], query.after) ?? (await deps.store.events.lastSeq());
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      res.write("retry: 2000\n\n");
      open.add(res);
      let closed = false;
      let poll: ReturnType<typeof setTimeout> | undefined;
      const tick = async () => {
        try {
          for (;;) {
            const batch = await deps.store.events.after(seq, BATCH);
            for (const e of batch) {
              if (closed) return;
              res.write(frame(e, true));
              seq = e.seq;
            }
            if (batch.length < BATCH) break;
          }
        } catch (e) {
          deps.logger.warn(
            { err: e instanceof Error ? e.message : String(e) },
            "api: event stream poll failed",
          );
        }
        if (!closed) poll = setTimeout(tick, EVENTS_POLL_MS);
      };
      const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), EVENTS_HEARTBEAT_MS);
      const unsubscribe = deps.liveEvents?.subscribe((e) => {
        if (!closed) res.write(frame(e, false));
      });
      const stop = () => {
        if (closed) return;
        closed = true;
        open.delete(res);
        if (poll) clearTimeout(poll);
        clearInterval(heartbeat);
        unsubscribe?.();
      };
      res.on("close", stop);
      void tick();
      return undefined;
    },
  );
}
