/** Catalogue: the exchange's own state (maintenance, server errors) and rate limits. */
import type { RateLimit } from "../../exchange/cryptocom/endpoints.js";
import { entry } from "./entry.js";

export const EXCHANGE_MAINTENANCE = entry({
  id: "exchange_maintenance",
  title: "Exchange in maintenance or failing",
  when: "9010001, or repeated server errors from the exchange.",
  found:
    "Any call answering 9010001 (confirmed); server errors: a server-side code such as 50001 ERR_INTERNAL whatever its HTTP status (§2.3 documents HTTP 400), or a 5xx without a code. Two or more (likely), one (possible).",
  evidence: "Which calls answered what.",
  fix: ["Wait for the maintenance to end (status.crypto.com); atp holds new orders meanwhile."],
  codes: [9010001, 50001],
  text: {
    summary: (code: string) => `the exchange is in maintenance (${code})`,
    viaProxy: (via: "direct" | "proxy") => (via === "proxy" ? " (via proxy)" : ""),
    fix: [
      "Wait for the maintenance to end (https://status.crypto.com); atp holds new orders and retries reads meanwhile.",
    ],
    serverErrorsSummary: (n: number) =>
      `the exchange answers with server errors (${n} of the doctor's calls)`,
    serverErrorsFix: [
      "Retry in a few minutes and check https://status.crypto.com; nothing to change on this host.",
    ],
    engineSummary: (what: string) =>
      `the engine's request hit a maintenance window (${what}); the exchange answers again now`,
    engineFix: ["Nothing to fix: retry the order."],
  },
});

export const RATE_LIMITED = entry({
  id: "rate_limited",
  title: "Rate limited",
  when: "42901 / HTTP 429.",
  found:
    "Any of the doctor's calls answering 42901/429 (confirmed); the engine's own 42901 that the doctor does not reproduce (likely).",
  evidence: "Which call was limited.",
  fix: [
    "Stop other programs using the same API key; atp's client queues requests within the documented limits.",
  ],
  codes: [42901, 10006],
  text: {
    summary: (answer: string) => `the exchange rate-limits this key or IP (${answer})`,
    ownPace: (read: RateLimit) =>
      `the doctor itself stays within the documented per-method limits (${read.limit} per ${read.windowMs} ms for reads)`,
    fix: [
      "Stop other programs (another bot, a second atp instance) that use the same API key; atp queues its own calls within the limits.",
      "Wait a few seconds and run `atp doctor` again.",
    ],
    engineSummary: (what: string) => `the engine's request was rate-limited (${what}); it is not limited now`,
    engineFix: ["Nothing to fix if it was a burst; otherwise stop other programs using the same key."],
  },
});
