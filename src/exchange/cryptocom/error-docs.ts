/** Renders docs/error-codes.md from the code catalogue (error-codes.ts). */
import { ERROR_CODES } from "./error-codes.js";

export function renderErrorCodesDoc(): string {
  const lines = [
    "# Crypto.com Exchange error codes",
    "",
    "Generated from `src/exchange/cryptocom/error-codes.ts` by `npm run docs` (a test fails when stale).",
    "atp classifies every exchange failure by this code (and by transport failure), never by message text.",
    "The HTTP status decides only when the body is not JSON.",
    "",
    "Categories: `auth`, `ip_not_whitelisted`, `nonce`, `permission`, `rate_limit`, `invalid_order`,",
    "`insufficient_funds`, `not_found`, `not_tradable`, `bad_request`, `server`, `maintenance`, `network`,",
    "`timeout`, `unknown`. Retryable (for idempotent reads only): `rate_limit`, `server`, `maintenance`,",
    "`network`, `timeout`. Orders are never blindly retried.",
    "",
  ];
  const sections: [string, boolean][] = [
    ["Exchange v1 codes", false],
    ["Legacy v2 codes still emitted by v1 in places", true],
  ];
  for (const [title, legacy] of sections) {
    lines.push(
      `## ${title}`,
      "",
      "| code | name | HTTP | category | retryable | meaning | remedy |",
      "|---:|---|---:|---|---|---|---|",
    );
    for (const info of ERROR_CODES.values()) {
      if ((info.legacy ?? false) !== legacy || info.code === 0) continue;
      const esc = (s: string) => s.replace(/\|/g, "\\|");
      lines.push(
        `| ${info.code} | ${info.name} | ${info.http ?? "?"} | ${info.category} | ${info.retryable ? "yes" : "no"} | ${esc(info.meaning)} | ${esc(info.remedy)} |`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}
