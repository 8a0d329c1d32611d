/**
 * /settings: lists the per-kind switches and the daily summary; `/settings KIND on|silent|off`,
 * `/settings summary HH:MM [TIME_ZONE]`, `/settings summary off|on`, `/settings throttle MINUTES`
 * change them through TradingServices (validated by the store's schema, audited).
 */
import { b, code, escapeHtml } from "../html.js";
import { CRITICAL_KINDS } from "../messages/types.js";
import { effectiveSwitches, isNotificationKind } from "../switches.js";
import type { BotCommandSpec } from "./types.js";

const USAGE = [
  "/settings KIND on|silent|off",
  "/settings summary HH:MM [TIME_ZONE]  ·  /settings summary on|off",
  "/settings throttle MINUTES",
];

export const settingsCommand: BotCommandSpec = {
  name: "settings",
  description: "Notification switches and the daily summary",
  run: async (c) => {
    const current = (await c.deps.services.getNotificationSettings()).value;
    const [what, ...rest] = c.args.split(/\s+/).filter(Boolean);
    if (what) {
      const next = structuredClone(current);
      if (what === "summary") {
        const [t, tz] = rest;
        if (t === "on" || t === "off") next.dailySummary.enabled = t === "on";
        else if (t) {
          next.dailySummary.time = t;
          next.dailySummary.enabled = true;
          if (tz) next.dailySummary.timeZone = tz;
        } else return { title: b("Usage"), lines: USAGE.map(escapeHtml) };
      } else if (what === "throttle") next.throttleMinutes = Number(rest[0]);
      else if (isNotificationKind(what) && (rest[0] === "on" || rest[0] === "silent" || rest[0] === "off"))
        next.events = { ...next.events, [what]: rest[0] };
      else return { title: b("Usage"), lines: USAGE.map(escapeHtml) };
      try {
        await c.deps.services.setNotificationSettings(next, c.actor);
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
