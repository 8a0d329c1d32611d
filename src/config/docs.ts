/** Renders `.env.example` and docs/configuration.md from the variable table (see variables.ts). */
import { CREDENTIAL_PAIR_ORDER, CREDENTIAL_PAIRS, type Group, VARIABLES } from "./variables.js";

const GROUP_TITLES: Record<Group, string> = {
  exchange: "Exchange",
  proxy: "Signing proxy",
  trading: "Trading",
  server: "HTTP API and dashboard",
  storage: "Storage",
  telegram: "Telegram",
};

function groups(): [Group, typeof VARIABLES][] {
  const order = Object.keys(GROUP_TITLES) as Group[];
  return order.map((g) => [g, VARIABLES.filter((v) => v.group === g)]);
}

export function renderEnvExample(): string {
  const lines = [
    "# atp configuration. Copy to .env.local (ignored by git) and fill in.",
    "# Precedence: process environment > .env.local > .env > defaults. `atp check-config` shows the result.",
    "# Generated from src/config/variables.ts by `npm run docs`; do not edit by hand.",
  ];
  for (const [g, vars] of groups()) {
    lines.push("", `# --- ${GROUP_TITLES[g]} ---`);
    for (const v of vars) {
      lines.push(`# ${v.description}`);
      const value = v.default ?? v.example ?? "";
      lines.push(v.default !== undefined ? `${v.name}=${value}` : `# ${v.name}=${value}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function renderConfigurationDoc(): string {
  const [primary, alias] = CREDENTIAL_PAIR_ORDER.map((p) => CREDENTIAL_PAIRS[p]);
  const lines = [
    "# Configuration",
    "",
    "Generated from `src/config/variables.ts` by `npm run docs` (a test fails when this file is stale).",
    "",
    "## How it is loaded",
    "",
    "1. **Load**: each variable comes from the process environment, else `.env.local`, else `.env` (both in the",
    "   working directory), else its default. `atp check-config` shows the source of each value.",
    "2. **Clean**: credentials (API key, secret, tokens) pasted with surrounding whitespace, a trailing",
    "   newline/carriage return or wrapping quotes are cleaned, and each cleaning is a *warning* shown by",
    "   `check-config` and `doctor`. Whitespace or invisible characters *inside* a credential are an error.",
    "3. **Validate**: every variable is checked against this table; cross-field rules follow (proxy on without",
    "   a URL, half a credential pair, `LIVE_TRADING=true` without credentials).",
    "",
    "Invalid configuration: commands print every problem at once (variable, what is wrong, how to fix) and exit 2.",
    "`atp check-config` and `atp doctor` never refuse a broken configuration; they report it (exit 1).",
    "",
    "Secrets are never printed: only `len=N last4=XXXX fp=<first 8 hex of SHA-256>`, with `last4` only for API",
    "keys of 12 characters or more (never for secrets, tokens or short keys).",
    "The user info of a URL is never shown either, in any output, report, log line or error message: a password",
    "(`DATABASE_URL=postgres://user:password@host/db`, `CRYPTO_PROXY_URL=http://u:pw@10.0.0.5:9000`) is shown as",
    "`user:<len=N fp=…>`, a user name without a password (the form a token takes) as `<len=N fp=…>`, and the log",
    "redactor masks both wherever a URL appears, configured or not.",
    "",
    "Also reported: an `.env.local` / `.env` that cannot be read (a directory, a FIFO, no permission) is an error",
    "and is skipped; a key set on more than one line of a file is a warning naming the lines (the last one is",
    "used); a plain `http://` `EXCHANGE_CUSTOM_BASE_URL` to another machine is a warning (only the emulator on",
    "this machine should be reached without TLS).",
    "",
    `Credential pairs: \`${primary!.key}\`/\`${primary!.secret}\` (the seed's names) are used when`,
    `either is set; otherwise \`${alias!.key}\`/\`${alias!.secret}\`. \`check-config\` says which pair is used`,
    "and warns when both are set and differ.",
  ];
  for (const [g, vars] of groups()) {
    lines.push(
      "",
      `## ${GROUP_TITLES[g]}`,
      "",
      "| variable | default | secret | meaning |",
      "|---|---|---|---|",
    );
    for (const v of vars) {
      const def = v.default !== undefined ? `\`${v.default}\`` : "—";
      const secret = v.secret ? `yes (${v.secret})` : "no";
      lines.push(`| \`${v.name}\` | ${def} | ${secret} | ${v.description.replace(/\|/g, "\\|")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
