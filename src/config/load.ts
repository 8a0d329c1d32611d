/**
 * Configuration pipeline: load (process env, then .env.local, then .env, then defaults) → clean
 * credentials → validate every variable against the table in variables.ts → cross-field rules →
 * a typed AppConfig. It never throws: problems are findings, so `check-config` and `doctor` can
 * report a broken configuration; other commands print `invalidConfigText` (every problem at once)
 * and exit 2.
 */
import { join } from "node:path";
import type { SecretValue } from "../log/redact.js";
import { maskSecret } from "../util/secrets.js";
import { displayUrl, urlPassword } from "../util/url.js";
import { cleanCredential } from "./clean.js";
import { readEnvFile } from "./env-file.js";
import {
  CREDENTIAL_PAIR_ORDER,
  CREDENTIAL_PAIRS,
  type CredentialPair,
  PRIMARY_PAIR,
  parseBool,
  VARIABLE_BY_NAME,
  VARIABLES,
  type Variable,
} from "./variables.js";

export type { CredentialPair };

export type Source = "env" | ".env.local" | ".env" | "default";

/**
 * What a finding is, for code that acts on findings (the doctor): never inferred from `problem`,
 * whose wording is for humans.
 * - env_file: a line of .env / .env.local that is not KEY=value, or the file cannot be read at all
 *   (a directory, a FIFO, no permission): reported, and the file is skipped
 * - duplicate_key: a key set on more than one line of the same file (warning; the last line wins)
 * - insecure_url: the exchange base URL is plain http:// to another machine (warning)
 * - cleaned: a credential value atp cleaned (whitespace, CR, quotes) and used (warning)
 * - invalid: a value atp refuses (characters it cannot clean, not a URL / port / boolean...)
 * - missing_partner: one half of a credential pair is set, the other is not
 * - pair_conflict: both credential pairs are set and differ (warning)
 * - cross_field: a rule across variables (proxy without URL or token, live trading without credentials)
 */
export type FindingKind =
  | "env_file"
  | "duplicate_key"
  | "insecure_url"
  | "cleaned"
  | "invalid"
  | "missing_partner"
  | "pair_conflict"
  | "cross_field";

export interface Finding {
  severity: "error" | "warning";
  kind: FindingKind;
  /** The variable (or file) the finding is about. */
  variable: string;
  problem: string;
  fix: string;
}

export interface VariableState {
  name: string;
  set: boolean;
  source?: Source;
  /** Safe display: the value for plain settings, the mask for secrets. */
  display: string;
  secret: boolean;
}

export interface AppConfig {
  exchange: {
    apiKey?: string;
    apiSecret?: string;
    credentialPair?: CredentialPair;
    baseUrl: string;
    localAddress?: string;
    outboundIpUrl: string;
    authDiag: boolean;
  };
  proxy: { enabled: boolean; url?: string; token?: string };
  liveTrading: boolean;
  databaseUrl?: string;
  server: { host: string; port: number; apiToken?: string };
  telegram: { botToken?: string; chatId?: string };
}

export interface ConfigReport {
  config: AppConfig;
  valid: boolean;
  errors: Finding[];
  warnings: Finding[];
  variables: VariableState[];
  /** Every secret value, for the log redactor. */
  secrets: SecretValue[];
}

export interface LoadOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(opts: LoadOptions = {}): ConfigReport {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const errors: Finding[] = [];
  const warnings: Finding[] = [];

  const files: [Source, Map<string, string>][] = [];
  for (const file of [".env.local", ".env"] as const) {
    const read = readEnvFile(join(cwd, file));
    if (read.kind === "missing") continue;
    if (read.kind === "unreadable") {
      errors.push({
        severity: "error",
        kind: "env_file",
        variable: file,
        problem: `${read.problem}; atp ignored it`,
        fix: `make ${file} a readable text file of KEY=value lines, or remove it`,
      });
      continue;
    }
    const parsed = read.result;
    for (const [line, reason] of parsed.errors) {
      errors.push({
        severity: "error",
        kind: "env_file",
        variable: `${file}:${line}`,
        problem: reason,
        fix: "write the line as KEY=value",
      });
    }
    for (const d of parsed.duplicates) {
      const at = d.lines;
      const last = at[at.length - 1]!;
      warnings.push({
        severity: "warning",
        kind: "duplicate_key",
        variable: `${file}:${at[0]}`,
        problem: `${d.key} is set on lines ${at.slice(0, -1).join(", ")} and ${last}; atp uses line ${last}`,
        fix: `keep one ${d.key} line in ${file} and delete the other${at.length > 2 ? "s" : ""}`,
      });
    }
    files.push([file, parsed.values]);
  }

  // 1. load: raw value and source of each variable
  const raw = new Map<string, { value: string; source: Source }>();
  for (const v of VARIABLES) {
    const fromEnv = env[v.name];
    if (fromEnv !== undefined && fromEnv !== "") {
      raw.set(v.name, { value: fromEnv, source: "env" });
      continue;
    }
    const fromFile = files.find(([, values]) => (values.get(v.name) ?? "") !== "");
    if (fromFile) raw.set(v.name, { value: fromFile[1].get(v.name)!, source: fromFile[0] });
    else if (v.default !== undefined) raw.set(v.name, { value: v.default, source: "default" });
  }

  // 2. clean credentials, 3. validate each variable
  const value = new Map<string, string>();
  for (const v of VARIABLES) {
    const r = raw.get(v.name);
    if (!r) continue;
    let text = r.value;
    if (v.secret) {
      const c = cleanCredential(text);
      if (c.cleaned.length > 0) {
        warnings.push({
          severity: "warning",
          kind: "cleaned",
          variable: v.name,
          problem: `value had ${c.cleaned.join(" and ")} (from ${r.source}); atp removed it`,
          fix: `rewrite ${v.name} in ${r.source === "env" ? "the environment" : r.source} without it`,
        });
      }
      if (c.error) {
        errors.push({
          severity: "error",
          kind: "invalid",
          variable: v.name,
          problem: c.error,
          fix: `copy ${v.name} again from the exchange, as one line without spaces`,
        });
        continue;
      }
      text = c.value;
    } else {
      text = text.trim();
    }
    // a refused value is quoted back: with any URL user info masked
    const problem = v.check ? maskedProblem(v.check(text)) : undefined;
    if (problem) {
      errors.push({ severity: "error", kind: "invalid", variable: v.name, problem, fix: fixFor(v) });
      continue;
    }
    value.set(v.name, text);
  }

  // 4. credentials: the first pair (in order of preference) with either half set is used
  const pairs = CREDENTIAL_PAIR_ORDER.map((name) => ({
    name,
    key: value.get(CREDENTIAL_PAIRS[name].key),
    secret: value.get(CREDENTIAL_PAIRS[name].secret),
  }));
  const isSet = (p: (typeof pairs)[number]) => p.key !== undefined || p.secret !== undefined;
  const used = pairs.find(isSet);
  const credentialPair: CredentialPair | undefined = used?.name;
  const chosen = used ?? { key: undefined, secret: undefined };
  for (const other of pairs.filter((p) => p !== used && isSet(p))) {
    if (other.key === chosen.key && other.secret === chosen.secret) continue;
    warnings.push({
      severity: "warning",
      kind: "pair_conflict",
      variable: CREDENTIAL_PAIRS[other.name].key,
      problem: `both ${credentialPair} and ${other.name} are set and differ; atp uses ${credentialPair}`,
      fix: "remove the pair you do not use",
    });
  }
  if (credentialPair) {
    const { key: keyName, secret: secretName } = CREDENTIAL_PAIRS[credentialPair];
    if (chosen.key === undefined && !errors.some((e) => e.variable === keyName)) {
      errors.push({
        severity: "error",
        kind: "missing_partner",
        variable: keyName,
        problem: `not set while ${secretName} is`,
        fix: `set ${keyName}`,
      });
    }
    if (chosen.secret === undefined && !errors.some((e) => e.variable === secretName)) {
      errors.push({
        severity: "error",
        kind: "missing_partner",
        variable: secretName,
        problem: `not set while ${keyName} is`,
        fix: `set ${secretName}`,
      });
    }
  }

  const proxyEnabled = parseBool(value.get("USE_CRYPTO_PROXY") ?? "false");
  const liveTrading = parseBool(value.get("LIVE_TRADING") ?? "false");
  if (
    proxyEnabled &&
    !value.has("CRYPTO_PROXY_URL") &&
    !errors.some((e) => e.variable === "CRYPTO_PROXY_URL")
  ) {
    errors.push({
      severity: "error",
      kind: "cross_field",
      variable: "CRYPTO_PROXY_URL",
      problem: "USE_CRYPTO_PROXY=true but no proxy URL is set",
      fix: "set CRYPTO_PROXY_URL (e.g. http://10.0.0.5:9000) or USE_CRYPTO_PROXY=false",
    });
  }
  if (proxyEnabled && !value.has("CRYPTO_PROXY_TOKEN")) {
    warnings.push({
      severity: "warning",
      kind: "cross_field",
      variable: "CRYPTO_PROXY_TOKEN",
      problem: "the proxy is enabled without a token",
      fix: "set CRYPTO_PROXY_TOKEN to the proxy's token (a proxy that requires one will refuse every call)",
    });
  }
  const baseUrl = value.get("EXCHANGE_CUSTOM_BASE_URL");
  const plainHost = baseUrl !== undefined ? plainHttpRemoteHost(baseUrl) : undefined;
  if (plainHost !== undefined) {
    warnings.push({
      severity: "warning",
      kind: "insecure_url",
      variable: "EXCHANGE_CUSTOM_BASE_URL",
      problem: `plain http:// to ${plainHost}, which is not this machine: API key, signatures, orders and balances travel unencrypted (the exchange itself serves https:// only)`,
      fix: "use the https:// URL (https://api.crypto.com/exchange/v1); plain http:// is for the emulator on 127.0.0.1",
    });
  }
  const hasCredentials = chosen.key !== undefined && chosen.secret !== undefined;
  if (liveTrading && !hasCredentials && !proxyEnabled) {
    const primary = CREDENTIAL_PAIRS[PRIMARY_PAIR];
    errors.push({
      severity: "error",
      kind: "cross_field",
      variable: "LIVE_TRADING",
      problem: "LIVE_TRADING=true without API credentials",
      fix: `set ${primary.key} and ${primary.secret}, or LIVE_TRADING=false`,
    });
  }

  const config: AppConfig = {
    exchange: {
      ...(chosen.key !== undefined ? { apiKey: chosen.key } : {}),
      ...(chosen.secret !== undefined ? { apiSecret: chosen.secret } : {}),
      ...(credentialPair ? { credentialPair } : {}),
      baseUrl: (value.get("EXCHANGE_CUSTOM_BASE_URL") ?? defaultOf("EXCHANGE_CUSTOM_BASE_URL")).replace(
        /\/+$/,
        "",
      ),
      ...optional("localAddress", value.get("EXCHANGE_LOCAL_ADDRESS")),
      outboundIpUrl: value.get("OUTBOUND_IP_URL") ?? defaultOf("OUTBOUND_IP_URL"),
      authDiag: parseBool(value.get("CRYPTO_AUTH_DIAG") ?? "false"),
    },
    proxy: {
      enabled: proxyEnabled,
      ...optional("url", value.get("CRYPTO_PROXY_URL")?.replace(/\/+$/, "")),
      ...optional("token", value.get("CRYPTO_PROXY_TOKEN")),
    },
    liveTrading,
    ...optional("databaseUrl", value.get("DATABASE_URL")),
    server: {
      host: value.get("HOST") ?? defaultOf("HOST"),
      port: Number(value.get("PORT") ?? defaultOf("PORT")),
      ...optional("apiToken", value.get("ATP_API_TOKEN")),
    },
    telegram: {
      ...optional("botToken", value.get("TELEGRAM_BOT_TOKEN")),
      ...optional("chatId", value.get("TELEGRAM_CHAT_ID")),
    },
  };

  const variables: VariableState[] = VARIABLES.map((v) => {
    const r = raw.get(v.name);
    const shown = value.get(v.name) ?? r?.value;
    return {
      name: v.name,
      set: r !== undefined && r.source !== "default",
      ...(r ? { source: r.source } : {}),
      display:
        r === undefined ? "<not set>" : v.secret ? maskSecret(shown, v.secret) : displayUrl(shown ?? ""),
      secret: v.secret !== undefined,
    };
  });

  const secrets: SecretValue[] = [];
  for (const v of VARIABLES) {
    for (const s of new Set([value.get(v.name), raw.get(v.name)?.value])) {
      if (!s) continue;
      if (v.secret) {
        secrets.push({ value: s, kind: v.secret, label: v.name });
        continue;
      }
      // a password inside a URL setting (DATABASE_URL=postgres://user:password@host/db)
      const p = urlPassword(s);
      if (!p) continue;
      for (const pw of new Set([p.decoded, p.written])) {
        if (!secrets.some((x) => x.value === pw))
          secrets.push({ value: pw, kind: "secret", label: `${v.name} password` });
      }
    }
  }

  return { config, valid: errors.length === 0, errors, warnings, variables, secrets };
}

function maskedProblem(problem: string | undefined): string | undefined {
  return problem === undefined ? undefined : displayUrl(problem);
}

/** The host of a plain http:// URL to another machine (not loopback); undefined otherwise. */
function plainHttpRemoteHost(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "http:") return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const loopback =
    host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\./.test(host);
  return loopback ? undefined : u.host;
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

function defaultOf(name: string): string {
  return VARIABLE_BY_NAME.get(name)!.default!;
}

function fixFor(v: Variable): string {
  const eg = v.default ?? v.example;
  return eg ? `set ${v.name} like ${eg}` : `correct ${v.name}`;
}

/** Formats findings as lines: `ERROR VAR: problem → fix`. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.severity === "error" ? "ERROR  " : "WARNING"} ${f.variable}: ${f.problem}\n        fix: ${f.fix}`,
    )
    .join("\n");
}

/**
 * For commands that need a valid configuration: the text that lists every problem at once (the
 * caller prints it and exits 2), or undefined when the configuration is valid.
 */
export function invalidConfigText(report: ConfigReport): string | undefined {
  if (report.valid) return undefined;
  return (
    `the configuration is invalid (${report.errors.length} problem(s)):\n${formatFindings(report.errors)}\n` +
    "Run `atp check-config` for the full picture.\n"
  );
}
