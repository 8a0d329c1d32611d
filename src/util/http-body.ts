/** Reading a request body with a size cap (the emulator and the signing proxy). */
import type { IncomingMessage } from "node:http";

/**
 * Resolves the body as UTF-8 text, or `undefined` when it exceeds `maxBytes` (the rest is drained,
 * not buffered) or the stream fails. Never rejects.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on("end", () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(undefined));
  });
}
