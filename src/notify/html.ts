/**
 * Telegram HTML (parse_mode "HTML") building blocks.
 *
 * Invariants:
 * - Every text that did not come from this module (symbols, reasons, doctor output, user input) goes
 *   through `escapeHtml` before it is placed in a message: only `<`, `>`, `&` and `"` are special in
 *   Telegram's HTML, and all four are escaped.
 * - Every message starts with the mode badge (`modeBadge`), so no alert can be read without it.
 */
import type { TradingMode } from "../domain/trading.js";

const ESCAPES = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
]);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ESCAPES.get(c) ?? c);
}

export const b = (text: string) => `<b>${escapeHtml(text)}</b>`;
export const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
export const i = (text: string) => `<i>${escapeHtml(text)}</i>`;

const MODE_LABELS: ReadonlyMap<TradingMode, string> = new Map([
  ["LIVE", "🔴 LIVE"],
  ["DRY_RUN", "🧪 DRY RUN"],
  ["DEMO", "🎮 DEMO"],
]);

/** "LIVE" / "DRY RUN" / "DEMO" as the first line's badge. */
export function modeBadge(mode: TradingMode): string {
  return `<b>[${escapeHtml(MODE_LABELS.get(mode) ?? mode)}]</b>`;
}

/** A message: the mode badge and the title on the first line, then the body lines. */
export function messageOf(mode: TradingMode, title: string, lines: readonly string[]): string {
  return [`${modeBadge(mode)} ${title}`, ...lines].join("\n");
}
