/**
 * Every environment variable atp reads, in one table: name, meaning, default, whether it is a secret,
 * and how to parse it. `.env.example` and docs/configuration.md are generated from this table
 * (`npm run docs`), and a test keeps them current.
 */
import { isIP } from "node:net";
import type { SecretKind } from "../util/secrets.js";

export type Group = "exchange" | "proxy" | "trading" | "server" | "storage" | "telegram";

export interface Variable {
  name: string;
  group: Group;
  description: string;
  /** Default as written in .env (undefined: unset by default). */
  default?: string;
  /** Example value for .env.example when there is no default. */
  example?: string;
  secret?: SecretKind;
  /** Validates a (cleaned) raw value; returns an error text with the fix, or undefined when valid. */
  check?: (value: string) => string | undefined;
}

const BOOL_RE = /^(true|false|1|0|yes|no|on|off)$/i;

export function parseBool(value: string): boolean {
  return /^(true|1|yes|on)$/i.test(value);
}

const checkBool = (v: string) => (BOOL_RE.test(v) ? undefined : `"${v}" is not a boolean; use true or false`);

/** Why `v` is not a usable http(s) URL (with the fix), or undefined when it is one. */
export const urlProblem = (v: string): string | undefined => {
  try {
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") return `must be an http(s) URL, got ${u.protocol}`;
    return undefined;
  } catch {
    return `"${v}" is not a URL; write it in full, e.g. https://api.crypto.com/exchange/v1`;
  }
};

const checkIp = (v: string) =>
  isIP(v) ? undefined : `"${v}" is not an IP address; use one of this host's addresses (see \`ip -br addr\`)`;

const checkPort = (v: string) => {
  const n = Number(v);
  return /^\d+$/.test(v) && n >= 1 && n <= 65535
    ? undefined
    : `"${v}" is not a TCP port; use a number from 1 to 65535`;
};

const checkDatabaseUrl = (v: string) =>
  /^postgres(ql)?:\/\//i.test(v)
    ? undefined
    : "must start with postgres:// or postgresql:// (PostgreSQL); leave it unset for the built-in SQLite file in ATP_DATA_DIR";

const checkDir = (v: string) =>
  v.trim() === "" || v.includes("\0") ? "must be a directory path, e.g. ./data or /var/lib/atp" : undefined;

/** One or more numeric chat ids, comma-separated (spaces around the commas allowed). */
const checkChatId = (v: string) => {
  const bad = v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => !/^-?\d+$/.test(s));
  return bad.length === 0
    ? undefined
    : `"${bad[0]}" is not a Telegram chat id; use the numeric id (several: separate them with commas)`;
};

const checkMethodList = (v: string) =>
  v
    .split(",")
    .map((m) => m.trim())
    .every((m) => m === "" || /^private\/[a-z0-9_/-]+$/.test(m))
    ? undefined
    : `"${v}" is not a comma-separated list of private methods, e.g. private/get-deposit-address`;

export const VARIABLES: readonly Variable[] = [
  {
    name: "EXCHANGE_CUSTOM_API_KEY",
    group: "exchange",
    description: "Crypto.com Exchange API key (Settings → API Keys). Needs Read; Trade for orders.",
    example: "your_api_key",
    secret: "key",
  },
  {
    name: "EXCHANGE_CUSTOM_API_SECRET",
    group: "exchange",
    description: "Secret of that API key (shown once when the key is created).",
    example: "your_api_secret",
    secret: "secret",
  },
  {
    name: "CRYPTO_COM_API_KEY",
    group: "exchange",
    description: "Alias of EXCHANGE_CUSTOM_API_KEY, used only when that one is not set.",
    secret: "key",
  },
  {
    name: "CRYPTO_COM_API_SECRET",
    group: "exchange",
    description: "Alias of EXCHANGE_CUSTOM_API_SECRET, used only with CRYPTO_COM_API_KEY.",
    secret: "secret",
  },
  {
    name: "EXCHANGE_CUSTOM_BASE_URL",
    group: "exchange",
    description:
      "REST base URL. Production https://api.crypto.com/exchange/v1; UAT sandbox https://uat-api.3ona.co/exchange/v1 (separate keys); the emulator http://127.0.0.1:8100/exchange/v1.",
    default: "https://api.crypto.com/exchange/v1",
    check: urlProblem,
  },
  {
    name: "EXCHANGE_LOCAL_ADDRESS",
    group: "exchange",
    description:
      "Bind outbound exchange connections to this local IP (hosts with several egress addresses; the whitelisted one).",
    example: "203.0.113.10",
    check: checkIp,
  },
  {
    name: "OUTBOUND_IP_URL",
    group: "exchange",
    description:
      "An IP echo service used to learn the outbound IP the exchange sees (logged as CRYPTO_COM_OUTBOUND_IP).",
    default: "https://api.ipify.org",
    check: urlProblem,
  },
  {
    name: "CRYPTO_AUTH_DIAG",
    group: "exchange",
    description:
      "Log each signed request safely (method, id, nonce, lengths, key fingerprint, local clock) with the CRYPTO_AUTH_DIAG tag.",
    default: "false",
    check: checkBool,
  },
  {
    name: "USE_CRYPTO_PROXY",
    group: "proxy",
    description: "Route private calls through the signing proxy on a whitelisted host.",
    default: "false",
    check: checkBool,
  },
  {
    name: "CRYPTO_PROXY_URL",
    group: "proxy",
    description: "Base URL of the signing proxy (required when USE_CRYPTO_PROXY=true).",
    example: "http://10.0.0.5:9000",
    check: urlProblem,
  },
  {
    name: "CRYPTO_PROXY_TOKEN",
    group: "proxy",
    description: "Shared token sent to the proxy in the X-Proxy-Token header.",
    example: "a_long_random_token",
    secret: "secret",
  },
  {
    name: "CRYPTO_PROXY_ALLOW_METHODS",
    group: "proxy",
    description:
      "`atp proxy` only: withdraw-permission methods it may sign besides the ones atp trades with (comma-separated, e.g. private/get-deposit-address). Empty: it never signs a wallet or withdrawal method.",
    check: checkMethodList,
  },
  {
    name: "CRYPTO_PROXY_ENVELOPE",
    group: "proxy",
    description:
      "`atp proxy` only: answer a request that names no protocol in the original platform's envelope (HTTP 200 `{status, body, rid}`), for the original backend. Default false: the exchange's HTTP status and body unchanged (passthrough). atp's client always asks for passthrough; a request may ask for `X-Proxy-Protocol: envelope`.",
    default: "false",
    check: checkBool,
  },
  {
    name: "CRYPTO_PROXY_TLS_CERT",
    group: "proxy",
    description:
      "`atp proxy` only: PEM certificate file; with CRYPTO_PROXY_TLS_KEY the proxy serves HTTPS (else plain HTTP: keep it on loopback or a private network, or behind a tunnel).",
    example: "/etc/atp/proxy.crt",
    check: checkDir,
  },
  {
    name: "CRYPTO_PROXY_TLS_KEY",
    group: "proxy",
    description: "`atp proxy` only: PEM private key file of CRYPTO_PROXY_TLS_CERT.",
    example: "/etc/atp/proxy.key",
    check: checkDir,
  },
  {
    name: "LIVE_TRADING",
    group: "trading",
    description: "Send real orders. Off by default; refused without credentials.",
    default: "false",
    check: checkBool,
  },
  {
    name: "ATP_REFUSE_WITHDRAW_KEYS",
    group: "trading",
    description:
      "Refuse to trade with an API key that can withdraw (checked at every start with a harmless private/get-deposit-address, or the proxy's /health): no live order is sent, new intents run in dry run (also until the check answers); the reason is logged and shown in GET /api/trading and on the dashboard. A trading bot never needs withdrawals.",
    default: "false",
    check: checkBool,
  },
  {
    name: "DATABASE_URL",
    group: "storage",
    description:
      "PostgreSQL URL (postgres://user:password@host/db); unset means the built-in SQLite file. A password in the URL is masked in every output and redacted from logs.",
    example: "postgres://atp@127.0.0.1:5432/atp",
    check: checkDatabaseUrl,
  },
  {
    name: "ATP_DATA_DIR",
    group: "storage",
    description:
      "Directory for atp's own files: the SQLite store (atp.db) when DATABASE_URL is unset, its lock, and the generated API token. Created with mode 0700.",
    default: "./data",
    check: checkDir,
  },
  {
    name: "HOST",
    group: "server",
    description: "Address the HTTP API and dashboard listen on.",
    default: "127.0.0.1",
  },
  {
    name: "PORT",
    group: "server",
    description: "Port of the HTTP API and dashboard.",
    default: "8000",
    check: checkPort,
  },
  {
    name: "ATP_API_TOKEN",
    group: "server",
    description: "Bearer token required by the HTTP API for anything that changes state.",
    example: "a_long_random_token",
    secret: "secret",
  },
  {
    name: "ATP_WEBHOOK_SECRET",
    group: "server",
    description:
      "Secret of the TradingView webhook named `default` (POST /api/signals/webhook/default, the secret in the alert's JSON body). Unset: only webhooks created in Settings exist. At least 16 characters.",
    example: "a_long_random_webhook_secret",
    secret: "secret",
    check: (v) =>
      v.length >= 16
        ? undefined
        : `is ${v.length} characters long; use at least 16 (e.g. \`openssl rand -hex 16\`)`,
  },
  {
    name: "TELEGRAM_BOT_TOKEN",
    group: "telegram",
    description: "Telegram bot token for alerts and commands.",
    example: "123456:ABC-your-bot-token",
    secret: "secret",
  },
  {
    name: "TELEGRAM_CHAT_ID",
    group: "telegram",
    description:
      "The authorised chat ids, comma-separated: only their commands are obeyed, and alerts go to each. Unset: commands are disabled.",
    example: "-1001234567890",
    check: checkChatId,
  },
  {
    name: "TELEGRAM_API_ROOT",
    group: "telegram",
    description: "Bot API server root (a self-hosted Bot API server; tests point it at a fake one).",
    default: "https://api.telegram.org",
    check: urlProblem,
  },
];

/**
 * The credential pairs atp accepts, in order of preference: the first pair with either variable set
 * is used (the seed's EXCHANGE_CUSTOM_API_*; CRYPTO_COM_API_* is the alias pair). Every place that
 * names a credential variable reads it from here.
 */
export const CREDENTIAL_PAIRS = {
  "EXCHANGE_CUSTOM_API_*": { key: "EXCHANGE_CUSTOM_API_KEY", secret: "EXCHANGE_CUSTOM_API_SECRET" },
  "CRYPTO_COM_API_*": { key: "CRYPTO_COM_API_KEY", secret: "CRYPTO_COM_API_SECRET" },
} as const;

export type CredentialPair = keyof typeof CREDENTIAL_PAIRS;

/** Pair names in order of preference. */
export const CREDENTIAL_PAIR_ORDER = Object.keys(CREDENTIAL_PAIRS) as CredentialPair[];

/** The preferred pair (named in messages when nothing is configured). */
export const PRIMARY_PAIR: CredentialPair = "EXCHANGE_CUSTOM_API_*";

/** Every credential variable name (key and secret of every pair). */
export const CREDENTIAL_VARIABLES: ReadonlySet<string> = new Set(
  Object.values(CREDENTIAL_PAIRS).flatMap((p) => [p.key, p.secret]),
);

export const VARIABLE_BY_NAME: ReadonlyMap<string, Variable> = new Map(VARIABLES.map((v) => [v.name, v]));
