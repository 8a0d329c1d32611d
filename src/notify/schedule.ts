/**
 * Local wall-clock times in an IANA time zone without a date library: the zone's offset at an
 * instant comes from Intl.DateTimeFormat, and the instant of a local "HH:MM" is found by two
 * offset corrections (exact across DST changes except inside a skipped hour, where it lands an
 * hour late — the summary then comes at the first valid local time).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(
  at: number,
  timeZone: string,
): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const m = new Map<string, number>(f.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  const g = (k: string) => m.get(k) ?? 0;
  return { y: g("year"), mo: g("month"), d: g("day"), h: g("hour"), mi: g("minute"), s: g("second") };
}

/** The zone's offset from UTC at `at`, ms (positive east of Greenwich). */
export function zoneOffsetMs(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(at / 1000) * 1000;
}

/** The local date "YYYY-MM-DD" of `at` in the zone. */
export function localDate(at: number, timeZone: string): string {
  const p = parts(at, timeZone);
  return `${p.y}-${String(p.mo).padStart(2, "0")}-${String(p.d).padStart(2, "0")}`;
}

function instantOf(y: number, mo: number, d: number, h: number, mi: number, timeZone: string): number {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let t = wall - zoneOffsetMs(wall, timeZone);
  t = wall - zoneOffsetMs(t, timeZone);
  return t;
}

/** The first instant after `now` whose local time in the zone is `hhmm` ("20:00"). */
export function nextLocalTime(now: number, hhmm: string, timeZone: string): number {
  const [h, mi] = hhmm.split(":").map(Number) as [number, number];
  const p = parts(now, timeZone);
  for (let add = 0; add < 3; add++) {
    const day = new Date(Date.UTC(p.y, p.mo - 1, p.d + add));
    const t = instantOf(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), h, mi, timeZone);
    if (t > now) return t;
  }
  return now + 86_400_000;
}

/** The local midnight starting the local date of `at`. */
export function localMidnight(at: number, timeZone: string): number {
  const p = parts(at, timeZone);
  return instantOf(p.y, p.mo, p.d, 0, 0, timeZone);
}
