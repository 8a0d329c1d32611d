/**
 * The instant a create-order leaves: undici's `undici:request:bodySent` diagnostics channel for
 * `/private/create-order` requests, with the body as it went on the wire.
 */
import { subscribe } from "node:diagnostics_channel";

/** Calls `fn` each time a create-order body has been handed to the socket (its text when undici kept it). */
export function onCreateOrderWritten(fn: (body: string | undefined) => void): void {
  subscribe("undici:request:bodySent", (m) => {
    const req = (m as { request: { path: string; body?: unknown } }).request;
    if (!req.path.endsWith("/private/create-order")) return;
    fn(req.body ? Buffer.from(req.body as Uint8Array).toString("utf8") : undefined);
  });
}
