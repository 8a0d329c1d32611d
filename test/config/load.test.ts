import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cleanCredential } from "../../src/config/clean.js";
import { parseEnvFile } from "../../src/config/env-file.js";
import { loadConfig } from "../../src/config/load.js";
import { CREDENTIAL_PAIRS, CREDENTIAL_VARIABLES, VARIABLES } from "../../src/config/variables.js";
import { Redactor } from "../../src/log/redact.js";

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(join(tmpdir(), "atp-config-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

describe("config sources", () => {
  it("uses env over .env.local over .env over defaults, and records where each came from", () => {
    const cwd = dir({
      ".env": "PORT=9001\nHOST=0.0.0.0\nLIVE_TRADING=false\n",
      ".env.local": "PORT=9002\n",
    });
    const r = loadConfig({ cwd, env: { HOST: "127.0.0.2" } });
    expect(r.valid).toBe(true);
    expect(r.config.server.host).toBe("127.0.0.2");
    expect(r.config.server.port).toBe(9002);
    const src = Object.fromEntries(r.variables.map((v) => [v.name, v.source]));
    expect(src).toMatchObject({
      HOST: "env",
      PORT: ".env.local",
      LIVE_TRADING: ".env",
      OUTBOUND_IP_URL: "default",
    });
    expect(r.config.exchange.baseUrl).toBe("https://api.crypto.com/exchange/v1");
  });

  it("accepts CRYPTO_COM_API_* as aliases and says which pair was used", () => {
    const r = loadConfig({
      cwd: dir(),
      env: { CRYPTO_COM_API_KEY: "aliaskey123", CRYPTO_COM_API_SECRET: "aliassecret456" },
    });
    expect(r.config.exchange.credentialPair).toBe("CRYPTO_COM_API_*");
    expect(r.config.exchange.apiKey).toBe("aliaskey123");
  });

  it("prefers EXCHANGE_CUSTOM_API_* and warns when the pairs differ", () => {
    const r = loadConfig({
      cwd: dir(),
      env: {
        EXCHANGE_CUSTOM_API_KEY: "primarykey1",
        EXCHANGE_CUSTOM_API_SECRET: "primarysecret1",
        CRYPTO_COM_API_KEY: "otherkey1",
        CRYPTO_COM_API_SECRET: "othersecret1",
      },
    });
    expect(r.config.exchange.apiKey).toBe("primarykey1");
    expect(r.warnings.map((w) => w.variable)).toContain("CRYPTO_COM_API_KEY");
  });
});

describe("the settings that were read around the typed config before (now in AppConfig)", () => {
  it("ATP_REFUSE_WITHDRAW_KEYS and the proxy's own settings come from the same sources, checked the same way", () => {
    const cwd = dir({
      ".env.local":
        "ATP_REFUSE_WITHDRAW_KEYS=yes\nCRYPTO_PROXY_ALLOW_METHODS=private/get-deposit-address\nCRYPTO_PROXY_TLS_CERT=/etc/atp/p.crt\n",
    });
    const r = loadConfig({ cwd, env: { CRYPTO_PROXY_TLS_KEY: "/etc/atp/p.key" } });
    expect(r.valid).toBe(true);
    expect(r.config.refuseWithdrawKeys).toBe(true);
    expect(r.config.proxyServer).toEqual({
      allowMethods: ["private/get-deposit-address"],
      envelopeDefault: false,
      tlsCertFile: "/etc/atp/p.crt",
      tlsKeyFile: "/etc/atp/p.key",
    });
  });

  it("a refused value is an error naming the variable, and the typed config keeps the safe default", () => {
    const r = loadConfig({
      cwd: dir(),
      env: { ATP_REFUSE_WITHDRAW_KEYS: "maybe", CRYPTO_PROXY_ALLOW_METHODS: "public/get-tickers" },
    });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.variable)).toEqual([
      "CRYPTO_PROXY_ALLOW_METHODS",
      "ATP_REFUSE_WITHDRAW_KEYS",
    ]);
    expect(r.config.refuseWithdrawKeys).toBe(false);
    expect(r.config.proxyServer.allowMethods).toEqual([]);
  });
});

describe("credential cleaning", () => {
  it("cleans a trailing CR from a CRLF .env file and reports it", () => {
    const cwd = dir({
      ".env.local": "EXCHANGE_CUSTOM_API_KEY=abcd1234\r\nEXCHANGE_CUSTOM_API_SECRET=s3cr3tvalue\r\n",
    });
    const r = loadConfig({ cwd, env: {} });
    expect(r.valid).toBe(true);
    expect(r.config.exchange.apiKey).toBe("abcd1234");
    const w = r.warnings.find((x) => x.variable === "EXCHANGE_CUSTOM_API_KEY");
    expect(w?.problem).toMatch(/carriage return/);
    expect(JSON.stringify(r.warnings)).not.toContain("s3cr3tvalue");
  });

  it("strips wrapping quotes and surrounding whitespace with a warning", () => {
    expect(cleanCredential(" 'abc' \n")).toEqual({
      value: "abc",
      cleaned: ["a line break", "wrapping quotes"],
    });
    expect(cleanCredential("abc")).toEqual({ value: "abc", cleaned: [] });
  });

  it("refuses internal whitespace or invisible characters, naming the variable but not the value", () => {
    const r = loadConfig({
      cwd: dir(),
      env: { EXCHANGE_CUSTOM_API_KEY: "abc def", EXCHANGE_CUSTOM_API_SECRET: "qqx\u200bppx" },
    });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.variable).sort()).toEqual([
      "EXCHANGE_CUSTOM_API_KEY",
      "EXCHANGE_CUSTOM_API_SECRET",
    ]);
    const text = JSON.stringify(r.errors);
    expect(text).not.toContain("abc def");
    expect(text).not.toContain("qqx");
  });
});

describe("validation", () => {
  it("reports every problem at once with the variable and a fix", () => {
    const r = loadConfig({
      cwd: dir(),
      env: {
        EXCHANGE_CUSTOM_BASE_URL: "api.crypto.com",
        PORT: "99999",
        USE_CRYPTO_PROXY: "maybe",
        EXCHANGE_LOCAL_ADDRESS: "not-an-ip",
        LIVE_TRADING: "true",
      },
    });
    expect(r.valid).toBe(false);
    expect(r.errors.map((e) => e.variable).sort()).toEqual([
      "EXCHANGE_CUSTOM_BASE_URL",
      "EXCHANGE_LOCAL_ADDRESS",
      "LIVE_TRADING",
      "PORT",
      "USE_CRYPTO_PROXY",
    ]);
    for (const e of r.errors) expect(e.fix.length).toBeGreaterThan(5);
  });

  it("requires a proxy URL when the proxy is on, and warns about a missing token", () => {
    const r = loadConfig({ cwd: dir(), env: { USE_CRYPTO_PROXY: "true" } });
    expect(r.errors.map((e) => e.variable)).toEqual(["CRYPTO_PROXY_URL"]);
    expect(r.warnings.map((w) => w.variable)).toEqual(["CRYPTO_PROXY_TOKEN"]);
  });

  it("flags half a credential pair", () => {
    const r = loadConfig({ cwd: dir(), env: { EXCHANGE_CUSTOM_API_KEY: "onlythekey" } });
    expect(r.errors.map((e) => e.variable)).toEqual(["EXCHANGE_CUSTOM_API_SECRET"]);
  });

  it("masks secrets in the variable listing", () => {
    const r = loadConfig({
      cwd: dir(),
      env: { EXCHANGE_CUSTOM_API_KEY: "key-long-ABCD", EXCHANGE_CUSTOM_API_SECRET: "verysecretvalue" },
    });
    const key = r.variables.find((v) => v.name === "EXCHANGE_CUSTOM_API_KEY");
    const secret = r.variables.find((v) => v.name === "EXCHANGE_CUSTOM_API_SECRET");
    expect(key?.display).toMatch(/^len=13 last4=ABCD fp=[0-9a-f]{8}$/);
    expect(secret?.display).toMatch(/^len=15 fp=[0-9a-f]{8}$/);
  });

  it("shows no character of a short key (last 4 only from 12 characters)", () => {
    for (const k of ["ABCD", "key-ABCD", "abcdefghijk"]) {
      const r = loadConfig({
        cwd: dir(),
        env: { EXCHANGE_CUSTOM_API_KEY: k, EXCHANGE_CUSTOM_API_SECRET: "s-long-enough" },
      });
      const key = r.variables.find((v) => v.name === "EXCHANGE_CUSTOM_API_KEY");
      expect(key?.display).toMatch(new RegExp(`^len=${k.length} fp=[0-9a-f]{8}$`));
    }
  });
});

describe(".env parsing", () => {
  it("handles export, comments, quotes and escapes", () => {
    const { values, errors } = parseEnvFile(
      "export A=1 # comment\nB=\"two\\nlines\"\nC='x y'\n# skip\n\nbad line\nD=  spaced  \n",
    );
    expect(Object.fromEntries(values)).toEqual({ A: "1", B: "two\nlines", C: "x y", D: "spaced" });
    expect(errors).toEqual([[6, "expected KEY=value"]]);
  });
});

describe("a password inside DATABASE_URL", () => {
  const URL_WITH_PASSWORD = "postgres://atp:S3cr%40t-pw-77@db.internal:5432/atp";

  it("is listed masked and handed to the redactor, written and decoded", () => {
    const r = loadConfig({ cwd: dir(), env: { DATABASE_URL: URL_WITH_PASSWORD } });
    expect(r.valid).toBe(true);
    expect(r.config.databaseUrl).toBe(URL_WITH_PASSWORD); // the application still gets the real URL
    const shown = r.variables.find((v) => v.name === "DATABASE_URL")!.display;
    expect(shown).toMatch(/^postgres:\/\/atp:<len=12 fp=[0-9a-f]{8}>@db\.internal:5432\/atp$/);
    expect(shown).not.toContain("S3cr");
    const pw = r.secrets.filter((s) => s.label === "DATABASE_URL password");
    expect(pw.map((s) => [s.value, s.kind]).sort()).toEqual([
      ["S3cr%40t-pw-77", "secret"],
      ["S3cr@t-pw-77", "secret"],
    ]);
    const logged = new Redactor(r.secrets).string(`connecting to ${URL_WITH_PASSWORD} as atp/S3cr@t-pw-77`);
    expect(logged).not.toContain("S3cr");
    expect(logged).toContain("[DATABASE_URL password len=");
  });

  it("a URL with a user name alone shows it masked (the form a token takes) and adds no secret", () => {
    const r = loadConfig({ cwd: dir(), env: { DATABASE_URL: "postgres://atp@127.0.0.1:5432/atp" } });
    expect(r.variables.find((v) => v.name === "DATABASE_URL")!.display).toMatch(
      /^postgres:\/\/<len=3 fp=[0-9a-f]{8}>@127\.0\.0\.1:5432\/atp$/,
    );
    expect(r.secrets).toEqual([]);
  });

  it("a URL without user info is listed as it is", () => {
    const r = loadConfig({ cwd: dir(), env: { DATABASE_URL: "postgres://127.0.0.1:5432/atp" } });
    expect(r.variables.find((v) => v.name === "DATABASE_URL")!.display).toBe("postgres://127.0.0.1:5432/atp");
  });

  it("is masked even when the URL is refused", () => {
    const r = loadConfig({ cwd: dir(), env: { DATABASE_URL: "mysql://root:hunter2-long@db/atp" } });
    expect(r.errors.map((e) => [e.variable, e.kind])).toEqual([["DATABASE_URL", "invalid"]]);
    expect(JSON.stringify(r.variables)).not.toContain("hunter2");
    expect(r.secrets.map((s) => s.value)).toEqual(["hunter2-long"]);
  });
});

describe("findings carry a machine-readable kind", () => {
  it("cleaned, invalid, missing_partner, pair_conflict, cross_field, env_file", () => {
    const cwd = dir({ ".env": "not a line\n" });
    const r = loadConfig({
      cwd,
      env: {
        EXCHANGE_CUSTOM_API_KEY: "primarykey1\r",
        CRYPTO_COM_API_KEY: "otherkey1",
        CRYPTO_COM_API_SECRET: "othersecret1",
        PORT: "99999",
        USE_CRYPTO_PROXY: "true",
      },
    });
    const kinds = (list: typeof r.errors) => list.map((f) => `${f.variable}:${f.kind}`).sort();
    expect(kinds(r.errors)).toEqual([
      ".env:1:env_file",
      "CRYPTO_PROXY_URL:cross_field",
      "EXCHANGE_CUSTOM_API_SECRET:missing_partner",
      "PORT:invalid",
    ]);
    expect(kinds(r.warnings)).toEqual([
      "CRYPTO_COM_API_KEY:pair_conflict",
      "CRYPTO_PROXY_TOKEN:cross_field",
      "EXCHANGE_CUSTOM_API_KEY:cleaned",
    ]);
  });
});

describe("credential pairs", () => {
  it("CREDENTIAL_PAIRS names every credential variable of the table, as key and secret", () => {
    const credentialVars = VARIABLES.filter((v) => v.group === "exchange" && v.secret).map((v) => v.name);
    expect([...CREDENTIAL_VARIABLES].sort()).toEqual(credentialVars.sort());
    for (const p of Object.values(CREDENTIAL_PAIRS)) {
      expect(VARIABLES.find((v) => v.name === p.key)?.secret).toBe("key");
      expect(VARIABLES.find((v) => v.name === p.secret)?.secret).toBe("secret");
    }
  });
});

describe("storage settings", () => {
  it("keeps the data directory in ATP_DATA_DIR, ./data by default", () => {
    expect(loadConfig({ cwd: dir(), env: {} }).config.dataDir).toBe("./data");
    expect(loadConfig({ cwd: dir(), env: { ATP_DATA_DIR: "/var/lib/atp" } }).config.dataDir).toBe(
      "/var/lib/atp",
    );
  });

  it("refuses a DATABASE_URL the store cannot open, and says how to get SQLite", () => {
    const r = loadConfig({ cwd: dir(), env: { DATABASE_URL: "sqlite:./atp.db" } });
    expect(r.valid).toBe(false);
    const e = r.errors.find((f) => f.variable === "DATABASE_URL");
    expect(`${e?.problem} ${e?.fix}`).toMatch(/postgres:\/\/.*unset.*ATP_DATA_DIR/s);
  });
});
