/**
 * The configuration pipeline's named steps, one at a time (load → clean → validate → resolve
 * credentials → cross-field checks → build), and the order loadConfig reports their findings in.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildConfig, collectSecrets, describeVariables } from "../../src/config/build.js";
import { cleanValues } from "../../src/config/clean.js";
import { resolveCredentials } from "../../src/config/credentials.js";
import { crossFieldChecks } from "../../src/config/cross-field.js";
import { loadConfig } from "../../src/config/load.js";
import { loadSources } from "../../src/config/sources.js";
import type { RawValues, Source } from "../../src/config/types.js";
import { validateValues } from "../../src/config/validate.js";

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), "atp-steps-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function raw(values: Record<string, string>, source: Source = "env"): RawValues {
  return new Map(Object.entries(values).map(([k, value]) => [k, { value, source }]));
}

const values = (o: Record<string, string>) => new Map(Object.entries(o));

describe("1. load (sources.ts)", () => {
  it("takes env over .env.local over .env over the default, and an empty env value falls through", () => {
    const cwd = dir({ ".env": "PORT=9001\nHOST=0.0.0.0\n", ".env.local": "PORT=9002\n" });
    const { raw: r, findings } = loadSources(cwd, { HOST: "", LIVE_TRADING: "true" });
    expect(findings).toEqual([]);
    expect(r.get("PORT")).toEqual({ value: "9002", source: ".env.local" });
    expect(r.get("HOST")).toEqual({ value: "0.0.0.0", source: ".env" });
    expect(r.get("LIVE_TRADING")).toEqual({ value: "true", source: "env" });
    expect(r.get("OUTBOUND_IP_URL")?.source).toBe("default");
    expect(r.has("DATABASE_URL")).toBe(false);
  });

  it("reports an unreadable file and bad lines as findings, and a key set twice as a warning", () => {
    const cwd = dir({ ".env": "PORT=1\nnot a line\nPORT=2\n" });
    mkdirSync(join(cwd, ".env.local"));
    const { raw: r, findings } = loadSources(cwd, {});
    expect(findings.map((f) => `${f.severity} ${f.kind} ${f.variable}`)).toEqual([
      "error env_file .env.local",
      "error env_file .env:2",
      "warning duplicate_key .env:1",
    ]);
    expect(r.get("PORT")).toEqual({ value: "2", source: ".env" });
  });
});

describe("2. clean (clean.ts)", () => {
  it("cleans a credential with a warning, refuses one it cannot clean, trims other values silently", () => {
    const r = cleanValues(
      raw({
        EXCHANGE_CUSTOM_API_KEY: "abcd1234\r",
        EXCHANGE_CUSTOM_API_SECRET: "has space inside",
        HOST: " 127.0.0.1 ",
      }),
    );
    expect(r.values.get("EXCHANGE_CUSTOM_API_KEY")).toBe("abcd1234");
    expect(r.values.has("EXCHANGE_CUSTOM_API_SECRET")).toBe(false);
    expect(r.values.get("HOST")).toBe("127.0.0.1");
    expect(r.findings.map((f) => `${f.severity} ${f.kind} ${f.variable}`)).toEqual([
      "warning cleaned EXCHANGE_CUSTOM_API_KEY",
      "error invalid EXCHANGE_CUSTOM_API_SECRET",
    ]);
    expect(JSON.stringify(r.findings)).not.toContain("has space inside");
  });
});

describe("3. validate (validate.ts)", () => {
  it("refuses a value its variable's check rejects, with the fix; URL user info is masked in the problem", () => {
    const r = validateValues(
      values({ PORT: "99999", HOST: "127.0.0.1", EXCHANGE_CUSTOM_BASE_URL: "ftp://u:Pw-123456@h/x" }),
    );
    expect(r.values.get("HOST")).toBe("127.0.0.1");
    expect(r.values.has("PORT")).toBe(false);
    expect(r.findings.map((f) => `${f.kind} ${f.variable}`)).toEqual([
      "invalid EXCHANGE_CUSTOM_BASE_URL",
      "invalid PORT",
    ]);
    expect(r.findings.find((f) => f.variable === "PORT")?.fix).toMatch(/^set PORT like /);
    expect(JSON.stringify(r.findings)).not.toContain("Pw-123456");
  });
});

describe("4. resolve credentials (credentials.ts)", () => {
  it("uses the preferred pair and warns when the other pair differs", () => {
    const r = resolveCredentials(
      values({
        EXCHANGE_CUSTOM_API_KEY: "k1",
        EXCHANGE_CUSTOM_API_SECRET: "s1",
        CRYPTO_COM_API_KEY: "k2",
        CRYPTO_COM_API_SECRET: "s2",
      }),
      new Set(),
    );
    expect(r.credentials).toEqual({ key: "k1", secret: "s1", pair: "EXCHANGE_CUSTOM_API_*" });
    expect(r.findings.map((f) => `${f.kind} ${f.variable}`)).toEqual(["pair_conflict CRYPTO_COM_API_KEY"]);
  });

  it("falls back to the alias pair; half a pair names the missing half unless it was refused", () => {
    expect(resolveCredentials(values({ CRYPTO_COM_API_KEY: "k" }), new Set()).findings).toMatchObject([
      { kind: "missing_partner", variable: "CRYPTO_COM_API_SECRET" },
    ]);
    expect(
      resolveCredentials(values({ CRYPTO_COM_API_KEY: "k" }), new Set(["CRYPTO_COM_API_SECRET"])).findings,
    ).toEqual([]);
    expect(resolveCredentials(values({}), new Set())).toEqual({ credentials: {}, findings: [] });
  });
});

describe("5. cross-field checks (cross-field.ts)", () => {
  it("a proxy needs its URL (unless the URL was refused) and should have a token", () => {
    const on = values({ USE_CRYPTO_PROXY: "true" });
    expect(crossFieldChecks(on, {}, new Set()).map((f) => `${f.severity} ${f.variable}`)).toEqual([
      "error CRYPTO_PROXY_URL",
      "warning CRYPTO_PROXY_TOKEN",
    ]);
    expect(crossFieldChecks(on, {}, new Set(["CRYPTO_PROXY_URL"])).map((f) => f.variable)).toEqual([
      "CRYPTO_PROXY_TOKEN",
    ]);
  });

  it("plain http:// to another machine is a warning; to this machine it is fine", () => {
    const remote = values({ EXCHANGE_CUSTOM_BASE_URL: "http://10.0.0.9/exchange/v1" });
    expect(crossFieldChecks(remote, {}, new Set())).toMatchObject([{ kind: "insecure_url" }]);
    const local = values({ EXCHANGE_CUSTOM_BASE_URL: "http://127.0.0.1:8100/exchange/v1" });
    expect(crossFieldChecks(local, {}, new Set())).toEqual([]);
  });

  it("live trading needs credentials, unless the signing proxy holds them", () => {
    const live = values({ LIVE_TRADING: "true" });
    expect(crossFieldChecks(live, {}, new Set())).toMatchObject([
      { severity: "error", variable: "LIVE_TRADING" },
    ]);
    expect(crossFieldChecks(live, { key: "k", secret: "s" }, new Set())).toEqual([]);
    const viaProxy = values({ LIVE_TRADING: "true", USE_CRYPTO_PROXY: "true", CRYPTO_PROXY_URL: "http://p" });
    expect(crossFieldChecks(viaProxy, {}, new Set()).map((f) => f.variable)).toEqual(["CRYPTO_PROXY_TOKEN"]);
  });
});

describe("6. build (build.ts)", () => {
  it("builds the typed config: defaults for what is unset, URLs without trailing slashes", () => {
    const c = buildConfig(
      values({
        EXCHANGE_CUSTOM_BASE_URL: "http://127.0.0.1:8100/exchange/v1/",
        PORT: "9000",
        USE_CRYPTO_PROXY: "yes",
        CRYPTO_PROXY_URL: "http://p:9/",
      }),
      { key: "k", secret: "s", pair: "CRYPTO_COM_API_*" },
    );
    expect(c.exchange).toMatchObject({
      apiKey: "k",
      apiSecret: "s",
      credentialPair: "CRYPTO_COM_API_*",
      baseUrl: "http://127.0.0.1:8100/exchange/v1",
      authDiag: false,
    });
    expect(c.proxy).toEqual({ enabled: true, url: "http://p:9" });
    expect(c.server).toMatchObject({ port: 9000, host: expect.any(String) });
    expect(c.liveTrading).toBe(false);
    expect(c.refuseWithdrawKeys).toBe(false);
    expect(c.proxyServer).toEqual({ allowMethods: [], envelopeDefault: false });
  });

  it("carries the signing proxy's own settings and ATP_REFUSE_WITHDRAW_KEYS in the typed config", () => {
    const c = buildConfig(
      values({
        CRYPTO_PROXY_ALLOW_METHODS: " private/get-deposit-address, ,private/create-withdrawal ",
        CRYPTO_PROXY_TLS_CERT: "/etc/atp/proxy.crt",
        CRYPTO_PROXY_TLS_KEY: "/etc/atp/proxy.key",
        CRYPTO_PROXY_ENVELOPE: "true",
        ATP_REFUSE_WITHDRAW_KEYS: "true",
      }),
      {},
    );
    expect(c.proxyServer).toEqual({
      allowMethods: ["private/get-deposit-address", "private/create-withdrawal"],
      envelopeDefault: true,
      tlsCertFile: "/etc/atp/proxy.crt",
      tlsKeyFile: "/etc/atp/proxy.key",
    });
    expect(c.refuseWithdrawKeys).toBe(true);
  });

  it("lists every variable safely and hands every secret (as read and as cleaned) to the redactor", () => {
    const r = raw({
      EXCHANGE_CUSTOM_API_SECRET: "secret-value-1\r",
      DATABASE_URL: "postgres://u:db-pw-1@h/db",
    });
    const v = values({
      EXCHANGE_CUSTOM_API_SECRET: "secret-value-1",
      DATABASE_URL: "postgres://u:db-pw-1@h/db",
    });
    const listing = describeVariables(r, v);
    expect(JSON.stringify(listing)).not.toMatch(/secret-value-1|db-pw-1/);
    expect(listing.find((x) => x.name === "HOST")).toMatchObject({ set: false, display: "<not set>" });
    expect(collectSecrets(r, v).map((s) => s.value)).toEqual([
      "secret-value-1",
      "secret-value-1\r",
      "db-pw-1",
    ]);
  });
});

describe("loadConfig runs the steps in order", () => {
  it("reports findings in one order whatever step found them: files, variables in table order, credentials, cross-field", () => {
    const cwd = dir({ ".env": "oops\n" });
    const r = loadConfig({
      cwd,
      env: { ATP_API_TOKEN: "tok en", PORT: "0", CRYPTO_COM_API_KEY: "k", USE_CRYPTO_PROXY: "true" },
    });
    expect(r.errors.map((f) => f.variable)).toEqual([
      ".env:1",
      "PORT", // validate step, earlier in the table
      "ATP_API_TOKEN", // clean step, later in the table
      "CRYPTO_COM_API_SECRET",
      "CRYPTO_PROXY_URL",
    ]);
    expect(r.warnings.map((f) => f.variable)).toEqual(["CRYPTO_PROXY_TOKEN"]);
  });
});
