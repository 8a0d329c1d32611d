/**
 * A strict JSON parser for webhook bodies that keeps every number as the exact text it had
 * (`WebhookNumberText`), so `"amount_usd": 12.30000000000000000001` is read as that decimal and not
 * as the nearest double. (The technique of src/exchange/cryptocom/json-text.ts, re-implemented:
 * the API may not import exchange code.)
 *
 * Invariants: accepts exactly RFC 8259 JSON; nesting deeper than 64 is a syntax error (never a stack
 * overflow); objects have a null prototype (a `__proto__` key is an ordinary key); a duplicate key
 * keeps the last value; errors carry the offset of the first problem.
 */
import { AtpError, type Disposition } from "../domain/errors.js";

export class WebhookNumberText {
  constructor(readonly text: string) {}
}

export type WebhookJson = string | WebhookNumberText | boolean | null | WebhookJson[] | WebhookJsonObject;
export interface WebhookJsonObject {
  [key: string]: WebhookJson;
}

export class WebhookJsonError extends AtpError {
  get errorCode(): string {
    return "api.webhook_json";
  }
  get disposition(): Disposition {
    return "skip";
  }

  constructor(
    readonly offset: number,
    detail: string,
  ) {
    super(`invalid JSON at offset ${offset}: ${detail}`);
    this.name = "WebhookJsonError";
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 64;
const ESCAPES = new Map([
  ['"', '"'],
  ["\\", "\\"],
  ["/", "/"],
  ["b", "\b"],
  ["f", "\f"],
  ["n", "\n"],
  ["r", "\r"],
  ["t", "\t"],
]);

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(detail: string): never {
    throw new WebhookJsonError(this.i, detail);
  }

  ws(): void {
    while (this.i < this.s.length && " \n\r\t".includes(this.s[this.i]!)) this.i++;
  }

  value(depth: number): WebhookJson {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    const c = this.s[this.i];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "t") return this.literal("true", true);
    if (c === "f") return this.literal("false", false);
    if (c === "n") return this.literal("null", null);
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER_RE.lastIndex = this.i;
      const m = NUMBER_RE.exec(this.s);
      if (!m) this.fail("malformed number");
      this.i += m[0].length;
      return new WebhookNumberText(m[0]);
    }
    return this.fail(
      c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`,
    );
  }

  literal<T extends WebhookJson>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`expected ${word}`);
    this.i += word.length;
    return v;
  }

  string(): string {
    const s = this.s;
    this.i++;
    let out = "";
    let start = this.i;
    while (true) {
      if (this.i >= s.length) this.fail("unterminated string");
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail("control character in string");
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      const e = s[this.i + 1] ?? "";
      this.i += 2;
      const simple = ESCAPES.get(e);
      if (simple !== undefined) out += simple;
      else if (e === "u") {
        const hex = s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.i += 4;
      } else {
        this.i -= 1;
        this.fail("bad escape");
      }
      start = this.i;
    }
  }

  /** Comma-separated items up to `close`; `item` parses one. */
  list(close: string, item: () => void): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === close) {
      this.i++;
      return;
    }
    while (true) {
      this.ws();
      item();
      this.ws();
      const c = this.s[this.i];
      this.i++;
      if (c === ",") continue;
      if (c === close) return;
      this.i--;
      this.fail(`expected , or ${close}`);
    }
  }

  array(depth: number): WebhookJson[] {
    const out: WebhookJson[] = [];
    this.list("]", () => out.push(this.value(depth + 1)));
    return out;
  }

  object(depth: number): WebhookJsonObject {
    const out = Object.create(null) as WebhookJsonObject;
    this.list("}", () => {
      if (this.s[this.i] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("expected :");
      this.i++;
      this.ws();
      out[key] = this.value(depth + 1);
    });
    return out;
  }
}

/** Parses a webhook body; numbers become WebhookNumberText holding their original text. */
export function parseWebhookJson(text: string): WebhookJson {
  const p = new Parser(text);
  p.ws();
  const v = p.value(0);
  p.ws();
  if (p.i !== text.length) p.fail("unexpected data after the JSON value");
  return v;
}

export function isWebhookJsonObject(v: WebhookJson | undefined): v is WebhookJsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof WebhookNumberText);
}
