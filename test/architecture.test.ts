/**
 * The module rules of docs/architecture.md, enforced on every import in src/ (and web/, once it
 * exists). An entry of a rule is a module ("exchange": any file under src/exchange), a folder
 * ("exchange/cryptocom/") or a file ("exchange/types.ts"): file-level wherever the architecture
 * doc names files, so "the emulator may use the signing module" does not let it use the client.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The venue-neutral files of src/exchange: the interface, its domain types and the timeframes. */
const VENUE_NEUTRAL_EXCHANGE = ["exchange/types.ts", "exchange/timeframe.ts"];

/** What each module of src/ may import (besides itself); see docs/architecture.md. */
const RULES: Record<string, readonly string[]> = {
  util: [],
  // the shared vocabulary (enums, candles/tickers, error base): every module but util may import it
  domain: ["util"],
  log: ["util", "domain"],
  config: ["util", "domain", "log"],
  exchange: ["util", "domain", "log"],
  emulator: [
    "util",
    "domain",
    "log",
    ...VENUE_NEUTRAL_EXCHANGE,
    "exchange/cryptocom/signing.ts",
    "exchange/cryptocom/error-codes.ts",
    "exchange/cryptocom/endpoints.ts",
    "exchange/cryptocom/constants.ts",
    "exchange/cryptocom/instruments.ts",
  ],
  proxy: ["util", "domain", "log", "exchange"],
  diagnostics: ["util", "domain", "log", "config", "exchange"],
  indicators: ["domain"],
  market: ["util", "domain", "log", "indicators", ...VENUE_NEUTRAL_EXCHANGE],
  strategy: ["util", "domain", "log", "indicators", "market"],
  backtest: [
    "util",
    "domain",
    "log",
    "indicators",
    "market",
    "strategy",
    "emulator/market/price-process.ts",
    "emulator/rng.ts",
    "emulator/default-instruments.ts",
  ],
  // the modules of the next issues: rules written before the code arrives
  store: ["util", "domain", "log", ...VENUE_NEUTRAL_EXCHANGE, "strategy"],
  trading: ["util", "domain", "log", ...VENUE_NEUTRAL_EXCHANGE, "market", "strategy", "store"],
  api: ["util", "domain", "log", "trading", "diagnostics", "store", "exchange/timeframe.ts"],
  notify: ["util", "domain", "log", "trading", "diagnostics", "store"],
};
// the composition root may use every module but the CLI; the CLI everything the root uses, and the root
RULES.app = Object.keys(RULES);
RULES.cli = [...RULES.app, "app"];

/** Single files allowed more than their module: a venue adapter implements its consumer's port. */
const FILE_RULES: Record<string, readonly string[]> = {
  "exchange/cryptocom/candle-source.ts": ["market/source.ts"],
  // the dry-run broker fills simulated orders on the emulator's matching core, in-process
  "trading/dry-run/": ["emulator/matching/"],
};

/** The dashboard (web/) may import only the API's generated types from src/. */
const WEB_MAY_IMPORT = ["api/contract/"];

/**
 * Where concrete clients, servers and loggers may be constructed (non-test code): the composition
 * root, and each inside its own module. Everything else takes them injected. An entry is a file
 * or a folder of src/, as in RULES.
 */
const CONSTRUCTION: { what: string; pattern: RegExp; allowed: readonly string[] }[] = [
  {
    what: "new CryptoComClient",
    pattern: /\bnew\s+CryptoComClient\b/,
    // the doctor builds its own per-run probe client: it must run on any configuration, however
    // broken, with its own timeouts, DNS lookup and deadline (src/diagnostics/probe-client.ts)
    allowed: ["app/", "diagnostics/probe-client.ts"],
  },
  {
    what: "new HttpTransport",
    pattern: /\bnew\s+HttpTransport\b/,
    allowed: [
      "app/",
      "exchange/cryptocom/", // the client's own transport
      "proxy/signing-proxy.ts", // the signing proxy runs on its own host: its upstream is its wiring
      "diagnostics/probe-client.ts", // the doctor's per-run transport (lookup, deadline), see above
    ],
  },
  {
    what: "new MarketStream / UserStream",
    pattern: /\bnew\s+(MarketStream|UserStream)\b/,
    allowed: ["app/", "exchange/cryptocom/"],
  },
  { what: "new CryptoComCandleSource", pattern: /\bnew\s+CryptoComCandleSource\b/, allowed: ["app/"] },
  { what: "new MarketFeed", pattern: /\bnew\s+MarketFeed\b/, allowed: ["app/"] },
  { what: "startEmulator()", pattern: /(?<!function\s)\bstartEmulator\s*\(/, allowed: ["app/emulator.ts"] },
  { what: "startSigningProxy()", pattern: /(?<!function\s)\bstartSigningProxy\s*\(/, allowed: ["app/"] },
  { what: "createLogger()", pattern: /(?<!function\s)\bcreateLogger\s*\(/, allowed: ["app/", "log/"] },
];

/** Source text without comments (URLs in strings keep their `//`: only `//` after a space or at line start counts). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
}

/** Construction sites of `text` (a src-relative file) that CONSTRUCTION does not allow there. */
function constructionViolations(file: string, text: string): string[] {
  const body = code(text);
  return CONSTRUCTION.filter((c) => c.pattern.test(body) && !c.allowed.some((e) => covers(e, file))).map(
    (c) => `${file}: ${c.what} (allowed only in ${c.allowed.join(", ")})`,
  );
}

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SRC = join(ROOT, "src");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "node_modules" || name === "dist") return [];
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(p) ? [p] : [];
  });
}

/** Relative import specifiers of a source text (static, dynamic and re-exports). */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*["'](\.[^"']+)["']/g)].map((m) => m[1]!);
}

/** `spec` imported by `file` (both under `base`), as a path relative to `base` with a .ts name. */
function resolveImport(base: string, file: string, spec: string): string {
  return relative(base, join(file, "..", spec)).replace(/\.js$/, ".ts");
}

function covers(entry: string, target: string): boolean {
  if (/\.tsx?$/.test(entry)) return target === entry;
  return target.startsWith(entry.endsWith("/") ? entry : `${entry}/`);
}

/** Why `from` (a src-relative file) may not import `target` (src-relative), or undefined if it may. */
function violation(from: string, target: string): string | undefined {
  const module = from.split("/")[0]!;
  const rule = RULES[module];
  if (!rule) return `module '${module}' is not in the architecture table`;
  if (target.split("/")[0] === module) return undefined;
  if (rule.some((e) => covers(e, target))) return undefined;
  const extra = Object.entries(FILE_RULES).filter(([key]) => key === from || covers(key, from));
  if (extra.some(([, entries]) => entries.some((e) => covers(e, target)))) return undefined;
  return `${from} imports ${target}`;
}

describe("module dependencies point inward", () => {
  it("every src/ import is one docs/architecture.md allows", () => {
    const violations: string[] = [];
    const seen = new Set<string>(); // module → module edges found, to prove the scan reads imports
    for (const file of files(SRC)) {
      const from = relative(SRC, file);
      for (const spec of importsOf(readFileSync(file, "utf8"))) {
        const target = resolveImport(SRC, file, spec);
        seen.add(`${from.split("/")[0]}→${target.split("/")[0]}`);
        const v = violation(from, target);
        if (v) violations.push(`${v} (${spec})`);
      }
    }
    expect(violations).toEqual([]);
    // a scan that matched nothing would pass vacuously: these edges exist today
    expect([...seen]).toEqual(
      expect.arrayContaining([
        "cli→app",
        "app→exchange",
        "exchange→util",
        "exchange→domain",
        "domain→util",
        "emulator→exchange",
      ]),
    );
  });

  it("concrete clients, servers and loggers are constructed only where the architecture doc says", () => {
    const violations = files(SRC).flatMap((file) =>
      constructionViolations(relative(SRC, file), readFileSync(file, "utf8")),
    );
    expect(violations).toEqual([]);
  });

  it("the construction rule catches a library that builds its own client", () => {
    const lib =
      'import { CryptoComClient } from "../exchange/cryptocom/client.js";\nconst c = new CryptoComClient({ baseUrl });';
    expect(constructionViolations("backtest/candle-input.ts", lib)).toHaveLength(1);
    expect(constructionViolations("app/runtime.ts", lib)).toEqual([]);
    expect(
      constructionViolations("cli/commands/demo.ts", "const e = await startEmulator({ speed });"),
    ).toHaveLength(1);
    expect(
      constructionViolations("cli/commands/doctor.ts", "const log = createLogger({ name });"),
    ).toHaveLength(1);
    // a mention in a comment or the definition itself is not a construction
    expect(
      constructionViolations(
        "emulator/index.ts",
        "/** startEmulator() starts */\nexport async function startEmulator(",
      ),
    ).toEqual([]);
    expect(
      constructionViolations("market/x.ts", 'const url = "http://h/x"; // new CryptoComClient('),
    ).toEqual([]);
  });

  it("web/ imports nothing from src/ but the API's generated types", () => {
    const web = join(ROOT, "web");
    const violations: string[] = [];
    if (existsSync(web)) {
      for (const file of files(web)) {
        for (const spec of importsOf(readFileSync(file, "utf8"))) {
          const target = relative(ROOT, join(file, "..", spec));
          if (target.startsWith("web/")) continue;
          const inSrc = relative(SRC, join(file, "..", spec));
          if (!WEB_MAY_IMPORT.some((e) => covers(e, inSrc)))
            violations.push(`${relative(ROOT, file)} imports ${target}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("the rules catch what the architecture doc forbids", () => {
    // the market feed is venue-neutral
    expect(violation("market/feed.ts", "exchange/cryptocom/constants.ts")).toBeDefined();
    expect(violation("market/feed.ts", "exchange/timeframe.ts")).toBeUndefined();
    // the emulator shares signing, codes and rules with the connector, never the client itself
    expect(violation("emulator/auth.ts", "exchange/cryptocom/signing.ts")).toBeUndefined();
    expect(violation("emulator/auth.ts", "exchange/cryptocom/client.ts")).toBeDefined();
    expect(violation("emulator/auth.ts", "exchange/cryptocom/ws/socket.ts")).toBeDefined();
    // the adapter may see the market's port, nothing else of the market; other exchange files not even that
    expect(violation("exchange/cryptocom/candle-source.ts", "market/source.ts")).toBeUndefined();
    expect(violation("exchange/cryptocom/candle-source.ts", "market/feed.ts")).toBeDefined();
    expect(violation("exchange/cryptocom/client.ts", "market/source.ts")).toBeDefined();
    // the backtester uses the emulator's price process, not its server
    expect(violation("backtest/generated-candles.ts", "emulator/market/price-process.ts")).toBeUndefined();
    expect(violation("backtest/run.ts", "emulator/index.ts")).toBeDefined();
    // the modules of the next issues
    expect(violation("api/routes.ts", "trading/engine.ts")).toBeUndefined();
    expect(violation("api/routes.ts", "exchange/cryptocom/client.ts")).toBeDefined();
    expect(violation("notify/telegram.ts", "exchange/cryptocom/errors.ts")).toBeDefined();
    expect(violation("trading/engine.ts", "exchange/types.ts")).toBeUndefined();
    expect(violation("trading/engine.ts", "exchange/cryptocom/client.ts")).toBeDefined();
    expect(violation("trading/engine.ts", "api/server.ts")).toBeDefined();
    expect(violation("trading/dry-run/broker.ts", "emulator/matching/engine.ts")).toBeUndefined();
    expect(violation("trading/pipeline/place.ts", "emulator/matching/engine.ts")).toBeDefined();
    expect(violation("store/orders.ts", "trading/engine.ts")).toBeDefined();
    // nothing below the CLI imports it; a module without a row is refused
    expect(violation("app/runtime.ts", "cli/main.ts")).toBeDefined();
    expect(violation("gadgets/x.ts", "util/decimal.ts")).toMatch(/not in the architecture table/);
  });

  it("docs/architecture.md lists exactly the modules these rules know", () => {
    const doc = readFileSync(join(ROOT, "docs/architecture.md"), "utf8");
    const table = doc.slice(doc.indexOf("## Modules and what they may import"), doc.indexOf("## Where is X"));
    const listed = [...table.matchAll(/^\| `src\/([a-z]+)` \|/gm)].map((m) => m[1]!);
    expect([...listed].sort()).toEqual(Object.keys(RULES).sort());
    expect(table).toMatch(/^\| `web\/` \|/m);
  });
});
