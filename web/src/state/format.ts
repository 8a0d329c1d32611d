/**
 * Display helpers. Money and quantities are shown exactly as the API sent them (strings); nothing
 * here parses a decimal to a number — the sign is read from the text.
 */
export const DASH = "—";

export function text(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? DASH : value;
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
