/**
 * Parameter readers for method handlers. Each failure is a ParamError carrying the exchange code
 * (40004 missing/invalid argument by default, or the specific code of an enum such as 220 side) and
 * a message naming the parameter. Numbers sent as JSON numbers are read by their exact text.
 */

import { AtpError, type Disposition } from "../../domain/errors.js";
import { JsonNumberText, type JsonObject, type JsonValue, scalarText } from "../../domain/json-text.js";

export class ParamError extends AtpError {
  get errorCode(): string {
    return "emulator.param";
  }
  get disposition(): Disposition {
    return "skip";
  }

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "ParamError";
  }
}

function present(v: JsonValue | undefined): boolean {
  return v !== undefined && v !== null && v !== "";
}

export function optString(p: JsonObject, name: string): string | undefined {
  const v = p[name];
  if (!present(v)) return undefined;
  const t = scalarText(v);
  if (t === undefined) throw new ParamError(40004, `Invalid ${name}: must be a string`);
  return t;
}

export function reqString(p: JsonObject, name: string): string {
  const v = optString(p, name);
  if (v === undefined) throw new ParamError(40004, `Missing or invalid argument: ${name} is required`);
  return v;
}

export function optEnum<T extends string>(
  p: JsonObject,
  name: string,
  values: readonly T[],
  code = 40004,
): T | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw new ParamError(code, `Invalid ${name}: ${v} (expected ${values.join(", ")})`);
  }
  return v as T;
}

export function reqEnum<T extends string>(
  p: JsonObject,
  name: string,
  values: readonly T[],
  code = 40004,
): T {
  const v = optEnum(p, name, values, code);
  if (v === undefined) throw new ParamError(40004, `Missing or invalid argument: ${name} is required`);
  return v;
}

/** An integer given as a JSON number or a digit string. */
export function optInt(p: JsonObject, name: string, min: number, max: number): number | undefined {
  const v = p[name];
  if (!present(v)) return undefined;
  const t = v instanceof JsonNumberText ? v.text : typeof v === "string" ? v : undefined;
  if (t === undefined || !/^-?\d+$/.test(t))
    throw new ParamError(40004, `Invalid ${name}: must be an integer`);
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ParamError(40004, `Invalid ${name}: must be between ${min} and ${max}`);
  }
  return n;
}

export function optStringArray(p: JsonObject, name: string, code = 40004): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw new ParamError(code, `Invalid ${name}: must be an array of strings`);
  }
  return v as string[];
}

/** Timestamps accepted in ms or ns (values above 1e14 are taken as ns). */
export function optTime(p: JsonObject, name: string): number | undefined {
  const v = optString(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new ParamError(40005, `Invalid ${name}: must be a timestamp in ms or ns`);
  const n = Number(v);
  return n > 1e14 ? Math.floor(n / 1e6) : n;
}
