/**
 * Display helpers. Money and quantities are shown exactly as the API sent them (strings); nothing
 * here parses a decimal to a number — the sign is read from the text.
 */
export const DASH = "—";

export function text(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? DASH : value;
}

/**
 * Decimal text rounded half away from zero to `places` decimals, digit by digit (no number on the
 * way): for indicators, which the API sends with every digit of their computation
 * ("64892.052149999996"). Text that is not a plain decimal (an exponent, a word) is shown as sent.
 */
export function rounded(value: string | null | undefined, places: number): string {
  if (value === null || value === undefined || value === "") return DASH;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return value;
  const [, sign = "", int = "0", frac = ""] = m;
  if (frac.length <= places) return value;
  let digits = int + frac.slice(0, places);
  if (frac.charCodeAt(places) >= 53) digits = plusOne(digits); // the next digit is 5..9
  const whole = digits.slice(0, digits.length - places).replace(/^0+(?=\d)/, "") || "0";
  const out = places > 0 ? `${whole}.${digits.slice(digits.length - places)}` : whole;
  return /[1-9]/.test(out) ? sign + out : out;
}

/** Digit text plus one in its last place ("129" → "130", "99" → "100"). */
function plusOne(digits: string): string {
  const d = digits.split("");
  for (let k = d.length - 1; k >= 0; k--) {
    if (d[k] !== "9") {
      d[k] = String.fromCharCode((d[k] ?? "0").charCodeAt(0) + 1);
      return d.join("");
    }
    d[k] = "0";
  }
  return `1${d.join("")}`;
}

/** How many decimals a decimal text has ("63948.54" → 2); `fallback` without a value. */
export function placesOf(value: string | null | undefined, fallback = 2): number {
  if (!value) return fallback;
  const dot = value.indexOf(".");
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** "pos" / "neg" / "" from the decimal text's sign (for colour only). */
export function signClass(value: string | null | undefined): string {
  if (!value) return "";
  if (value.startsWith("-")) return "neg";
  return /[1-9]/.test(value) ? "pos" : "";
}

export function time(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function ago(ms: number | null | undefined, now: number): string {
  if (ms === null || ms === undefined) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}

export function modeLabel(mode: string): string {
  return mode === "DRY_RUN" ? "DRY RUN" : mode;
}
