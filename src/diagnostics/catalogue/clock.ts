/** Catalogue: clock skew (this host's, or the proxy host's through the proxy). */
import { NONCE_WINDOW_MS } from "../../exchange/cryptocom/constants.js";
import { type Outcome, outcomeText } from "../outcome.js";
import { entry } from "./entry.js";
import { offsetMeaning, sentence, signedMs } from "./phrases.js";

const WINDOW_S = NONCE_WINDOW_MS / 1000;

/** How to sync the clock of `host`, with its measured offset when there is one. */
export function clockFix(offsetMs: number | undefined, host = "this host"): string[] {
  return [
    ...(offsetMs !== undefined
      ? [`${sentence(offsetMeaning(offsetMs, `${host}'s clock`))} (offset ${signedMs(offsetMs)}).`]
      : []),
    `Turn on time synchronisation on ${host}: \`sudo timedatectl set-ntp true\` (systemd) or \`sudo chronyc makestep\` (chrony).`,
    'Check with `timedatectl status` ("System clock synchronized: yes"); on Docker Desktop/WSL restart the VM (`wsl --shutdown`).',
    "Run `atp doctor` again: the clock offset should be within ±1000 ms.",
  ];
}

export const CLOCK_SKEW = entry({
  id: "clock_skew",
  title: "Clock skew",
  when: "40102 (INVALID_NONCE), or a measured offset to the exchange clock beyond the tolerance (30 s: half the documented 60 s window).",
  found:
    "Clock offset from the exchange's HTTP Date header (several samples, midpoint method), compared with the nonce window; after a 40102 the read is repeated with the nonce corrected by the measured offset (confirmed when that succeeds or the offset is outside the window).",
  evidence: "The offset in ms (and its uncertainty), the exchange's 40102, the corrected-nonce experiment.",
  fix: [
    "Enable NTP: `sudo timedatectl set-ntp true` (or `sudo chronyc makestep`); on Docker Desktop/WSL restart the VM.",
  ],
  codes: [40102, 10007],
  text: {
    measuredSummary: (offsetMs: number) =>
      `${offsetMeaning(offsetMs)} (offset ${signedMs(offsetMs)}): nonces fall outside the exchange's window`,
    refusedSummary: (code: string | undefined) =>
      `the exchange refuses our nonces (${code ?? "nonce"}): this host's clock is off`,
    correctedRead: (retry: Outcome, offsetMs: number) =>
      retry.kind === "ok"
        ? `the same read with the nonce corrected by the measured offset (${signedMs(offsetMs)}) succeeds`
        : `the same read with the nonce corrected by the measured offset → ${outcomeText(retry)}`,
    thinMargin: (skewMs: number) =>
      `inside the ${WINDOW_S} s window today, but less than ${Math.round((NONCE_WINDOW_MS - skewMs) / 1000)} s of margin; the exchange's future-side tolerance was reported tighter`,
    narrowerWindow:
      "the measured offset is inside the documented window: the exchange uses a narrower one, or the clock stepped",
    engineSummary: (what: string) =>
      `the engine's nonce was refused (${what}) but the clock is fine now: it may have stepped`,
    engineNotMeasured: "clock offset not measured",
  },
});
