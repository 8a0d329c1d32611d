/**
 * Redaction by value: every configured secret (API key, secret, proxy token, Telegram token, API
 * token) is replaced wherever it appears, in any field or message, by its safe mask. Keys named like
 * secrets are masked too, whatever their value, and so is the user info of every URL in any text
 * (`https://user:pw@host` → `https://user:<len=2 fp=…>@host`), configured or not.
 */
import { maskSecret, type SecretKind } from "../util/secrets.js";
import { displayUrl } from "../util/url.js";

export interface SecretValue {
  value: string;
  kind: SecretKind;
  /** Name shown in the mask, e.g. EXCHANGE_CUSTOM_API_SECRET. */
  label: string;
}

const SECRET_KEY_RE = /^(api_?secret|secret|sig|password|token|api_?key|authorization|x-proxy-token)$/i;
/** A value that is already a safe mask (`len=N [last4=XXXX] fp=…` or `<not set>`), kept as it is. */
const MASK_RE = /^(len=\d+( last4=\S{1,5})? fp=[0-9a-f]{8}|<not set>)$/;

export class Redactor {
  private readonly secrets: { value: string; replacement: string }[];
  /** The same secrets as they appear inside a JSON string (quotes and backslashes escaped). */
  private readonly escaped: { value: string; replacement: string }[];

  constructor(secrets: readonly SecretValue[]) {
    this.secrets = secrets
      .filter((s) => s.value.length >= 4)
      .map((s) => ({ value: s.value, replacement: `[${s.label} ${maskSecret(s.value, s.kind)}]` }))
      // longer first, so a secret containing another is replaced whole
      .sort((a, b) => b.value.length - a.value.length);
    this.escaped = this.secrets
      .map((s) => ({ value: JSON.stringify(s.value).slice(1, -1), replacement: s.replacement }))
      .filter((s, i) => s.value !== this.secrets[i]!.value);
  }

  string(text: string): string {
    let out = displayUrl(text);
    for (const s of this.secrets) if (out.includes(s.value)) out = out.split(s.value).join(s.replacement);
    return out;
  }

  /** A serialised log line with every secret replaced, raw or JSON-escaped. */
  line(text: string): string {
    let out = this.string(text);
    for (const s of this.escaped) if (out.includes(s.value)) out = out.split(s.value).join(s.replacement);
    return out;
  }

  /** Deep copy of `value` with every secret replaced; key-named secrets become "[redacted]". */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === "string") return this.string(value);
    if (value === null || typeof value !== "object" || depth > 8) return value;
    if (value instanceof Error) {
      const copy: Record<string, unknown> = { type: value.name, message: this.string(value.message) };
      if (value.stack) copy.stack = this.string(value.stack);
      for (const [k, v] of Object.entries(value)) copy[k] = this.field(k, v, depth);
      return copy;
    }
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.field(k, v, depth);
    return out;
  }

  private field(key: string, v: unknown, depth: number): unknown {
    if (SECRET_KEY_RE.test(key) && typeof v === "string" && v.length > 0 && !MASK_RE.test(v)) {
      const known = this.secrets.find((s) => s.value === v);
      return known ? known.replacement : "[redacted]";
    }
    return this.value(v, depth + 1);
  }
}
