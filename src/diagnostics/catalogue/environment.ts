/** Catalogue: the wrong environment (the UAT sandbox, a legacy API, a URL that serves no v1 API). */
import { PRODUCTION, UAT } from "../../exchange/cryptocom/constants.js";
import { entry } from "./entry.js";

const PRODUCTION_FIX = `Set EXCHANGE_CUSTOM_BASE_URL=${PRODUCTION.rest} (production), with a production API key.`;
const UAT_FIX = `Or, to test on the sandbox, use a UAT API key (UAT access is by invitation) with ${UAT.rest}.`;

export const WRONG_ENVIRONMENT = entry({
  id: "wrong_environment",
  title: "Wrong environment (UAT sandbox or legacy API)",
  when: "Auth fails while the base URL points at the UAT sandbox (keys are per environment) or at a legacy API (`/v2`, the pre-2021 `/v1`). A custom URL (a local emulator, a mirror) is not by itself a wrong environment.",
  found:
    "Base URL classification plus the signed read's failure (likely for UAT + 40101, confirmed for a legacy path that fails).",
  evidence: "The base URL, why it is UAT or legacy, and the exchange's answer.",
  fix: [
    `Set EXCHANGE_CUSTOM_BASE_URL=${PRODUCTION.rest} for production keys (or use UAT keys with the UAT URL).`,
  ],
  codes: [40101, 40002],
  text: {
    baseUrl: (url: string, reason?: string) =>
      `base URL: ${url}${reason !== undefined ? ` (${reason})` : ""}`,
    legacySummary: (reason: string) => `EXCHANGE_CUSTOM_BASE_URL points at a legacy API: ${reason}`,
    v1Only: `atp speaks the Exchange v1 API only (${PRODUCTION.rest})`,
    legacyFix: [PRODUCTION_FIX],
    uatSummary: (code: string) =>
      `the base URL is the UAT sandbox and it refuses the key (${code}): production keys do not work on UAT`,
    uatFix: [PRODUCTION_FIX, UAT_FIX],
    noApiSummary: (answer: string) => `the base URL does not serve the Exchange v1 API (${answer})`,
    noApiFix: [
      `Set EXCHANGE_CUSTOM_BASE_URL to the v1 root, e.g. ${PRODUCTION.rest} or http://127.0.0.1:8100/exchange/v1 (emulator).`,
    ],
  },
});
