/**
 * Field readers for exchange responses. Decimal fields become `Dec` (strings parsed exactly; JSON
 * numbers through their shortest text); timestamps become ms numbers (number or digit string);
 * anything of the wrong shape is a `ResponseShapeError` naming the field.
 */
import { AtpError, type Disposition } from "../../../domain/errors.js";
import { type Dec, decFromWire } from "../../../util/decimal.js";

export class ResponseShapeError extends AtpError {
  get errorCode(): string {
    return "exchange.response_shape";
  }
  get disposition(): Disposition {
    return "skip";
  }

  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`unexpected response: ${path}: ${detail}`);
    this.name = "ResponseShapeError";
  }
}

export type Raw = Record<string, unknown>;

export function obj(v: unknown, path: string): Raw {
  if (v === null || typeof v !== "object" || Array.isArray(v))
    throw new ResponseShapeError(path, "not an object");
  return v as Raw;
}

export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new ResponseShapeError(path, "not an array");
  return v;
}

/** `result.data` as an array (the common `{data: [...]}` shape). */
export function dataArray(result: unknown, path: string): unknown[] {
  return arr(obj(result, path).data, `${path}.data`);
}

export function str(v: unknown, path: string): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  throw new ResponseShapeError(path, "not a string");
}

export function strOpt(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

export function decField(v: unknown, path: string): Dec {
  try {
    return decFromWire(v);
  } catch {
    throw new ResponseShapeError(path, `not a decimal: ${JSON.stringify(v)}`);
  }
}

/** Decimal or undefined for null/absent/empty. */
export function decOpt(v: unknown, path: string): Dec | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  return decField(v, path);
}

/** Decimal, or zero for null/absent/empty. */
export function decOr0(v: unknown, path: string): Dec {
  return decOpt(v, path) ?? decFromWire(0);
}

export function int(v: unknown, path: string): number {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  if (typeof v === "string" && /^-?\d{1,15}$/.test(v)) return Number(v);
  throw new ResponseShapeError(path, `not an integer: ${JSON.stringify(v)}`);
}

/** A ms timestamp (number or digit string); 0 when absent. */
export function ms(v: unknown, path: string): number {
  if (v === null || v === undefined || v === "") return 0;
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\d{1,16}$/.test(v)) return Number(v);
  throw new ResponseShapeError(path, `not a ms timestamp: ${JSON.stringify(v)}`);
}

export function bool(v: unknown, path: string): boolean {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new ResponseShapeError(path, `not a boolean: ${JSON.stringify(v)}`);
}
