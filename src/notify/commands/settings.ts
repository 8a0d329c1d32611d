/**
 * /settings: lists the per-kind switches and the daily summary; `/settings KIND on|silent|off`,
 * `/settings summary HH:MM [TIME_ZONE]`, `/settings summary off|on`, `/settings throttle MINUTES`
 * change them through TradingServices (validated by the store's schema, audited).
 */
import type { TelegramNotificationSettings } from "../../store/types.js";
import {
  CRITICAL_KINDS,
  effectiveSwitches,
  isNotificationKind,
  isNotificationSwitch,
} from "../../trading/services/notifications.js";
import { b, code, escapeHtml } from "../html.js";
import type { BotCommandSpec } from "./types.js";

const USAGE = [
  "/settings KIND on|silent|off",
  "/settings summary HH:MM [TIME_ZONE]  ·  /settings summary on|off",
  "/settings throttle MINUTES",
];

type Change = (s: TelegramNotificationSettings) => TelegramNotificationSettings;

/** The change `/settings WHAT ...` asks for (applied to the current value when stored); undefined: usage. */
function changeOf(what: string, rest: string[]): Change | undefined {
  const [first, second] = rest;
  if (what === "summary") {
    if (first === "on" || first === "off")
      return (s) => ({ ...s, dailySummary: { ...s.dailySummary, enabled: first === "on" } });
    if (!first) return undefined;
    return (s) => ({
      ...s,
      dailySummary: { enabled: true, time: first, timeZone: second ?? s.dailySummary.timeZone },
    });
  }
  if (what === "throttle") return (s) => ({ ...s, throttleMinutes: Number(first) });
  if (isNotificationKind(what) && isNotificationSwitch(first))
    return (s) => ({ ...s, events: { ...s.events, [what]: first } });
  return undefined;
}

export const settingsCommand: BotCommandSpec = {
  name: "settings",
  description: "Notification switches and the daily summary",
  run: async (c) => {
    const [what, ...rest] = c.args.split(/\s+/).filter(Boolean);
    if (what) {
      const change = changeOf(what, rest);
      if (!change) return { title: b("Usage"), lines: USAGE.map(escapeHtml) };
      try {
        await c.deps.services.updateNotificationSettings(change, c.actor);
      } catch (e) {
        return { title: b("Not changed"), lines: [escapeHtml(e instanceof Error ? e.message : String(e))] };
      }
    }
    const s = (await c.deps.services.getNotificationSettings()).value;
    const lines = effectiveSwitches(s).map(
      ([k, v]) => `• ${code(k)} ${b(v)}${CRITICAL_KINDS.has(k) ? " (critical: never off)" : ""}`,
    );
    lines.push(
      `Daily summary: ${s.dailySummary.enabled ? `${code(s.dailySummary.time)} ${escapeHtml(s.dailySummary.timeZone)}` : "off"}`,
      `Throttle: identical warnings at most once per ${s.throttleMinutes} min`,
      "",
      ...USAGE.map(escapeHtml),
    );
    return { title: b(what ? "Settings changed" : "Notification settings"), lines };
  },
};
