/**
 * The ranged value parsers and the usage-error printer behind `defineCommand` (define-command.ts),
 * which every command uses; commands declare options there rather than calling these directly.
 *
 * Invariants:
 * - Every numeric option (port, duration, count, id, seed) goes through `intOption` or
 *   `numberOption` with its range: a value outside it is a usage error naming the option, the range
 *   and what was given (exit 2), never a stack trace, a wrapped-around timer or a silent clamp.
 * - A negative number is a value, not an option: `--id -1` works as `--id=-1` does.
 */

/** Prints a usage error naming the problem and the expected form; returns exit code 2. */
export function usageError(command: string, err: unknown, usage: string): number {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`atp ${command}: ${msg}\nusage: ${usage}\n`);
  return 2;
}

export interface Range {
  min: number;
  max: number;
  /** Unit named in the message, e.g. "seconds". */
  unit?: string;
}

export const PORT_RANGE: Range = { min: 0, max: 65_535 };
/** The emulator's seeded generator mixes 32 bits of the seed. */
export const SEED_RANGE: Range = { min: 0, max: 2 ** 32 - 1 };

function rangeText(r: Range): string {
  return `from ${r.min} to ${r.max}${r.unit ? ` ${r.unit}` : ""}`;
}

/** Parses an integer option within `range` (inclusive); undefined when the option is absent. */
export function intOption(name: string, value: string | undefined, range: Range): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new Error(`--${name} must be an integer ${rangeText(range)}, got "${value}"`);
  }
  return n;
}

/** Parses a decimal option within `range` (min exclusive when `minExclusive`); undefined when absent. */
export function numberOption(
  name: string,
  value: string | undefined,
  range: Range & { minExclusive?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const low = range.minExclusive ? n > range.min : n >= range.min;
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(value.trim()) || !Number.isFinite(n) || !low || n > range.max) {
    const what = range.minExclusive
      ? `${range.min === 0 ? "a positive number" : `a number above ${range.min}`} up to ${range.max}`
      : `a number from ${range.min} to ${range.max}`;
    throw new Error(`--${name} must be ${what}${range.unit ? ` ${range.unit}` : ""}, got "${value}"`);
  }
  return n;
}

/**
 * `--name -1` → `--name=-1` for the named options, so parseArgs takes a negative number as the
 * option's value instead of refusing it as an ambiguous option.
 */
export function joinNegativeValues(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (names.includes(a.replace(/^--/, "")) && a.startsWith("--") && next && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** Latest instant an option accepts: the end of year 9999 (ISO dates have four-digit years). */
export const MAX_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/**
 * A point in time given as an ISO date (`2025-01-31`, UTC midnight), an ISO date-time
 * (`2025-01-31T12:00[:00[.000]]`, UTC unless it carries `Z` or an offset) or ms since the epoch.
 * Impossible calendar dates (`2025-02-30`, `2025-13-01`, `24:00`) are refused, never rolled over,
 * and so is anything outside years 1970 to 9999.
 */
export function instantOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const fail = (why: string) =>
    new Error(
      `--${name} must be an ISO date such as 2025-01-31 (UTC), an ISO date-time such as 2025-01-31T12:00:00Z, or ms since the epoch; ${why}, got "${value}"`,
    );
  if (/^\d+$/.test(value)) {
    const ms = Number(value);
    if (!Number.isSafeInteger(ms) || ms > MAX_INSTANT_MS) throw fail("ms must be before the year 10000");
    return ms;
  }
  const m = ISO_RE.exec(value);
  if (!m) throw fail("not in one of these forms");
  const [y, mo, d, h = 0, mi = 0, s = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x)));
  if (y! < 1970) throw fail("it must fall between 1970 and the year 9999");
  const ms = m[7] ? Number(m[7].padEnd(3, "0")) : 0;
  const t = Date.UTC(y!, mo! - 1, d!, h, mi, s, ms);
  const back = new Date(t);
  const exact =
    back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo! - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s;
  if (!exact) throw fail("that date or time does not exist");
  const zone = m[8]?.toUpperCase();
  let offsetMin = 0;
  if (zone && zone !== "Z") {
    const [zh, zm] = zone.slice(1).split(":").map(Number) as [number, number];
    if (zh > 23 || zm > 59) throw fail("that time zone offset does not exist");
    offsetMin = (zone[0] === "-" ? -1 : 1) * (zh * 60 + zm);
  }
  const at = t - offsetMin * 60_000;
  if (at < 0 || at > MAX_INSTANT_MS) throw fail("it must fall between 1970 and the year 9999");
  return at;
}
