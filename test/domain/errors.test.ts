/**
 * One error base class with a disposition (stop the bot / skip this action / retry later): every
 * error class in src/ extends AtpError, each states its disposition and stable errorCode, and an
 * ExchangeError's disposition follows from its category (auth family fatal, transient retry, the
 * rest skip), consistent with `retryable`.
 */

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CandleCsvError } from "../../src/backtest/csv.js";
import { OrderInputError } from "../../src/diagnostics/order-input.js";
import {
  AtpError,
  CATEGORY_DISPOSITION,
  type Disposition,
  ERROR_CATEGORIES,
  type ErrorCategory,
} from "../../src/domain/errors.js";
import { JsonSyntaxError } from "../../src/domain/json-text.js";
import { AdminError } from "../../src/emulator/admin.js";
import { EmulatorConfigError } from "../../src/emulator/config.js";
import { ParamError } from "../../src/emulator/methods/params.js";
import { codeInfo } from "../../src/exchange/cryptocom/error-codes.js";
import { ExchangeError } from "../../src/exchange/cryptocom/errors.js";
import { OrderValidationError } from "../../src/exchange/cryptocom/instruments.js";
import { ResponseShapeError } from "../../src/exchange/cryptocom/parsers/wire.js";
import { ProxyError } from "../../src/exchange/cryptocom/proxy.js";
import { UnsignableParamError } from "../../src/exchange/cryptocom/signing.js";
import { TransportError } from "../../src/exchange/cryptocom/transport.js";
import { FatalSocketError } from "../../src/exchange/cryptocom/ws/socket.js";
import { StrategyConfigError } from "../../src/strategy/config.js";

/** The documented mapping (docs/architecture.md "Errors"), written out so a change is deliberate. */
const EXPECTED: Record<ErrorCategory, Disposition> = {
  auth: "fatal",
  ip_not_whitelisted: "fatal",
  nonce: "fatal",
  permission: "fatal",
  rate_limit: "retry",
  server: "retry",
  maintenance: "retry",
  network: "retry",
  timeout: "retry",
  invalid_order: "skip",
  insufficient_funds: "skip",
  not_found: "skip",
  not_tradable: "skip",
  bad_request: "skip",
  unknown: "skip",
};

describe("ExchangeError: disposition by category", () => {
  it.each(ERROR_CATEGORIES.map((c) => [c, EXPECTED[c]] as const))("%s → %s", (category, disposition) => {
    const e = new ExchangeError({ method: "private/create-order", category });
    expect(e).toBeInstanceOf(AtpError);
    expect([e.disposition, e.errorCode]).toEqual([disposition, `exchange.${category}`]);
    // `retryable` (reads are retried) and the retry disposition are one rule
    expect(e.retryable).toBe(disposition === "retry");
  });

  it("by exchange code: 40101 stops, 42901 retries, 213 skips; a ProxyError follows its category", () => {
    expect(new ExchangeError({ method: "m", code: 40101 }).disposition).toBe("fatal");
    expect(new ExchangeError({ method: "m", code: 40103 }).disposition).toBe("fatal");
    expect(new ExchangeError({ method: "m", code: 42901 }).disposition).toBe("retry");
    expect(new ExchangeError({ method: "m", code: 213 }).disposition).toBe("skip");
    expect(codeInfo(213).retryable).toBe(false);
    expect(new ProxyError("m", 401, "auth", "bad token").disposition).toBe("fatal");
    expect(new ProxyError("m", 504, "timeout", "upstream timeout").disposition).toBe("retry");
  });

  it("the table covers every category and nothing else", () => {
    expect(Object.keys(CATEGORY_DISPOSITION).sort()).toEqual([...ERROR_CATEGORIES].sort());
  });
});

describe("every error class states its disposition and code", () => {
  const cases: [AtpError, Disposition, string][] = [
    [new CandleCsvError(["line 2: bad"]), "fatal", "backtest.candle_csv"],
    [new EmulatorConfigError(["speed: must be positive"]), "fatal", "config.emulator"],
    [new StrategyConfigError("strategies.json", ["x"]), "fatal", "config.strategy"],
    [new UnsignableParamError("price", "fractional number"), "fatal", "exchange.unsignable_param"],
    [new FatalSocketError("public/auth refused"), "fatal", "exchange.stream_refused"],
    [new OrderValidationError("BTC_USD", []), "skip", "order.validation"],
    [new OrderInputError("bad side"), "skip", "doctor.order_input"],
    [new ResponseShapeError("result.data", "not an array"), "skip", "exchange.response_shape"],
    [new JsonSyntaxError(3, "unexpected token"), "skip", "json.syntax"],
    [new AdminError(400, "bad"), "skip", "emulator.admin_request"],
    [new ParamError(40004, "missing"), "skip", "emulator.param"],
    [
      new TransportError(
        "connect_refused",
        { connected: false, written: false, latencyMs: 1 },
        "http://127.0.0.1:1",
        "ECONNREFUSED",
      ),
      "retry",
      "transport.connect_refused",
    ],
    [
      new TransportError(
        "body_timeout",
        { connected: true, written: true, latencyMs: 1 },
        "http://127.0.0.1:1",
        undefined,
      ),
      "retry",
      "transport.body_timeout",
    ],
  ];
  it.each(cases.map(([e, d, c]) => [e.constructor.name, e, d, c] as const))(
    "%s",
    (_name, e, disposition, errorCode) => {
      expect(e).toBeInstanceOf(AtpError);
      expect(e).toBeInstanceOf(Error);
      expect([e.disposition, e.errorCode]).toEqual([disposition, errorCode]);
    },
  );

  it("the disposition is not an own property: logged and serialised errors are unchanged", () => {
    const e = new ResponseShapeError("result", "not an object");
    expect(Object.keys(e).sort()).toEqual(["name", "path"]);
    expect(JSON.stringify(new ExchangeError({ method: "m", code: 213 }))).not.toContain("disposition");
  });
});

describe("no error class in src/ bypasses AtpError", () => {
  const SRC = fileURLToPath(new URL("../../src/", import.meta.url));
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
    });

  it("every `class … extends` of a built-in error is AtpError itself", () => {
    const direct: string[] = [];
    let classes = 0;
    for (const file of files(SRC)) {
      for (const m of readFileSync(file, "utf8").matchAll(/class (\w+) extends (\w+)/g)) {
        if (/Error$|Rejection$/.test(m[1]!)) classes += 1;
        if (/^(Error|TypeError|RangeError|SyntaxError)$/.test(m[2]!) && m[1] !== "AtpError")
          direct.push(`${relative(SRC, file)}: ${m[1]} extends ${m[2]}`);
      }
    }
    expect(direct).toEqual([]);
    // a scan that found nothing would pass vacuously (the emulator's matching checks return rejections, not throw them)
    expect(classes).toBeGreaterThanOrEqual(14);
  });
});
