/**
 * The configuration pipeline, as named steps, each in its own file and tested on its own:
 *
 *   1. load       (sources.ts)     process env, then .env.local, then .env, then defaults
 *   2. clean      (clean.ts)       credentials cleaned (whitespace, CR, quotes), other values trimmed
 *   3. validate   (validate.ts)    every value against the variable table (variables.ts)
 *   4. credentials (credentials.ts) which credential pair is used
 *   5. cross-field (cross-field.ts) rules across variables (proxy, plain http, live trading)
 *   6. build      (build.ts)       the typed AppConfig, the safe variable listing, the secrets
 *
 * It never throws: problems are findings, so `check-config` and `doctor` can report a broken
 * configuration; other commands print `invalidConfigText` (every problem at once) and exit 2.
 * Findings keep one order whatever step found them: env files first, then per variable in table
 * order, then credentials, then cross-field rules.
 */
import { buildConfig, collectSecrets, describeVariables } from "./build.js";
import { cleanValues } from "./clean.js";
import { resolveCredentials } from "./credentials.js";
import { crossFieldChecks } from "./cross-field.js";
import { loadSources } from "./sources.js";
import type { ConfigReport, Finding, RawValues, Values } from "./types.js";
import { validateValues } from "./validate.js";
import { VARIABLES } from "./variables.js";

export type {
  AppConfig,
  ConfigReport,
  Finding,
  FindingKind,
  Source,
  VariableState,
} from "./types.js";
export type { CredentialPair } from "./variables.js";

export interface LoadOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(opts: LoadOptions = {}): ConfigReport {
  const loaded = loadSources(opts.cwd ?? process.cwd(), opts.env ?? process.env);
  const cleaned = cleanValues(loaded.raw);
  const validated = validateValues(cleaned.values);
  const refused = refusedVariables(loaded.raw, validated.values);
  const credentials = resolveCredentials(validated.values, refused);
  const crossField = crossFieldChecks(validated.values, credentials.credentials, refused);
  const findings = [
    ...loaded.findings,
    ...inTableOrder([...cleaned.findings, ...validated.findings]),
    ...credentials.findings,
    ...crossField,
  ];
  const errors = findings.filter((f) => f.severity === "error");
  return {
    config: buildConfig(validated.values, credentials.credentials),
    valid: errors.length === 0,
    errors,
    warnings: findings.filter((f) => f.severity === "warning"),
    variables: describeVariables(loaded.raw, validated.values),
    secrets: collectSecrets(loaded.raw, validated.values),
  };
}

/** Variables that were set but refused by the clean or validate step. */
function refusedVariables(raw: RawValues, values: Values): Set<string> {
  return new Set([...raw.keys()].filter((name) => !values.has(name)));
}

const TABLE_INDEX = new Map(VARIABLES.map((v, i) => [v.name, i]));

/** Per-variable findings sorted by the variable table (stable: a variable's own findings keep their order). */
function inTableOrder(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => (TABLE_INDEX.get(a.variable) ?? 0) - (TABLE_INDEX.get(b.variable) ?? 0),
  );
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
