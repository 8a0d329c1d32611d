/**
 * Renders docs/troubleshooting.md from the cause catalogue (causes.ts) and the exchange error
 * catalogue (error-codes.ts). `npm run docs` writes it; test/docs/generated.test.ts keeps it current.
 */
import { type CodeInfo, ERROR_CODES } from "../exchange/cryptocom/error-codes.js";
import { CAUSES } from "./causes.js";
import type { CauseId } from "./types.js";

const BY_CATEGORY: Partial<Record<CodeInfo["category"], CauseId[]>> = {
  ip_not_whitelisted: ["ip_not_whitelisted"],
  nonce: ["clock_skew"],
  rate_limit: ["rate_limited"],
  maintenance: ["exchange_maintenance"],
  invalid_order: ["order_rejected"],
  insufficient_funds: ["order_rejected"],
  not_tradable: ["order_rejected"],
  network: ["network_unreachable"],
};

/** The doctor causes an exchange code can point to. */
export function causesForCode(info: CodeInfo): CauseId[] {
  const out = new Set<CauseId>(BY_CATEGORY[info.category] ?? []);
  for (const c of CAUSES) if (c.codes.includes(info.code)) out.add(c.id);
  if (info.category === "server") out.add("exchange_maintenance");
  return [...out];
}

const esc = (s: string) => s.replace(/\|/g, "\\|");

export function renderTroubleshootingDoc(): string {
  const L: string[] = [
    "# Troubleshooting",
    "",
    "Generated from the doctor's cause catalogue (`src/diagnostics/causes.ts`) and the exchange error",
    "catalogue (`src/exchange/cryptocom/error-codes.ts`) by `npm run docs`; a test fails when it is stale.",
    "",
    "**Start here:** run `atp doctor` (add `--order '<the failing order as JSON>'` when an order failed).",
    "It runs this whole page as a checklist in seconds and prints the cause, its evidence and the exact",
    "fix for your installation (your outbound IP, your clock offset, your corrected quantity).",
    "`atp doctor --markdown report.md` writes a report you can share: it never contains a secret.",
    "How each check works, the calls it makes and the precedence rules: [doctor.md](doctor.md).",
    "",
    'Not every "Authentication failed" is an authentication problem: an order rejected for its',
    "quantity precision (213) was reported as an auth failure by the original platform. The doctor",
    "validates the failing order first-hand and says so (`order_rejected`).",
    "",
    "## Causes",
    "",
    "| id | cause | codes |",
    "|---|---|---|",
  ];
  for (const c of CAUSES) {
    L.push(`| [\`${c.id}\`](#${c.id}) | ${esc(c.title)} | ${c.codes.join(", ") || "—"} |`);
  }
  L.push("");
  for (const c of CAUSES) {
    L.push(`### ${c.id}`, "", `**${c.title}.** ${c.when}`, "");
    L.push(`- How atp finds it: ${c.found}`);
    L.push(`- Evidence shown: ${c.evidence}`);
    L.push("- Fix:");
    c.fix.forEach((f, i) => {
      L.push(`  ${i + 1}. ${f}`);
    });
    L.push("");
  }
  L.push(
    "## By exchange code",
    "",
    "Every code the exchange answers, the doctor causes it points to, and the remedy. The full",
    "catalogue with HTTP statuses and retry rules is [error-codes.md](error-codes.md).",
    "",
    "| code | name | category | doctor cause | remedy |",
    "|---:|---|---|---|---|",
  );
  for (const info of ERROR_CODES.values()) {
    if (info.code === 0) continue;
    const causes = causesForCode(info);
    L.push(
      `| ${info.code} | ${info.name} | ${info.category} | ${causes.map((c) => `\`${c}\``).join(", ") || "—"} | ${esc(info.remedy)} |`,
    );
  }
  L.push(
    "",
    "## Without a code",
    "",
    "| symptom | doctor cause |",
    "|---|---|",
    "| DNS lookup fails (ENOTFOUND, EAI_AGAIN) | `network_unreachable` (confirmed) |",
    "| connection refused or reset, no route (ECONNREFUSED, ECONNRESET, EHOSTUNREACH) | `network_unreachable` (confirmed) |",
    "| TLS error (certificate, protocol) | `network_unreachable` (confirmed) |",
    "| connected but no answer within the call timeout | `network_unreachable` (likely) |",
    "| EXCHANGE_LOCAL_ADDRESS not on this host (EADDRNOTAVAIL) | `network_unreachable` (confirmed) |",
    "| the proxy does not answer | `proxy_unreachable` |",
    "| the proxy answers HTTP 401/403 | `proxy_token_rejected` |",
    "| the proxy answers HTTP 502/504 | `network_unreachable` (between the proxy and the exchange) |",
    "| HTTP 404 without a JSON body from the base URL | `wrong_environment` (the URL does not serve Exchange v1) |",
    "| repeated HTTP 5xx without a code | `exchange_maintenance` |",
    "",
  );
  return L.join("\n");
}
