/** The configuration pipeline's types: findings, the typed AppConfig and the report around it. */
import type { SecretValue } from "../log/redact.js";
import type { CredentialPair } from "./variables.js";

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
  /** The client's side of the signing proxy (USE_CRYPTO_PROXY, CRYPTO_PROXY_URL, CRYPTO_PROXY_TOKEN). */
  proxy: { enabled: boolean; url?: string; token?: string };
  /**
   * `atp proxy` only: the withdraw-permission methods it signs besides atp's own
   * (CRYPTO_PROXY_ALLOW_METHODS, trimmed, empty entries dropped) and its TLS files
   * (CRYPTO_PROXY_TLS_CERT / CRYPTO_PROXY_TLS_KEY; `atp proxy` refuses half a pair).
   */
  proxyServer: {
    allowMethods: string[];
    envelopeDefault: boolean;
    tlsCertFile?: string;
    tlsKeyFile?: string;
  };
  liveTrading: boolean;
  /** ATP_REFUSE_WITHDRAW_KEYS: never send a live order with a key that can withdraw. */
  refuseWithdrawKeys: boolean;
  databaseUrl?: string;
  /** ATP_DATA_DIR, as given (relative paths resolve against the working directory). */
  dataDir: string;
  server: { host: string; port: number; apiToken?: string; webhookSecret?: string };
  telegram: { botToken?: string; chatId?: string; apiRoot: string };
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

/** Step 1's result: each variable's raw value and where it came from (variables not set anywhere are absent). */
export type RawValues = ReadonlyMap<string, { value: string; source: Source }>;

/** Steps 2 and 3: each variable's usable text (variables refused, or not set, are absent). */
export type Values = ReadonlyMap<string, string>;

/** Step 4's result: the credential pair in use (both halves absent when none is set). */
export interface Credentials {
  key?: string;
  secret?: string;
  pair?: CredentialPair;
}
