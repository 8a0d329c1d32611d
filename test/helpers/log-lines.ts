/** A log destination that keeps what is written to it, one entry per non-empty line. */
import { Writable } from "node:stream";

/** `destination` for createLogger; `lines` holds each record (a JSON line) in order. */
export function logLines(): { destination: Writable; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  return { destination, lines };
}
