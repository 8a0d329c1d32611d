/**
 * ATP_WEBHOOK_SECRET through the typed configuration (src/config/variables.ts): declared, a secret
 * (masked in check-config, redacted from logs), checked (at least 16 characters, the error names the
 * variable and the fix), and handed to the API as `config.server.webhookSecret` (the webhook default).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/load.js";

const cwd = () => mkdtempSync(join(tmpdir(), "atp-whcfg-"));

describe("ATP_WEBHOOK_SECRET in the configuration", () => {
  it("is the config's server.webhookSecret, a masked secret", () => {
    const secret = "tv-secret-0123456789abcdef";
    const r = loadConfig({ cwd: cwd(), env: { ATP_WEBHOOK_SECRET: secret } });
    expect(r.valid).toBe(true);
    expect(r.config.server.webhookSecret).toBe(secret);
    const v = r.variables.find((x) => x.name === "ATP_WEBHOOK_SECRET");
    expect(v).toMatchObject({ set: true, source: "env", secret: true });
    expect(v?.display).not.toContain(secret);
    expect(JSON.stringify(r.variables)).not.toContain(secret);
    // registered for the log redactor like every secret of the table
    expect(r.secrets.map((x) => x.value)).toContain(secret);
  });

  it("unset: no default webhook", () => {
    const r = loadConfig({ cwd: cwd(), env: {} });
    expect(r.valid).toBe(true);
    expect(r.config.server.webhookSecret).toBeUndefined();
  });

  it("too short: refused, naming the variable and the fix", () => {
    const r = loadConfig({ cwd: cwd(), env: { ATP_WEBHOOK_SECRET: "short" } });
    expect(r.valid).toBe(false);
    const e = r.errors.find((x) => JSON.stringify(x).includes("ATP_WEBHOOK_SECRET"));
    expect(JSON.stringify(e)).toMatch(/at least 16/);
    expect(JSON.stringify(r.errors)).not.toContain('"short"');
  });
});
