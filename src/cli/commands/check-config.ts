/**
 * `atp check-config [--json]`: offline. Shows every variable (secrets masked) and where it came from,
 * which credential pair is used, and every warning and problem. Never refuses a broken configuration:
 * that is what it reports. Exit 0 when there is no problem (warnings allowed), 1 otherwise.
 */
import { createRuntime } from "../../app/runtime.js";
import { formatFindings, loadConfig } from "../../config/load.js";
import { displayUrl } from "../../util/url.js";
import { defineCommand, type OptionValues, option } from "../define-command.js";

const options = {
  json: option.flag("print the report as JSON (ok, credential_pair, variables, errors, warnings)"),
};

export const command = defineCommand({
  name: "check-config",
  summary: "Show the configuration (secrets masked), where each value came from, and its problems",
  notes: "Offline. Exit codes: 0 no problem (warnings allowed), 1 a problem, 2 usage error.",
  options,
  run,
});

async function run(values: OptionValues<typeof options>): Promise<number> {
  // offline: the runtime builds nothing here but the configuration report
  const { report } = createRuntime(loadConfig(), { name: "check-config" });
  const c = report.config;
  if (values.json) {
    const out = {
      ok: report.valid,
      credential_pair: c.exchange.credentialPair ?? null,
      base_url: displayUrl(c.exchange.baseUrl),
      via_proxy: c.proxy.enabled,
      live_trading: c.liveTrading,
      variables: report.variables.map((v) => ({
        name: v.name,
        set: v.set,
        source: v.source ?? null,
        value: v.display,
      })),
      errors: report.errors,
      warnings: report.warnings,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return report.valid ? 0 : 1;
  }
  const lines: string[] = [];
  lines.push("atp configuration (sources: env > .env.local > .env > default)", "");
  const width = Math.max(...report.variables.map((v) => v.name.length));
  for (const v of report.variables) {
    const src = v.source ? `[${v.source}]` : "";
    lines.push(`  ${v.name.padEnd(width)}  ${v.display} ${src}`.trimEnd());
  }
  lines.push("");
  lines.push(`credentials: ${c.exchange.credentialPair ?? "not configured"}`);
  lines.push(
    `exchange:    ${displayUrl(c.exchange.baseUrl)}${c.proxy.enabled ? ` via proxy ${c.proxy.url ? displayUrl(c.proxy.url) : "(no URL)"}` : ""}`,
  );
  lines.push(`live:        ${c.liveTrading ? "LIVE TRADING ON" : "off (no real orders)"}`);
  lines.push("");
  if (report.warnings.length > 0) lines.push(formatFindings(report.warnings), "");
  if (report.errors.length > 0) lines.push(formatFindings(report.errors), "");
  lines.push(
    report.valid
      ? `OK (${report.warnings.length} warning(s))`
      : `PROBLEMS: ${report.errors.length} error(s), ${report.warnings.length} warning(s)`,
  );
  process.stdout.write(`${lines.join("\n")}\n`);
  return report.valid ? 0 : 1;
}
