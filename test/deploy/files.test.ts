/**
 * The deployment files, checked without a Docker engine: docker-compose.yml (read by a YAML subset
 * parser), the Dockerfile, .dockerignore and the systemd units. Every service, port, volume,
 * variable, file and command they reference must exist, and be documented (atp's variables in
 * src/config/variables.ts, the rest in docs/operations.md).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMAND_NAMES } from "../../src/cli/main.js";
import { VARIABLE_BY_NAME } from "../../src/config/variables.js";
import { parseYamlSubset, type YamlValue } from "./yaml-subset.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (f: string) => readFileSync(join(ROOT, f), "utf8");
const OPS = read("docs/operations.md");
type Map_ = Record<string, YamlValue>;
const compose = parseYamlSubset(read("docker-compose.yml")) as Map_;
const services = compose.services as Record<string, Map_>;
const list = (v: YamlValue | undefined): string[] => (Array.isArray(v) ? (v as string[]) : []);

/** Variables the image or compose sets that atp does not read through its table (documented in operations.md). */
const NON_ATP = new Set(["NODE_ENV", "LOG_PRETTY", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"]);

function expectDocumentedVariable(name: string): void {
  if (VARIABLE_BY_NAME.has(name)) return;
  expect(NON_ATP.has(name), `${name}: neither an atp variable nor a known image variable`).toBe(true);
  expect(OPS, `${name} is not documented in docs/operations.md`).toContain(name);
}

/** `node bin/atp.js <command> …`: the launcher exists and the command is one of atp's. */
/** `node [V8 flags…] bin/atp.js <command> …`, with flags from NODE_FLAGS only. */
function expectAtpCommand(argv: string[]): void {
  expect(argv[0]).toBe("node");
  const at = argv.indexOf("bin/atp.js");
  expect(at).toBeGreaterThan(0);
  for (const flag of argv.slice(1, at)) expect(NODE_FLAGS).toContain(flag);
  expect(existsSync(join(ROOT, argv[at]!))).toBe(true);
  expect(COMMAND_NAMES).toContain(argv[at + 1]);
}

/** The node flags atp's command lines may carry: `npm start`'s (package.json). */
const NODE_FLAGS = (JSON.parse(read("package.json")) as { scripts: { start: string } }).scripts.start
  .split(/\s+/)
  .filter((w) => w.startsWith("--"));

describe("docker-compose.yml", () => {
  it("has the services the seed's commands name (backend), postgres, and the optional proxy profile", () => {
    expect(Object.keys(services).sort()).toEqual(["backend", "postgres", "proxy"]);
    expect(list(services.proxy!.profiles)).toEqual(["proxy"]);
    expect(OPS).toContain("docker compose logs backend | grep CRYPTO_COM_OUTBOUND_IP");
    expect(OPS).toContain("--profile proxy");
  });

  it("publishes ports on 127.0.0.1 only, on the port atp listens on", () => {
    for (const [name, s] of Object.entries(services)) {
      for (const p of list(s.ports)) expect(p, `${name}: ${p}`).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
    }
    expect(list(services.backend!.ports)).toEqual([
      `127.0.0.1:8000:${(services.backend!.environment as Map_).PORT}`,
    ]);
  });

  it("declares every named volume it mounts", () => {
    const declared = Object.keys((compose.volumes as Map_) ?? {});
    const used = Object.values(services).flatMap((s) => list(s.volumes).map((v) => v.split(":")[0]!));
    expect(used.length).toBeGreaterThan(0);
    for (const v of used) expect(declared, v).toContain(v);
  });

  it("postgres has a healthcheck, backend waits for it, and DATABASE_URL names the postgres service and its user/db", () => {
    const pg = services.postgres!;
    expect(list((pg.healthcheck as Map_).test).join(" ")).toContain("pg_isready");
    expect(((services.backend!.depends_on as Map_).postgres as Map_).condition).toBe("service_healthy");
    const env = pg.environment as Map_;
    const url = (services.backend!.environment as Map_).DATABASE_URL as string;
    expect(url).toMatch(new RegExp(`^postgres://${env.POSTGRES_USER}:.*@postgres:5432/${env.POSTGRES_DB}$`));
  });

  it("every variable it sets or interpolates is atp's (and documented) or documented in operations.md", () => {
    const text = read("docker-compose.yml");
    for (const s of Object.values(services))
      for (const k of Object.keys((s.environment as Map_) ?? {})) expectDocumentedVariable(k);
    for (const m of text.matchAll(/\$\{([A-Z_]+)/g)) expectDocumentedVariable(m[1]!);
    for (const v of VARIABLE_BY_NAME.keys()) expect(read("docs/configuration.md")).toContain(v);
  });

  it("reads .env.local (the seed's settings file), made from the committed .env.example", () => {
    for (const s of Object.values(services).filter((s) => s.build))
      expect(list(s.env_file)).toEqual([".env.local"]);
    expect(existsSync(join(ROOT, ".env.example"))).toBe(true);
    expect(OPS).toContain("cp .env.example .env.local");
  });

  it("runs atp's own commands; build contexts have a Dockerfile", () => {
    for (const s of Object.values(services).filter((s) => s.build)) {
      expectAtpCommand(list(s.command));
      expect(existsSync(join(ROOT, s.build as string, "Dockerfile"))).toBe(true);
    }
  });
});

describe("Dockerfile", () => {
  const text = read("Dockerfile").replace(/\\\n/g, " ");
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages = lines.filter((l) => l.startsWith("FROM ")).map((l) => / AS (\S+)/i.exec(l)?.[1]);
  const final = lines.slice(lines.findLastIndex((l) => l.startsWith("FROM ")));

  it("is multi-stage; the runtime stage runs as a non-root user with a HEALTHCHECK on /api/health", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = final.find((l) => l.startsWith("USER "));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)\b/);
    expect(final.find((l) => l.startsWith("HEALTHCHECK"))).toContain("/api/health");
  });

  it("builds with `npm run build` (the dashboard with it) and runs the command the compose backend runs", () => {
    expect(text).toContain("npm run build");
    const cmd = JSON.parse(final.find((l) => l.startsWith("CMD "))!.slice(4)) as string[];
    expect(cmd).toEqual(list(services.backend!.command));
    expectAtpCommand(cmd);
  });

  it("copies only files that exist (or come from a named stage), and sets only documented variables", () => {
    for (const l of lines.filter((l) => l.startsWith("COPY "))) {
      const words = l.split(/\s+/).slice(1);
      const from = words.find((w) => w.startsWith("--from="))?.slice(7);
      const paths = words.filter((w) => !w.startsWith("--"));
      if (from) {
        expect(stages, l).toContain(from);
        continue;
      }
      for (const src of paths.slice(0, -1)) expect(existsSync(join(ROOT, src)), l).toBe(true);
    }
    const env = final.find((l) => l.startsWith("ENV "))!.slice(4);
    for (const m of env.matchAll(/([A-Z_]+)=/g)) expectDocumentedVariable(m[1]!);
  });

  it(".dockerignore keeps secrets and local data out, and nothing the build needs", () => {
    const ignore = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const must of [".env", ".env.*", "data/", "node_modules/"]) expect(ignore).toContain(must);
    expect(ignore).toContain("!.env.example");
    for (const needed of ["src/", "package.json", "package-lock.json", "bin/", "config/"])
      expect(ignore).not.toContain(needed);
  });
});

describe("systemd units", () => {
  const units = ["deploy/systemd/atp.service", "deploy/systemd/atp-proxy.service"];

  it("run atp's commands as a dedicated user, with a restart policy, EnvironmentFile and hardening", () => {
    for (const u of units) {
      const t = read(u);
      for (const line of [
        "User=atp",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
      ]) {
        expect(t, `${u}: ${line}`).toContain(line);
      }
      expect(t).toMatch(/^EnvironmentFile=\/etc\/atp\/\S+\.env$/m);
      const exec = /^ExecStart=(.*)$/m.exec(t)![1]!.split(/\s+/);
      expect(exec[0]).toBe("/usr/bin/node");
      const at = exec.findIndex((w) => /\/bin\/atp\.js$/.test(w));
      expect(at).toBeGreaterThan(0);
      for (const flag of exec.slice(1, at)) expect(NODE_FLAGS).toContain(flag);
      expect(COMMAND_NAMES).toContain(exec[at + 1]);
      expect(OPS).toContain(u);
    }
  });

  const hasAnalyze = (() => {
    try {
      execFileSync("systemd-analyze", ["--version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(hasAnalyze)("pass systemd-analyze verify", () => {
    const out = execFileSync("systemd-analyze", ["verify", ...units.map((u) => join(ROOT, u))], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toBe("");
  });
});
