/**
 * Configuration step 6, build: the typed `AppConfig` from the validated values and the resolved
 * credentials (defaults from the table for what is unset or refused, trailing slashes off URLs),
 * and the two report parts every caller needs besides it: the safe listing of every variable and
 * every secret value for the log redactor.
 */
import type { SecretValue } from "../log/redact.js";
import { maskSecret } from "../util/secrets.js";
import { displayUrl, urlPassword } from "../util/url.js";
import type { AppConfig, Credentials, RawValues, Values, VariableState } from "./types.js";
import { parseBool, VARIABLE_BY_NAME, VARIABLES } from "./variables.js";

export function buildConfig(values: Values, credentials: Credentials): AppConfig {
  return {
    exchange: {
      ...(credentials.key !== undefined ? { apiKey: credentials.key } : {}),
      ...(credentials.secret !== undefined ? { apiSecret: credentials.secret } : {}),
      ...(credentials.pair ? { credentialPair: credentials.pair } : {}),
      baseUrl: (values.get("EXCHANGE_CUSTOM_BASE_URL") ?? defaultOf("EXCHANGE_CUSTOM_BASE_URL")).replace(
        /\/+$/,
        "",
      ),
      ...optional("localAddress", values.get("EXCHANGE_LOCAL_ADDRESS")),
      outboundIpUrl: values.get("OUTBOUND_IP_URL") ?? defaultOf("OUTBOUND_IP_URL"),
      authDiag: parseBool(values.get("CRYPTO_AUTH_DIAG") ?? "false"),
    },
    proxy: {
      enabled: parseBool(values.get("USE_CRYPTO_PROXY") ?? "false"),
      ...optional("url", values.get("CRYPTO_PROXY_URL")?.replace(/\/+$/, "")),
      ...optional("token", values.get("CRYPTO_PROXY_TOKEN")),
    },
    proxyServer: {
      allowMethods: methodList(values.get("CRYPTO_PROXY_ALLOW_METHODS")),
      envelopeDefault: parseBool(values.get("CRYPTO_PROXY_ENVELOPE") ?? "false"),
      ...optional("tlsCertFile", values.get("CRYPTO_PROXY_TLS_CERT")),
      ...optional("tlsKeyFile", values.get("CRYPTO_PROXY_TLS_KEY")),
    },
    liveTrading: parseBool(values.get("LIVE_TRADING") ?? "false"),
    refuseWithdrawKeys: parseBool(values.get("ATP_REFUSE_WITHDRAW_KEYS") ?? "false"),
    ...optional("databaseUrl", values.get("DATABASE_URL")),
    dataDir: values.get("ATP_DATA_DIR") ?? defaultOf("ATP_DATA_DIR"),
    server: {
      host: values.get("HOST") ?? defaultOf("HOST"),
      port: Number(values.get("PORT") ?? defaultOf("PORT")),
      ...optional("apiToken", values.get("ATP_API_TOKEN")),
      ...optional("webhookSecret", values.get("ATP_WEBHOOK_SECRET")),
    },
    telegram: {
      ...optional("botToken", values.get("TELEGRAM_BOT_TOKEN")),
      ...optional("chatId", values.get("TELEGRAM_CHAT_ID")),
      apiRoot: (values.get("TELEGRAM_API_ROOT") ?? defaultOf("TELEGRAM_API_ROOT")).replace(/\/+$/, ""),
    },
  };
}

/** Every variable as `check-config` lists it: set or not, from where, secrets masked, URL user info masked. */
export function describeVariables(raw: RawValues, values: Values): VariableState[] {
  return VARIABLES.map((v) => {
    const r = raw.get(v.name);
    const shown = values.get(v.name) ?? r?.value;
    return {
      name: v.name,
      set: r !== undefined && r.source !== "default",
      ...(r ? { source: r.source } : {}),
      display:
        r === undefined ? "<not set>" : v.secret ? maskSecret(shown, v.secret) : displayUrl(shown ?? ""),
      secret: v.secret !== undefined,
    };
  });
}

/**
 * Every secret value for the log redactor: each secret variable as read and as cleaned, and the
 * password inside a URL setting (DATABASE_URL=postgres://user:password@host/db), written and decoded.
 */
export function collectSecrets(raw: RawValues, values: Values): SecretValue[] {
  const secrets: SecretValue[] = [];
  for (const v of VARIABLES) {
    for (const s of new Set([values.get(v.name), raw.get(v.name)?.value])) {
      if (!s) continue;
      if (v.secret) {
        secrets.push({ value: s, kind: v.secret, label: v.name });
        continue;
      }
      const p = urlPassword(s);
      if (!p) continue;
      for (const pw of new Set([p.decoded, p.written])) {
        if (!secrets.some((x) => x.value === pw))
          secrets.push({ value: pw, kind: "secret", label: `${v.name} password` });
      }
    }
  }
  return secrets;
}

/** A comma-separated list ("a, b,") as its entries: trimmed, empty ones dropped. */
function methodList(v: string | undefined): string[] {
  return (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

function defaultOf(name: string): string {
  return VARIABLE_BY_NAME.get(name)!.default!;
}
