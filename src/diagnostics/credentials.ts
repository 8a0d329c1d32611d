/**
 * Offline assessment of the configured credentials, from the ConfigReport (never from raw env):
 * which pair is used, what is missing, what the loader cleaned (warnings) or refused (errors), and
 * whether the values are plausible. Values are never returned in text, only variable names,
 * lengths and fingerprints.
 *
 * Plausibility (heuristic, so it only ever makes a cause "likely", never "confirmed"): Crypto.com
 * keys and secrets are single tokens of printable ASCII (letters, digits, `_ - + / = . : ~`), 8 to
 * 256 characters. A value outside that, a value equal to the `.env.example` placeholder, or a key
 * equal to its secret is flagged.
 */
import type { ConfigReport, CredentialPair, Finding } from "../config/load.js";
import {
  CREDENTIAL_PAIRS,
  CREDENTIAL_VARIABLES,
  PRIMARY_PAIR,
  VARIABLE_BY_NAME,
} from "../config/variables.js";
import { last4, maskSecret, showsLast4 } from "../util/secrets.js";

export interface CredentialIssue {
  variable: string;
  problem: string;
}

export interface CredentialAssessment {
  pair: CredentialPair | undefined;
  keyVar: string;
  secretVar: string;
  key: string | undefined;
  secret: string | undefined;
  /** Variables not set (or set to the .env.example placeholder). */
  missing: CredentialIssue[];
  /** Loader errors on the credential variables (characters atp cannot clean). */
  malformed: CredentialIssue[];
  /** Loader warnings: values atp cleaned (trailing CR, quotes...). */
  cleaned: CredentialIssue[];
  /** Heuristic: implausible length or character set, key equal to secret. */
  implausible: CredentialIssue[];
  /** Key and secret both present and not refused. */
  usable: boolean;
}

const PLAUSIBLE_CHARS = /^[A-Za-z0-9_\-+/=.:~]+$/;
const PLACEHOLDER_RE = /^(your[_-].*|changeme|change[_-]me|xxx+|<.*>|\.\.\.|todo|none|null|undefined)$/i;

function placeholders(): Set<string> {
  const out = new Set<string>();
  for (const name of CREDENTIAL_VARIABLES) {
    const ex = VARIABLE_BY_NAME.get(name)?.example;
    if (ex) out.add(ex);
  }
  return out;
}

export function isPlaceholder(value: string): boolean {
  return placeholders().has(value) || PLACEHOLDER_RE.test(value);
}

/** Why a value is implausible as a Crypto.com key/secret, or undefined when it looks fine. */
export function implausibility(value: string): string | undefined {
  if (value.length < 8) return `only ${value.length} characters long (expected 8 to 256)`;
  if (value.length > 256) return `${value.length} characters long (expected 8 to 256)`;
  if (!PLAUSIBLE_CHARS.test(value)) {
    const odd = [...value].find((ch) => !PLAUSIBLE_CHARS.test(ch)) ?? "";
    const cp = odd.codePointAt(0) ?? 0;
    return `contains an unexpected character (U+${cp.toString(16).toUpperCase().padStart(4, "0")}); keys are plain ASCII letters and digits`;
  }
  return undefined;
}

/** A config finding about a credential variable (the doctor reports these itself). */
export function isCredentialFinding(f: Finding): boolean {
  return CREDENTIAL_VARIABLES.has(f.variable);
}

/** The config findings that assessCredentials turns into credential issues (the rest are shown as they are). */
export function isAssessedFinding(f: Finding): boolean {
  return isCredentialFinding(f) && (f.severity === "error" || f.kind === "cleaned");
}

export function assessCredentials(report: ConfigReport): CredentialAssessment {
  const ex = report.config.exchange;
  const pair = ex.credentialPair;
  const { key: keyVar, secret: secretVar } = CREDENTIAL_PAIRS[pair ?? PRIMARY_PAIR];
  const missing: CredentialIssue[] = [];
  const malformed: CredentialIssue[] = [];
  const implausible: CredentialIssue[] = [];
  for (const e of report.errors.filter(isCredentialFinding)) {
    if (e.kind === "missing_partner") continue; // reported as missing below
    malformed.push({ variable: e.variable, problem: e.problem });
  }
  const cleaned = report.warnings
    .filter((w) => isCredentialFinding(w) && w.kind === "cleaned")
    .map((w) => ({ variable: w.variable, problem: w.problem }));

  let key = ex.apiKey;
  let secret = ex.apiSecret;
  const refused = (v: string) => malformed.some((m) => m.variable === v);
  for (const [name, value] of [
    [keyVar, key],
    [secretVar, secret],
  ] as const) {
    if (value === undefined) {
      if (!refused(name)) missing.push({ variable: name, problem: "not set" });
    } else if (isPlaceholder(value)) {
      missing.push({ variable: name, problem: "still the placeholder value from .env.example" });
    } else {
      const why = implausibility(value);
      if (why) implausible.push({ variable: name, problem: why });
    }
  }
  if (key !== undefined && isPlaceholder(key)) key = undefined;
  if (secret !== undefined && isPlaceholder(secret)) secret = undefined;
  if (key !== undefined && secret !== undefined && key === secret) {
    malformed.push({
      variable: secretVar,
      problem: `has the same value as ${keyVar} (the key was pasted twice)`,
    });
  }
  return {
    pair,
    keyVar,
    secretVar,
    key,
    secret,
    missing,
    malformed,
    cleaned,
    implausible,
    usable: key !== undefined && secret !== undefined && malformed.length === 0,
  };
}

/**
 * `EXCHANGE_CUSTOM_API_KEY len=22 last4=ab12 fp=1a2b3c4d` (never the value). `holdsSecret`: the
 * doctor found key and secret swapped, so the key variable holds the secret: no last 4 then.
 */
export function describeKey(a: CredentialAssessment, holdsSecret = false): string {
  return `${a.keyVar} ${maskSecret(a.key, holdsSecret ? "secret" : "key")}`;
}

/**
 * "the key ending in …ab12". When key and secret are swapped the real key is the value of the secret
 * variable: it is named by variable only (nothing of a value configured as the secret is shown).
 */
export function keyPlace(a: CredentialAssessment, swapped = false): string {
  if (swapped) return `the API key (the value now in ${a.secretVar})`;
  return a.key && showsLast4(a.key) ? `the key ending in ${last4(a.key)}` : "your API key";
}

export function describeSecret(a: CredentialAssessment): string {
  return `${a.secretVar} ${maskSecret(a.secret, "secret")}`;
}
