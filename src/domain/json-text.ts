/**
 * A small strict JSON parser (request bodies in the emulator, `--order` in the doctor, TradingView
 * webhook bodies in the API) that keeps every number as the exact text it had
 * (`JsonNumberText`), so the emulator can recompute a signature "as the exchange parsed it" and
 * never loses digits of an id, nonce or decimal sent as a JSON number.
 *
 * Invariants: accepts exactly RFC 8259 JSON (no comments, no trailing commas); nesting deeper than
 * 64 is a syntax error (never a stack overflow); objects have a null prototype (a `__proto__` key is
 * an ordinary key); a duplicate key keeps the last value (as JSON.parse does); throws
 * JsonSyntaxError with the offset of the first problem.
 */
import { AtpError, type Disposition } from "./errors.js";

/** A JSON number kept as the exact text it had (ids, nonces, decimals never pass through a double). */
export class JsonNumberText {
  constructor(readonly text: string) {}
  toJSON(): number {
    return Number(this.text);
  }
}

export type JsonValue = string | JsonNumberText | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export class JsonSyntaxError extends AtpError {
  get errorCode(): string {
    return "json.syntax";
  }
  get disposition(): Disposition {
    return "skip";
  }

  constructor(
    readonly offset: number,
    detail: string,
  ) {
    super(`invalid JSON at offset ${offset}: ${detail}`);
    this.name = "JsonSyntaxError";
  }
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const MAX_DEPTH = 64;

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): JsonValue {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) this.fail("unexpected data after the JSON value");
    return v;
  }

  private fail(detail: string): never {
    throw new JsonSyntaxError(this.i, detail);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  private value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail("nesting too deep");
    const c = this.s[this.i];
    switch (c) {
      case "{":
        return this.object(depth);
      case "[":
        return this.array(depth);
      case '"':
        return this.string();
      case "t":
        return this.literal("true", true);
      case "f":
        return this.literal("false", false);
      case "n":
        return this.literal("null", null);
      default:
        if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
        return this.fail(
          c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`,
        );
    }
  }

  private literal<T extends JsonValue>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.i)) this.fail(`expected ${word}`);
    this.i += word.length;
    return v;
  }

  private number(): JsonNumberText {
    NUMBER_RE.lastIndex = this.i;
    const m = NUMBER_RE.exec(this.s);
    if (!m) this.fail("malformed number");
    this.i += m[0].length;
    return new JsonNumberText(m[0]);
  }

  private string(): string {
    const s = this.s;
    this.i++; // opening quote
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
      if (c === 0x5c) {
        out += s.slice(start, this.i);
        const e = s[this.i + 1];
        this.i += 2;
        switch (e) {
          case '"':
            out += '"';
            break;
          case "\\":
            out += "\\";
            break;
          case "/":
            out += "/";
            break;
          case "b":
            out += "\b";
            break;
          case "f":
            out += "\f";
            break;
          case "n":
            out += "\n";
            break;
          case "r":
            out += "\r";
            break;
          case "t":
            out += "\t";
            break;
          case "u": {
            const hex = s.slice(this.i, this.i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("bad \\u escape");
            out += String.fromCharCode(Number.parseInt(hex, 16));
            this.i += 4;
            break;
          }
          default:
            this.i -= 1;
            this.fail("bad escape");
        }
        start = this.i;
        continue;
      }
      this.i++;
    }
  }

  private array(depth: number): JsonValue[] {
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return out;
    }
    while (true) {
      this.ws();
      out.push(this.value(depth + 1));
      this.ws();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]") {
        this.i++;
        return out;
      }
      this.fail("expected , or ]");
    }
  }

  private object(depth: number): JsonObject {
    this.i++;
    // A null-prototype object: a "__proto__" key is an ordinary key, as in JSON.parse.
    const out = Object.create(null) as JsonObject;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    while (true) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.s[this.i] !== ":") this.fail("expected :");
      this.i++;
      this.ws();
      out[key] = this.value(depth + 1);
      this.ws();
      const c = this.s[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") {
        this.i++;
        return out;
      }
      this.fail("expected , or }");
    }
  }
}

/** Parses a request body; numbers become JsonNumberText holding their original text. */
export function parseJsonBody(text: string): JsonValue {
  return new Parser(text).parseDocument();
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof JsonNumberText);
}

/** The text of a scalar as the exchange would render it (numbers by their JSON text). */
export function scalarText(v: JsonValue | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (v instanceof JsonNumberText) return v.text;
  return undefined;
}
