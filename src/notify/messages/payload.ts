/**
 * Reading an event's JSON payload safely: fields are own properties only (a payload key such as
 * `__proto__` or `constructor` is never inherited), and typed accessors answer undefined for a
 * missing or mistyped field instead of throwing.
 */
import type { Json } from "../../store/types.js";

export class PayloadReader {
  private readonly obj: { [key: string]: Json } | undefined;

  constructor(payload: Json) {
    this.obj =
      payload !== null && typeof payload === "object" && !Array.isArray(payload) ? payload : undefined;
  }

  raw(name: string): Json | undefined {
    return this.obj && Object.hasOwn(this.obj, name) ? this.obj[name] : undefined;
  }

  str(name: string): string | undefined {
    const v = this.raw(name);
    return typeof v === "string" ? v : undefined;
  }

  num(name: string): number | undefined {
    const v = this.raw(name);
    return typeof v === "number" && Number.isFinite(v) ? v : undefined;
  }

  /** A string or number field as text (codes arrive as numbers, decimals as strings). */
  text(name: string): string | undefined {
    const v = this.raw(name);
    return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
  }

  strings(name: string): string[] {
    const v = this.raw(name);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  }

  reader(name: string): PayloadReader {
    return new PayloadReader(this.raw(name) ?? null);
  }
}
