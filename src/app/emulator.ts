/**
 * Composition root, emulator part: starts the offline exchange for the `emulator` venue (the demo,
 * `atp emulator`). The one place outside tests that calls `startEmulator`.
 */
import { type EmulatorHandle, startEmulator } from "../emulator/index.js";
import type { ExchangeTarget } from "./runtime.js";

/**
 * Listens on the venue's host and port. A taken port is an error (EADDRINUSE, for the caller to
 * explain), unless the venue has `onPortBusy`: then it is told, and a free port is used instead.
 */
export async function startEmulatorListening(
  venue: Extract<ExchangeTarget, { kind: "emulator" }>,
): Promise<EmulatorHandle> {
  const listen = (port: number) =>
    startEmulator(venue.config, { ...(venue.host ? { host: venue.host } : {}), port });
  const port = venue.port ?? 0;
  try {
    return await listen(port);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || !venue.onPortBusy) throw err;
    venue.onPortBusy(port);
    return listen(0);
  }
}
